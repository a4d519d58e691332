// The manifest verbs of the Engine on a temp store: a list made from a stored image, found by
// exists, refused where an image that is not a list is named, removed by manifest rm.
import test from 'ava'

import {manifestAdd, manifestCreate, manifestExists, manifestInspect, manifestRm} from '../../src/engine'
import {engineFixture} from './engine-fixture'

test('create with a stored image, exists, inspect and rm; an image that is not a list is refused', async (t) => {
  const {engine, store, busyboxId} = await engineFixture(t)
  const id = await manifestCreate(engine, 'multi:1', ['containers-storage:localhost/busybox:latest'], {context: {}})
  const digest = store.images.get(busyboxId)!.digest
  const doc = (await manifestInspect(engine, 'multi:1', {})) as {manifests: {digest: string}[]}
  t.deepEqual(doc.manifests.map((m) => m.digest), [digest])
  // the same image again replaces its entry
  t.is(await manifestAdd(engine, id, 'containers-storage:localhost/busybox:latest', {context: {}, overrides: {variant: 'v2'}}), id)
  t.is(((await manifestInspect(engine, 'multi:1', {})) as {manifests: unknown[]}).manifests.length, 1)

  t.true(await manifestExists(engine, 'multi:1'))
  t.false(await manifestExists(engine, 'nothing'))
  await t.throwsAsync(manifestExists(engine, 'localhost/busybox'), {message: 'localhost/busybox: image is not a manifest list'})
  await t.throwsAsync(manifestCreate(engine, 'localhost/busybox', [], {amend: true, context: {}}), {message: 'localhost/busybox: image is not a manifest list'})
  t.is(await manifestCreate(engine, 'multi:1', [], {amend: true, context: {}}), id)

  const report = await manifestRm(engine, ['multi:1', 'localhost/busybox'])
  t.deepEqual(report.deleted, [id])
  t.deepEqual(report.errors.map((e) => e.message), ['localhost/busybox: image is not a manifest list'])
  t.truthy(store.images.get(busyboxId))
})
