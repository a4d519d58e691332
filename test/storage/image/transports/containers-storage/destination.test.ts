// @userns
// A layer blob this process wrote itself (a build step's tar) goes into the store by a rename
// when it is on the store's filesystem, by a copy when it is not; either way the caller's file
// is gone and the layer is the same. As real root: the store writes directly.
import test from 'ava'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {loadStorageConfig} from '../../../../../src/storage/config/storage-conf'
import {Store} from '../../../../../src/storage/store/store'
import {StoreDestination} from '../../../../../src/storage/image/transports/containers-storage/destination'
import type {ImageReference} from '../../../../../src/storage/image/transports/types'
import {buildImage, busyboxLayer} from '../../../../helpers/oci-image'

async function openTemp(t: {teardown(fn: () => void): void}): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-dest-'))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => {
    store.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })
  return store
}

async function storeFromFile(t: {teardown(fn: () => void): void}, store: Store, sourceDir: string): Promise<{source: string; inode: number; layerId: string; data: Buffer}> {
  const layer = await busyboxLayer()
  const image = await buildImage({layers: [layer]})
  const source = path.join(sourceDir, 'layer.tar')
  fs.writeFileSync(source, layer.data)
  const inode = fs.statSync(source).ino
  const dest = new StoreDestination({} as ImageReference, store, {names: ['localhost/moved:latest']})
  t.teardown(() => dest.close())
  await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true})
  await dest.putBlobFile(source, {digest: layer.digest, size: layer.size, mediaType: layer.mediaType}, {layerIndex: 0})
  await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
  await dest.commit()
  return {source, inode, layerId: store.images.byName('localhost/moved:latest')!.layers[0], data: layer.data}
}

test('a layer file on the store filesystem is moved in: the same inode is the stored blob', async (t) => {
  const store = await openTemp(t)
  const {source, inode, layerId, data} = await storeFromFile(t, store, store.newWorkDir('tmp'))
  t.false(fs.existsSync(source))
  t.is(fs.statSync(store.layout.blobFile(layerId)).ino, inode)
  t.deepEqual(fs.readFileSync(store.layout.blobFile(layerId)), data)
  t.true(fs.existsSync(path.join(store.layout.diffDir(layerId), 'bin', 'busybox')))
})

test('a layer file on another filesystem is copied in and removed', async (t) => {
  if (!fs.existsSync('/dev/shm')) return t.pass('no /dev/shm here')
  const store = await openTemp(t)
  const elsewhere = fs.mkdtempSync('/dev/shm/tspod-dest-')
  t.teardown(() => fs.rmSync(elsewhere, {recursive: true, force: true}))
  if (fs.statSync(elsewhere).dev === fs.statSync(store.layout.graphRoot).dev) return t.pass('/dev/shm is on the store filesystem here')
  const {source, layerId, data} = await storeFromFile(t, store, elsewhere)
  t.false(fs.existsSync(source))
  t.deepEqual(fs.readFileSync(store.layout.blobFile(layerId)), data)
  t.true(fs.existsSync(path.join(store.layout.diffDir(layerId), 'bin', 'busybox')))
})

/** A layer file put in under `digest`, which the config also names as its DiffID. */
async function putUnderDigest(t: {teardown(fn: () => void): void}, store: Store, digest: string, digestComputed: boolean): Promise<void> {
  const layer = await busyboxLayer()
  const source = path.join(store.newWorkDir('tmp'), 'layer.tar')
  fs.writeFileSync(source, layer.data)
  const config = Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', config: {}, rootfs: {type: 'layers', diff_ids: [digest]}, history: [{created_by: 'test'}]}))
  const configDigest = `sha256:${crypto.createHash('sha256').update(config).digest('hex')}`
  const dest = new StoreDestination({} as ImageReference, store, {names: ['localhost/computed:latest']})
  t.teardown(() => dest.close())
  await dest.putBlob(Readable.from([config]), {digest: configDigest, size: config.length}, {isConfig: true})
  await dest.putBlobFile(source, {digest, size: layer.data.length, mediaType: layer.mediaType}, {layerIndex: 0, digestComputed})
  const manifest = {schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length}, layers: [{mediaType: layer.mediaType, digest, size: layer.data.length}]}
  await dest.putManifest({bytes: Buffer.from(JSON.stringify(manifest)), mediaType: manifest.mediaType})
  await dest.commit()
}

test('digestComputed: the digest its writer computed is taken as the DiffID, the layer is not hashed again', async (t) => {
  const named = `sha256:${'c'.repeat(64)}`
  const trusted = await openTemp(t)
  await putUnderDigest(t, trusted, named, true)
  t.is(trusted.images.byName('localhost/computed:latest')!.layers.length, 1, 'unpacked and registered under the digest given')
  const checked = await openTemp(t)
  await t.throwsAsync(putUnderDigest(t, checked, named, false), {message: /does not match config's DiffID/})
})
