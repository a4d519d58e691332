// @userns
// A pull that reuses a layer another image has keeps it, even when that image is removed and
// its unused layers deleted between the reuse decision and the pull's registration (the window
// rmi and prune used to delete such a layer in). As real root: the store writes directly.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {loadStorageConfig} from '../../../../../src/storage/config/storage-conf'
import {removeImages} from '../../../../../src/storage/store/images/remove'
import {loadRegistriesConf} from '../../../../../src/storage/image/config/registries-conf'
import {Store} from '../../../../../src/storage/store/store'
import {StoreDestination} from '../../../../../src/storage/image/transports/containers-storage/destination'
import type {ImageReference} from '../../../../../src/storage/image/transports/types'
import {BuiltImage, buildImage, busyboxLayer} from '../../../../helpers/oci-image'

async function openTemp(t: {teardown(fn: () => void): void}): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-pins-'))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => {
    store.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })
  return store
}

const reference = {} as ImageReference

function destination(store: Store, name: string): StoreDestination {
  return new StoreDestination(reference, store, {names: [name]})
}

async function putConfig(dest: StoreDestination, image: BuiltImage): Promise<void> {
  await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true})
}

/** The whole pull of `image`, every layer downloaded. */
async function pull(store: Store, image: BuiltImage, name: string): Promise<void> {
  const dest = destination(store, name)
  try {
    await putConfig(dest, image)
    for (const [i, layer] of image.layers.entries())
      await dest.putBlob(Readable.from([layer.data]), {digest: layer.digest, size: layer.size, mediaType: layer.mediaType}, {isConfig: false, layerIndex: i})
    await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
    await dest.commit()
  } finally {
    await dest.close()
  }
}

test('a layer a pull decided to reuse survives rmi of its only image until the pull registers its own', async (t) => {
  const store = await openTemp(t)
  const busybox = await busyboxLayer()
  const first = await buildImage({layers: [busybox]})
  const second = await buildImage({layers: [busybox], config: {Cmd: ['/bin/true']}})
  await pull(store, first, 'localhost/first:latest')

  // the second pull finds the busybox layer in the store and decides to reuse it
  const dest = destination(store, 'localhost/second:latest')
  t.teardown(() => dest.close())
  await putConfig(dest, second)
  const reused = await dest.tryReusingBlob({digest: busybox.digest, size: busybox.size}, {layerIndex: 0})
  t.truthy(reused)
  const layerId = store.images.byName('localhost/first:latest')!.layers[0]

  // meanwhile: rmi of the only image that used it, which deletes the layers no image uses
  const report = await removeImages(store, ['localhost/first:latest'], {force: false, all: false, registries: loadRegistriesConf()})
  t.deepEqual(report.errors, [])
  t.is(report.deleted.length, 1)
  t.true(fs.existsSync(path.join(store.layout.diffDir(layerId), 'bin', 'busybox')), 'the pinned layer stays')

  await dest.putManifest({bytes: second.manifest, mediaType: second.mediaType})
  await dest.commit()
  const registered = store.images.byName('localhost/second:latest')!
  t.deepEqual(registered.layers, [layerId])
  t.true(fs.existsSync(path.join(store.layout.diffDir(layerId), 'bin', 'busybox')))
  t.is((store.database.prepare('SELECT COUNT(*) AS n FROM layer_pins').get() as {n: number}).n, 0, 'registration drops the pins')

  // once no image uses it, the next rmi deletes it
  await removeImages(store, ['localhost/second:latest'], {force: false, all: false, registries: loadRegistriesConf()})
  t.false(fs.existsSync(store.layout.layerDir(layerId)))
})
