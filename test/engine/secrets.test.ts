// The Engine's secret verbs: inspect's and rm's errors per name, as Podman reports them.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {SecretEngine} from '../../src/engine/secrets'

test('inspect keeps the secrets found and an error per missing one; rm removes what it can; ls filters', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  const engine = new SecretEngine(root)
  const a = await engine.create({name: 'a', data: Buffer.from('1')})
  const b = await engine.create({name: 'b', data: Buffer.from('2')})
  const inspected = engine.inspect(['a', 'nope'])
  t.deepEqual(inspected.records.map((r) => r.ID), [a])
  t.deepEqual(inspected.errors.map((e) => e.message), ['inspecting secret: no secret with name or id "nope": no such secret'])
  t.deepEqual(engine.list(['name=^b']).map((r) => r.Spec.Name), ['b'])
  const done: string[] = []
  const errors = await engine.remove({names: ['a', 'nope']}, (id) => done.push(id))
  t.deepEqual([done, errors.map((e) => e.message)], [[a], ['no secret with name or id "nope": no such secret']])
  t.deepEqual(await engine.remove({names: [], all: true}, (id) => done.push(id)), [])
  t.deepEqual(done, [a, b])
  t.false(engine.exists('b'))
})
