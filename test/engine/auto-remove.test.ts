// @userns
// --rm (src/engine/auto-remove.ts) on a real store: a container created with it is removed once it
// ends; one without it stays.
import test from 'ava'
import {setTimeout as sleep} from 'node:timers/promises'

import {removeIfAutoRemove} from '../../src/engine/auto-remove'
import {createInput, engineFixture} from './engine-fixture'

test('a --rm container is removed; one without --rm stays; one already gone is no error', async (t) => {
  const {engine, store, records} = await engineFixture(t)
  const withRm = (await engine.create(createInput('busybox', {args: ['true'], autoRemove: true}))).container
  const without = (await engine.create(createInput('busybox', {args: ['true']}))).container
  await removeIfAutoRemove(store, records, withRm)
  await removeIfAutoRemove(store, records, without)
  t.is(records.get(withRm.config.id), undefined)
  t.truthy(records.get(without.config.id))
  t.false(store.containers.list().some((c) => c.id === withRm.config.id), 'its storage is gone too')
  await t.notThrowsAsync(removeIfAutoRemove(store, records, withRm))
})

test('run -d --rm: the container is removed after it exits, its exit code still known', async (t) => {
  const {engine} = await engineFixture(t)
  const {id} = await engine.run(createInput('busybox', {args: ['sh', '-c', 'exit 3'], autoRemove: true}), {detach: true})
  const codes: number[] = []
  await engine.wait([id], {onExitCode: (code) => codes.push(code)})
  t.deepEqual(codes, [3])
  // the monitor removes it after recording the exit: wait for that, bounded (a loaded machine is slow to start its clean-up)
  for (let i = 0; i < 400 && (await engine.containerExists(id)); i++) await sleep(50)
  t.false(await engine.containerExists(id))
})
