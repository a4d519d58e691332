// Docker schema 2 manifests and manifest lists: read, checked, and written in Docker's field order.
import test from 'ava'

import {TspodError} from '../../../../src/errors'
import {parseDockerManifest, parseDockerManifestList, serializeDockerManifest, serializeDockerManifestList} from '../../../../src/storage/image/manifest/docker-schema2'
import {MEDIA_TYPE_DOCKER_CONFIG, MEDIA_TYPE_DOCKER_LAYER_GZIP, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST} from '../../../../src/storage/image/manifest/media-types'

const d = (c: string) => `sha256:${c.repeat(64)}`
const manifestJson = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
  config: {mediaType: MEDIA_TYPE_DOCKER_CONFIG, size: 100, digest: d('c')},
  layers: [{mediaType: MEDIA_TYPE_DOCKER_LAYER_GZIP, size: 10, digest: d('1'), urls: ['https://example.com/l']}],
}

test('a manifest reads into its parts and serializes back to the same JSON (size before digest)', (t) => {
  const m = parseDockerManifest(manifestJson)
  t.deepEqual(m.layers, [{mediaType: MEDIA_TYPE_DOCKER_LAYER_GZIP, digest: d('1'), size: 10, urls: ['https://example.com/l']}])
  t.is(serializeDockerManifest(m).toString(), JSON.stringify(manifestJson))
})

test('a manifest must say its schema and media type', (t) => {
  t.throws(() => parseDockerManifest({...manifestJson, mediaType: undefined}), {instanceOf: TspodError, message: `invalid Docker schema2 manifest: "mediaType" must be "${MEDIA_TYPE_DOCKER_MANIFEST}", got undefined`})
  t.throws(() => parseDockerManifest({...manifestJson, schemaVersion: '2'}), {message: 'invalid Docker schema2 manifest: "schemaVersion" must be 2, got "2"'})
  t.throws(() => parseDockerManifest({...manifestJson, manifests: []}), {message: 'invalid Docker schema2 manifest: "manifests" is not allowed in an image manifest'})
})

test('a manifest list: instances and their platforms; written back with a platform each', (t) => {
  const listJson = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST,
    manifests: [{mediaType: MEDIA_TYPE_DOCKER_MANIFEST, size: 7, digest: d('a'), platform: {architecture: 'amd64', os: 'linux', features: ['sse4']}}],
  }
  const list = parseDockerManifestList(listJson)
  t.deepEqual(list.instances, [{digest: d('a'), size: 7, mediaType: MEDIA_TYPE_DOCKER_MANIFEST, platform: {architecture: 'amd64', os: 'linux', features: ['sse4']}}])
  t.is(serializeDockerManifestList(list).toString(), JSON.stringify(listJson))
  t.throws(() => parseDockerManifestList({...listJson, config: {}}), {message: 'invalid Docker manifest list: "config" is not allowed in a manifest list'})
})
