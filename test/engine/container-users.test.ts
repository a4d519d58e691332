// @userns
// `rmi -f` and `volume rm -f` (src/engine/container-users.ts) on a real store: the containers
// using what is removed go first, running ones stopped; other containers stay.
import test from 'ava'

import {removeImageUsers, volumeUserRemover} from '../../src/engine/container-users'
import {VolumeInUseError} from '../../src/engine/errors'
import {createInput, engineFixture} from './engine-fixture'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('rmi -f: the containers of the named image go, a running one stopped; the other image\'s stay', async (t) => {
  const {engine, store, records, otherId} = await engineFixture(t, {otherImage: true})
  const created = (await engine.create(createInput('busybox', {args: ['true']}))).container.config.id
  const {id: running} = await engine.run(createInput('busybox', {args: ['sleep', '1000']}), {detach: true})
  const pid = records.get(running)!.state.pid
  t.true(alive(pid))
  const other = (await engine.create(createInput('localhost/other:latest', {args: ['true']}))).container.config.id

  await removeImageUsers(store, ['busybox'], false, engine.registries)
  t.is(records.get(created), undefined)
  t.is(records.get(running), undefined)
  t.false(alive(pid))
  t.is(records.get(other)?.config.imageId, otherId)

  // a name no image has removes nothing (rmi reports it afterwards)
  await removeImageUsers(store, ['nosuchimage'], false, engine.registries)
  t.truthy(records.get(other))

  await removeImageUsers(store, [], true, engine.registries)
  t.deepEqual(records.list(), [])
})

test('volume rm -f: the containers using the volume are removed, then the volume; without -f it is in use', async (t) => {
  const {engine, store, records} = await engineFixture(t)
  await engine.createVolume({name: 'data'})
  const user = (await engine.create(createInput('busybox', {args: ['true'], volumes: ['data:/data']}))).container.config.id
  const bystander = (await engine.create(createInput('busybox', {args: ['true']}))).container.config.id

  const errors = await engine.removeVolumes({names: ['data']})
  t.true(errors[0] instanceof VolumeInUseError)
  t.truthy(records.get(user))
  t.true(await engine.volumeExists('data'))

  t.deepEqual(await engine.removeVolumes({names: ['data'], force: true}), [])
  t.is(records.get(user), undefined)
  t.false(await engine.volumeExists('data'))
  t.truthy(records.get(bystander))

  // the remover itself: each named container goes, a running one stopped
  const {id: running} = await engine.run(createInput('busybox', {args: ['sleep', '1000']}), {detach: true})
  const pid = records.get(running)!.state.pid
  await volumeUserRemover(store, 0)([running, bystander])
  t.deepEqual(records.list(), [])
  t.false(alive(pid))
})
