// `secret create`'s data: a file, or an environment variable with --env.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {secretData} from '../../src/cli/secret-input'

test('a file\'s bytes, a variable\'s value; a missing file or variable is one line naming it', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-in-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 's'), 'pw\n')
  t.is(secretData(path.join(dir, 's'), false).toString(), 'pw\n')
  process.env.TSPOD_TEST_SECRET = 'from-env'
  t.is(secretData('TSPOD_TEST_SECRET', true).toString(), 'from-env')
  t.throws(() => secretData('TSPOD_TEST_NO_SUCH_VAR', true), {message: 'cannot create store secret data: environment variable TSPOD_TEST_NO_SUCH_VAR is not set'})
  t.throws(() => secretData(path.join(dir, 'none'), false), {message: `open ${path.join(dir, 'none')}: no such file or directory`})
  t.is(secretData(dir, false).length, 0, 'a dir is no data, refused later for its size as Podman does')
})
