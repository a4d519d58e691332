// --cidfile: claimed before the container is created, written with its id, gone if the create fails.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../../src/errors'
import {claimCidFile} from '../../../src/runtime/container/cid-file'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cidfile-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('the id is written without a newline, mode 0644', (t) => {
  const file = path.join(tempDir(t), 'cid')
  const claimed = claimCidFile(file)
  t.true(fs.existsSync(file), 'claimed at once')
  claimed.write('abc123')
  t.is(fs.readFileSync(file, 'utf8'), 'abc123')
  t.is(fs.statSync(file).mode & 0o777, 0o644 & ~process.umask())
})

test('an existing file is never shared; an abandoned claim leaves no file', (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'cid')
  const claimed = claimCidFile(file)
  t.throws(() => claimCidFile(file), {instanceOf: UsageError, message: `container id file exists. Ensure another container is not using it or delete ${file}`})
  claimed.abandon()
  t.false(fs.existsSync(file))
  t.throws(() => claimCidFile(path.join(dir, 'missing', 'cid')), {instanceOf: UsageError, message: `opening cidfile ${path.join(dir, 'missing', 'cid')}: no such file or directory`})
})
