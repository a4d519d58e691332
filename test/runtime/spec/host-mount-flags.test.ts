// The nosuid/nodev/noexec flags of the host mount a bind source lives on, from mountinfo.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {mountFlagsOf} from '../../../src/runtime/spec/host-mount-flags'

const MOUNTINFO = [
  '21 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
  '22 21 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw',
  '23 21 0:20 / /tmp rw,nosuid,nodev shared:3 - tmpfs tmpfs rw',
  '24 23 0:21 / /tmp/with\\040space rw,noexec shared:4 - tmpfs tmpfs rw',
  '25 23 0:22 / /tmp/stack rw shared:5 - tmpfs tmpfs rw',
  '26 25 0:23 / /tmp/stack rw,nosuid,nodev,noexec shared:6 - tmpfs tmpfs rw',
  '',
].join('\n')

test('the longest mount point containing the path decides; the top of a stack wins; escapes are read', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-mountinfo-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'mountinfo')
  fs.writeFileSync(file, MOUNTINFO)
  t.deepEqual(mountFlagsOf('/home/u/data', file), {nosuid: false, nodev: false, noexec: false})
  t.deepEqual(mountFlagsOf('/dev/null', file), {nosuid: true, nodev: false, noexec: false})
  t.deepEqual(mountFlagsOf('/tmp/x', file), {nosuid: true, nodev: true, noexec: false})
  t.deepEqual(mountFlagsOf('/tmpfoo', file), {nosuid: false, nodev: false, noexec: false}, 'a prefix of the name is not a parent')
  t.deepEqual(mountFlagsOf('/tmp/with space/f', file), {nosuid: false, nodev: false, noexec: true})
  t.deepEqual(mountFlagsOf('/tmp/stack/f', file), {nosuid: true, nodev: true, noexec: true})
})

test('this process\'s own mountinfo: / is found', (t) => {
  t.deepEqual(Object.keys(mountFlagsOf('/')).sort(), ['nodev', 'noexec', 'nosuid'])
})
