// createFromImage (src/engine/create.ts) on a real store: the pull policy decides whether the
// image is pulled; a local image is used as it is; --cidfile is claimed first, written with the
// new container's ID, and removed again when the create fails.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {createFromImage} from '../../src/engine/create'
import {UsageError} from '../../src/errors'
import {createInput, engineFixture} from './engine-fixture'

test('pull policy never with a missing image: `NAME: image not known`, nothing pulled or created', async (t) => {
  const {engine, store, records} = await engineFixture(t)
  let pulls = 0
  const input = createInput('nosuchimage', {}, {pullPolicy: 'never'})
  await t.throwsAsync(createFromImage(store, records, engine.registries, input, {pullProgress: () => { pulls++; throw new Error('no progress expected') }}), {
    instanceOf: UsageError,
    message: 'nosuchimage: image not known',
  })
  t.is(pulls, 0)
  t.deepEqual(records.list(), [])
})

test('a local image is used without pulling, by name, short name or ID, and recorded by the name it was found by', async (t) => {
  const {engine, store, records, busyboxId} = await engineFixture(t)
  for (const [name, recorded] of [
    ['busybox', 'localhost/busybox:latest'],
    ['localhost/busybox:latest', 'localhost/busybox:latest'],
    [busyboxId.slice(0, 12), busyboxId.slice(0, 12)],
  ]) {
    for (const pullPolicy of [undefined, 'missing', 'newer', 'never']) {
      const created = await createFromImage(store, records, engine.registries, createInput(name, {args: ['true']}, {pullPolicy}), {
        pullProgress: () => {
          throw new Error('no pull expected')
        },
      })
      t.is(created.container.config.imageId, busyboxId)
      t.is(created.container.config.imageName, recorded)
      t.truthy(records.get(created.container.config.id))
    }
  }
})

test('pull policy always pulls even a local image (the pull is asked for its context)', async (t) => {
  const {engine, store, records} = await engineFixture(t)
  await t.throwsAsync(createFromImage(store, records, engine.registries, createInput('busybox', {}, {pullPolicy: 'always'}), {}), {
    message: 'test: busybox was to be pulled',
  })
  t.deepEqual(records.list(), [])
})

test('--cidfile holds the new container\'s ID, without a newline', async (t) => {
  const {engine, store, records, dir} = await engineFixture(t)
  const cidFile = path.join(dir, 'cid')
  const created = await createFromImage(store, records, engine.registries, createInput('busybox', {}, {cidFile}), {})
  t.is(fs.readFileSync(cidFile, 'utf8'), created.container.config.id)
})

test('--cidfile is removed again when the create fails', async (t) => {
  const {engine, store, records, dir} = await engineFixture(t)
  const cidFile = path.join(dir, 'cid')
  await t.throwsAsync(createFromImage(store, records, engine.registries, createInput('nosuchimage', {}, {pullPolicy: 'never', cidFile}), {}), {message: 'nosuchimage: image not known'})
  t.false(fs.existsSync(cidFile))
  await t.throwsAsync(createFromImage(store, records, engine.registries, createInput('busybox', {}, {pullPolicy: 'always', cidFile}), {}), {message: /was to be pulled/})
  t.false(fs.existsSync(cidFile))
})

test('an existing --cidfile is refused before anything is created, and left as it was', async (t) => {
  const {engine, store, records, dir} = await engineFixture(t)
  const cidFile = path.join(dir, 'cid')
  fs.writeFileSync(cidFile, 'someone else\'s')
  await t.throwsAsync(createFromImage(store, records, engine.registries, createInput('busybox', {}, {cidFile}), {}), {
    instanceOf: UsageError,
    message: `container id file exists. Ensure another container is not using it or delete ${cidFile}`,
  })
  t.is(fs.readFileSync(cidFile, 'utf8'), 'someone else\'s')
  t.deepEqual(records.list(), [])
  await t.throwsAsync(createFromImage(store, records, engine.registries, createInput('busybox', {}, {cidFile: path.join(dir, 'no', 'cid')}), {}), {
    instanceOf: UsageError,
    message: `opening cidfile ${path.join(dir, 'no', 'cid')}: no such file or directory`,
  })
  t.deepEqual(records.list(), [])
})
