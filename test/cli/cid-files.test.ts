// readCidFiles: each --cidfile's first line, and Podman's words when one cannot be read.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {readCidFiles} from '../../src/cli/cid-files'
import {UsageError} from '../../src/errors'

test('the first line of each file, in order', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cidfiles-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'a'), 'abc123')
  fs.writeFileSync(path.join(dir, 'b'), 'def456\nmore\n')
  t.deepEqual(readCidFiles([path.join(dir, 'a'), path.join(dir, 'b')]), ['abc123', 'def456'])
  t.deepEqual(readCidFiles(undefined), [])
  const missing = path.join(dir, 'missing')
  t.throws(() => readCidFiles([missing]), {instanceOf: UsageError, message: `reading CIDFile: open ${missing}: no such file or directory`})
})
