// build --logfile: a private file, truncated, one line per write; an unopenable path is a usage error.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {LogFile} from '../../src/cli/log-file'
import {UsageError} from '../../src/engine'

test('mode 0600, truncated, each write one line', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-logfile-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'build.log')
  fs.writeFileSync(file, 'old contents\n')
  const log = LogFile.open(file)
  log.line('STEP 1/1: FROM busybox')
  log.line('done\n')
  log.close()
  t.is(fs.readFileSync(file, 'utf8'), 'STEP 1/1: FROM busybox\ndone\n')
  const fresh = path.join(dir, 'new.log')
  LogFile.open(fresh).close()
  t.is(fs.statSync(fresh).mode & 0o777, 0o600)
})

test('a path that cannot be opened names it', (t) => {
  const err = t.throws(() => LogFile.open('/nonexistent-dir/build.log'), {instanceOf: UsageError})
  t.regex(err!.message, /^opening \/nonexistent-dir\/build\.log: ENOENT/)
})
