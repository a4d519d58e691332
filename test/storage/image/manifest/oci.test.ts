// OCI image manifests and indexes: read, checked, and written back in image-spec's field order.
import test from 'ava'

import {TspodError} from '../../../../src/errors'
import {MEDIA_TYPE_OCI_CONFIG, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_LAYER_GZIP, MEDIA_TYPE_OCI_MANIFEST} from '../../../../src/storage/image/manifest/media-types'
import {parseOciIndex, parseOciManifest, serializeOciIndex, serializeOciManifest} from '../../../../src/storage/image/manifest/oci'

const d = (c: string) => `sha256:${c.repeat(64)}`
const manifestJson = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPE_OCI_MANIFEST,
  config: {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: d('c'), size: 100},
  layers: [{mediaType: MEDIA_TYPE_OCI_LAYER_GZIP, digest: d('1'), size: 10, annotations: {k: 'v'}}],
  annotations: {'org.opencontainers.image.created': '2024-01-01T00:00:00Z'},
}

test('a manifest reads into its parts and serializes back to the same JSON', (t) => {
  const m = parseOciManifest(manifestJson)
  t.is(m.mediaType, MEDIA_TYPE_OCI_MANIFEST)
  t.deepEqual(m.config, {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: d('c'), size: 100})
  t.deepEqual(m.layers[0].annotations, {k: 'v'})
  t.is(serializeOciManifest(m).toString(), JSON.stringify(manifestJson))
  const {mediaType, ...withoutType} = manifestJson
  t.is(parseOciManifest(withoutType).mediaType, mediaType, 'mediaType may be left out')
  t.deepEqual(parseOciManifest({...manifestJson, layers: null}).layers, [])
})

test('a manifest that is not one is refused naming the field', (t) => {
  t.throws(() => parseOciManifest({...manifestJson, schemaVersion: 1}), {instanceOf: TspodError, message: 'invalid OCI image manifest: "schemaVersion" must be 2, got 1'})
  t.throws(() => parseOciManifest({...manifestJson, mediaType: MEDIA_TYPE_OCI_INDEX}), {message: `invalid OCI image manifest: "mediaType" must be "${MEDIA_TYPE_OCI_MANIFEST}", got "${MEDIA_TYPE_OCI_INDEX}"`})
  t.throws(() => parseOciManifest({...manifestJson, manifests: []}), {message: 'invalid OCI image manifest: "manifests" is not allowed in an image manifest'})
  t.throws(() => parseOciManifest({...manifestJson, layers: [{mediaType: MEDIA_TYPE_OCI_LAYER_GZIP, digest: d('1'), size: -1}]}), {message: 'invalid OCI image manifest: "layers[0].size" must be a non-negative integer'})
  t.throws(() => parseOciManifest({...manifestJson, config: {digest: d('c'), size: 1}}), {message: 'invalid OCI image manifest: "config.mediaType" must be a string'})
})

const indexJson = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPE_OCI_INDEX,
  manifests: [
    {mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: d('a'), size: 500, platform: {architecture: 'arm64', os: 'linux', variant: 'v8'}},
    {mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: d('b'), size: 501, annotations: {'org.opencontainers.image.ref.name': 'v1'}},
  ],
}

test('an index: instances with platforms and annotations, written back the same', (t) => {
  const list = parseOciIndex(indexJson)
  t.deepEqual(list.instances.map((i) => [i.digest, i.platform?.architecture, i.platform?.variant, i.annotations]), [
    [d('a'), 'arm64', 'v8', undefined],
    [d('b'), undefined, undefined, {'org.opencontainers.image.ref.name': 'v1'}],
  ])
  t.is(serializeOciIndex(list).toString(), JSON.stringify(indexJson))
})

test('an index entry without a media type only passes leniently (old index.json files)', (t) => {
  const old = {schemaVersion: 2, manifests: [{digest: d('a'), size: 1}]}
  t.throws(() => parseOciIndex(old), {message: 'invalid OCI image index: "manifests[0].mediaType" must be a string'})
  t.is(parseOciIndex(old, true).instances[0].mediaType, '')
  t.throws(() => parseOciIndex({...indexJson, layers: []}), {message: 'invalid OCI image index: "layers" is not allowed in an image index'})
})
