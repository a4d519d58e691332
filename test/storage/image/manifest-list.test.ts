// Stored manifest lists without a registry: the format they are saved in, overrides, and edits.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {loadRegistriesConf} from '../../../src/storage/image/config/registries-conf'
import {applyOverrides, createList, loadList, removeFromList, saveList, serializeList} from '../../../src/storage/image/manifest-list'
import type {ManifestListInstance} from '../../../src/storage/image/manifest/manifest'
import {Store} from '../../../src/storage/store/store'

const instance = (): ManifestListInstance => ({
  digest: `sha256:${'a'.repeat(64)}`,
  size: 10,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  platform: {architecture: 'amd64', os: 'linux'},
})

test('a list is saved as a Docker manifest list until it carries annotations, then as an OCI index', (t) => {
  const plain = serializeList({mediaType: 'x', instances: [instance()]})
  t.is(plain.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json')
  const entry = instance()
  applyOverrides(entry, {arch: 'arm64', variant: 'v8', osVersion: '1', osFeatures: ['f'], annotations: ['a=b=c']})
  t.deepEqual(entry.platform, {architecture: 'arm64', os: 'linux', variant: 'v8', osVersion: '1', osFeatures: ['f']})
  t.deepEqual(entry.annotations, {a: 'b=c'})
  const annotated = serializeList({mediaType: 'x', instances: [entry]})
  t.is(annotated.mediaType, 'application/vnd.oci.image.index.v1+json')
  t.deepEqual(JSON.parse(annotated.manifest.toString()).manifests[0].annotations, {a: 'b=c'})
  t.throws(() => applyOverrides(instance(), {annotations: ['novalue']}), {message: 'no value given for annotation "novalue"'})
})

test('a list is an image of the store: created empty, edited, its instances data kept in its record', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-lists-'))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => {
    store.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })
  const registries = loadRegistriesConf({})
  const image = createList(store, 'mylist')
  t.deepEqual(image.names, ['localhost/mylist:latest'])
  t.deepEqual(image.namesHistory, [])
  t.deepEqual(image.layers, [])
  t.throws(() => createList(store, 'mylist'), {message: /^creating image to hold manifest list: image name "localhost\/mylist:latest" is already associated with image "[0-9a-f]{64}": that name is already in use$/})

  const stored = loadList(store, 'mylist', registries)
  stored.list.instances.push(instance())
  stored.instances[instance().digest] = 'docker://example.com/app:1'
  saveList(store, stored)
  const record = JSON.parse(fs.readFileSync(store.layout.imageRecord(image.id), 'utf8')) as {listInstances: Record<string, string>; digest: string}
  t.deepEqual(record.listInstances, {[instance().digest]: 'docker://example.com/app:1'})
  t.is(fs.readFileSync(store.layout.imageManifest(image.id), 'utf8'), serializeList(stored.list).manifest.toString())

  removeFromList(store, 'mylist', instance().digest, registries)
  t.deepEqual(loadList(store, image.id, registries).list.instances, [])
  t.deepEqual(store.images.get(image.id)!.listInstances, {})
})
