// A container's secrets: those it names must exist; env secrets are read from the store.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {checkSecretsExist, secretEnv} from '../../../src/runtime/secret/container-secrets'
import {NoSuchSecretError, SecretStore} from '../../../src/runtime/secret/secret-store'
import {parseSecret} from '../../../src/specgen/secrets'

test('env secrets give NAME=VALUE (by their target), read now; a missing secret fails the check', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  await new SecretStore(root).create('pw', Buffer.from('s3cret'))
  const requests = [parseSecret('pw,type=env'), parseSecret('pw,type=env,target=DB_PASS'), parseSecret('pw')]
  t.notThrows(() => checkSecretsExist(root, requests))
  t.deepEqual(secretEnv(root, requests), ['pw=s3cret', 'DB_PASS=s3cret'])
  t.deepEqual(secretEnv(root, undefined), [])
  t.throws(() => checkSecretsExist(root, [parseSecret('nope')]), {instanceOf: NoSuchSecretError})
})
