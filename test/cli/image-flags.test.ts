// The flags of commands that read images from registries: --creds, --platform and the auth
// file a command must find.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {checkAuthfile, existingAuthfile, imageContext} from '../../src/cli/image-flags'
import {TspodError, UsageError} from '../../src/errors'

const signal = new AbortController().signal

test('--creds USER:PASSWORD (the password may hold colons); anything else is refused', (t) => {
  t.deepEqual(imageContext({creds: 'me:pa:ss'}, signal).credentials, {username: 'me', password: 'pa:ss'})
  t.is(imageContext({}, signal).credentials, undefined)
  t.throws(() => imageContext({creds: ':pass'}, signal), {instanceOf: UsageError, message: 'credentials must be in the form USERNAME:PASSWORD'})
})

test('--platform OS/ARCH[/VARIANT], not with --arch or --os', (t) => {
  t.deepEqual(imageContext({platform: 'linux/arm64/v8'}, signal).platform, {os: 'linux', architecture: 'arm64', variant: 'v8'})
  t.throws(() => imageContext({platform: 'linux'}, signal), {instanceOf: UsageError})
  t.throws(() => imageContext({platform: 'linux/amd64', arch: 'arm64'}, signal), {message: '--platform option can not be specified with --arch or --os'})
})

test('the auth file a command names must exist: --authfile, else $REGISTRY_AUTH_FILE', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-authfile-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'auth.json')
  const missing = path.join(dir, 'missing.json')
  fs.writeFileSync(file, '{}')
  const saved = process.env.REGISTRY_AUTH_FILE
  t.teardown(() => (saved === undefined ? delete process.env.REGISTRY_AUTH_FILE : (process.env.REGISTRY_AUTH_FILE = saved)))
  delete process.env.REGISTRY_AUTH_FILE
  t.is(existingAuthfile(undefined), undefined)
  t.is(existingAuthfile(file), file)
  t.throws(() => existingAuthfile(missing), {instanceOf: TspodError, message: `stat ${missing}: no such file or directory`})
  process.env.REGISTRY_AUTH_FILE = missing
  t.throws(() => existingAuthfile(undefined), {message: `stat ${missing}: no such file or directory`})
  t.is(existingAuthfile(file), file, 'the flag wins over the variable')
  t.throws(() => checkAuthfile(missing), {instanceOf: UsageError, message: `checking authfile: stat ${missing}: no such file or directory`})
  t.notThrows(() => checkAuthfile(undefined))
})
