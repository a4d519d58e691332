// The file driver's store, laid out as containers/common's secrets manager writes it.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../../src/errors'
import {NoSuchSecretError, SecretStore} from '../../../src/runtime/secret/secret-store'

function tempRoot(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test("create writes Podman's secrets.json and filedriver/secretsdata.json; lookup by name, ID and ID prefix; remove drops both", async (t) => {
  const root = tempRoot(t)
  const store = new SecretStore(root)
  const id = await store.create('s1', Buffer.from('hello\n'), {labels: {k: 'v'}})
  t.regex(id, /^[0-9a-f]{25}$/)
  const index = JSON.parse(fs.readFileSync(path.join(root, 'secrets', 'secrets.json'), 'utf8'))
  t.deepEqual(Object.keys(index), ['secrets', 'nameToID', 'idToName'])
  t.like(index.secrets[id], {name: 's1', id, labels: {k: 'v'}, driver: 'file', driverOptions: {path: path.join(root, 'secrets', 'filedriver')}})
  t.regex(index.secrets[id].createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/)
  t.deepEqual([index.nameToID, index.idToName], [{s1: id}, {[id]: 's1'}])
  const dataFile = path.join(root, 'secrets', 'filedriver', 'secretsdata.json')
  t.deepEqual(JSON.parse(fs.readFileSync(dataFile, 'utf8')), {[id]: Buffer.from('hello\n').toString('base64')})
  t.is(fs.statSync(dataFile).mode & 0o777, 0o600)

  t.is(store.lookup('s1').id, id)
  t.is(store.lookup(id).name, 's1')
  t.is(store.lookup(id.slice(0, 6)).name, 's1')
  t.is(store.data('s1').toString(), 'hello\n')
  t.true(store.exists('s1'))
  t.false(store.exists('nope'))
  t.throws(() => store.lookup('nope'), {instanceOf: NoSuchSecretError, message: 'no secret with name or id "nope": no such secret'})

  await t.throwsAsync(store.create('s1', Buffer.from('x')), {instanceOf: TspodError, message: 's1: secret name in use'})
  t.is((await store.remove('s1')).id, id)
  t.deepEqual(store.list(), [])
  t.deepEqual(JSON.parse(fs.readFileSync(dataFile, 'utf8')), {})
  await t.throwsAsync(store.remove('s1'), {instanceOf: NoSuchSecretError})
})

test('names, sizes and drivers are checked as Podman checks them, before anything is written', async (t) => {
  const root = tempRoot(t)
  const store = new SecretStore(root)
  const nameError = (n: string) => `only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: ${n}: invalid secret name`
  for (const name of ['a-', '-a', 'bad/name', 'a'.repeat(65), ''])
    await t.throwsAsync(store.create(name, Buffer.from('x')), {instanceOf: UsageError, message: nameError(name)}, name)
  await t.throwsAsync(store.create('ok', Buffer.alloc(0)), {message: 'secret data must be larger than 0 and less than 512000 bytes'})
  await t.throwsAsync(store.create('ok', Buffer.alloc(512_000)), {message: 'secret data must be larger than 0 and less than 512000 bytes'})
  await t.throwsAsync(store.create('ok', Buffer.from('x'), {driver: 'pass'}), {message: 'invalid driver'})
  t.false(fs.existsSync(path.join(root, 'secrets')))
  t.regex(await store.create('a_.b-9', Buffer.from('x')), /^[0-9a-f]{25}$/)
})
