// Mount points of this process's mount namespace, read from /proc/self/mountinfo.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {isMountPoint, unmountPoint} from '../../../src/runtime/mount/mount-points'

test('/ and /proc are mount points; a plain dir is not, and unmounting it does nothing', async (t) => {
  t.true(isMountPoint('/'))
  t.true(isMountPoint('/proc'))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mount-points-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  t.false(isMountPoint(dir))
  await unmountPoint(dir)
  t.true(fs.existsSync(dir))
})
