import test from 'ava'

import {convertManifest, guessManifestMediaType, parseImageManifest, parseManifest, serializeManifest} from '../../../../src/storage/image/manifest/manifest'
import {
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_DOCKER_FOREIGN_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_LAYER,
  MEDIA_TYPE_DOCKER_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED,
  MEDIA_TYPE_OCI_CONFIG,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_LAYER,
  MEDIA_TYPE_OCI_LAYER_GZIP,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP,
  MEDIA_TYPE_OCI_LAYER_ZSTD,
  MEDIA_TYPE_OCI_MANIFEST,
} from '../../../../src/storage/image/manifest/media-types'
import {ImageManifest, isManifestList, ManifestList} from '../../../../src/storage/image/manifest/types'
import {buildImage, buildIndex, sha256, toDockerSchema2} from '../../../helpers/oci-image'

const D1 = sha256('one')
const D2 = sha256('two')
const D3 = sha256('three')

function ociManifest(layers: Array<{mediaType: string; digest: string; size: number}>, extra: object = {}): Buffer {
  return Buffer.from(
    JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, config: {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: D1, size: 10}, layers, ...extra}),
  )
}

test('OCI and Docker manifests and lists built by the test helpers parse into the common shape', async (t) => {
  const image = await buildImage({layers: [[{path: 'a', content: 'a'}], [{path: 'b', content: 'b'}]]})
  const oci = parseImageManifest(image.manifest, image.mediaType)
  t.is(oci.mediaType, MEDIA_TYPE_OCI_MANIFEST)
  t.deepEqual(oci.config, {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: image.configDigest, size: image.config.length})
  t.deepEqual(oci.layers, image.layers.map((l) => ({mediaType: MEDIA_TYPE_OCI_LAYER_GZIP, digest: l.digest, size: l.size})))

  const docker = toDockerSchema2(image)
  const parsed = parseImageManifest(docker.manifest, docker.mediaType)
  t.is(parsed.mediaType, MEDIA_TYPE_DOCKER_MANIFEST)
  t.is(parsed.config.mediaType, MEDIA_TYPE_DOCKER_CONFIG)
  t.deepEqual(parsed.layers.map((l) => l.mediaType), [MEDIA_TYPE_DOCKER_LAYER_GZIP, MEDIA_TYPE_DOCKER_LAYER_GZIP])

  const index = buildIndex([image])
  const list = parseManifest(index.manifest, index.mediaType) as ManifestList
  t.true(isManifestList(list))
  t.is(list.mediaType, MEDIA_TYPE_OCI_INDEX)
  t.deepEqual(list.instances, [{mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: image.manifestDigest, size: image.manifest.length, platform: image.platform}])
  const dockerList = buildIndex([image], 'docker')
  const parsedList = parseManifest(dockerList.manifest, dockerList.mediaType) as ManifestList
  t.is(parsedList.mediaType, MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  t.is(parsedList.instances[0].mediaType, MEDIA_TYPE_DOCKER_MANIFEST)
})

test('serializing the parsed form gives the same bytes back for what the helpers (and containers/image) write', async (t) => {
  const image = await buildImage({layers: [[{path: 'a', content: 'a'}]]})
  for (const built of [image, toDockerSchema2(image), buildIndex([image]), buildIndex([image], 'docker')]) {
    const blob = serializeManifest(parseManifest(built.manifest, built.mediaType))
    t.is(blob.mediaType, built.mediaType)
    t.deepEqual(JSON.parse(blob.bytes.toString()), JSON.parse(built.manifest.toString()))
  }
  const annotated = ociManifest([{mediaType: MEDIA_TYPE_OCI_LAYER, digest: D2, size: 1}], {subject: {mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: D3, size: 5}, annotations: {a: 'b'}})
  t.deepEqual(serializeManifest(parseManifest(annotated)).bytes, annotated)
})

test('the media type is guessed when the transport gives none or a generic one', (t) => {
  const noType = Buffer.from(JSON.stringify({schemaVersion: 2, config: {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: D1, size: 1}, layers: []}))
  t.is(guessManifestMediaType(noType), MEDIA_TYPE_OCI_MANIFEST)
  t.is(parseManifest(noType).mediaType, MEDIA_TYPE_OCI_MANIFEST)
  t.is(parseManifest(noType, 'application/json').mediaType, MEDIA_TYPE_OCI_MANIFEST)
  const dockerConfig = Buffer.from(JSON.stringify({schemaVersion: 2, config: {mediaType: MEDIA_TYPE_DOCKER_CONFIG, digest: D1, size: 1}, layers: []}))
  t.is(guessManifestMediaType(dockerConfig), MEDIA_TYPE_DOCKER_MANIFEST)
  const index = Buffer.from(JSON.stringify({schemaVersion: 2, manifests: [{mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: D1, size: 3}]}))
  t.is(guessManifestMediaType(index), MEDIA_TYPE_OCI_INDEX)
  t.is(parseManifest(index, '').mediaType, MEDIA_TYPE_OCI_INDEX)
  t.is(guessManifestMediaType(Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST, manifests: []}))), MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  t.is(guessManifestMediaType(Buffer.from('not json')), undefined)
  t.is(guessManifestMediaType(Buffer.from('{"schemaVersion":2}')), undefined)
})

test('schema 1, unknown documents and malformed manifests are refused, naming the field', (t) => {
  const schema1 = Buffer.from(JSON.stringify({schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [], signatures: []}))
  t.throws(() => parseManifest(schema1), {message: `unsupported manifest type: Docker schema 1 (${MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED}) is not supported`})
  t.throws(() => parseManifest(schema1, MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED), {message: /Docker schema 1/})
  t.throws(() => parseManifest(Buffer.from('{"schemaVersion":2,"foo":1}')), {message: /^unsupported manifest type: neither a known "mediaType"/})
  t.throws(() => parseManifest(Buffer.from('{nope'), ''), {message: /^invalid manifest: /})
  t.throws(() => parseManifest(Buffer.from('[]'), MEDIA_TYPE_OCI_MANIFEST), {message: 'invalid OCI image manifest: not a JSON object'})

  const badDigest = ociManifest([{mediaType: MEDIA_TYPE_OCI_LAYER, digest: 'sha256:abc', size: 1}])
  t.throws(() => parseManifest(badDigest), {message: 'invalid OCI image manifest: "layers[0].digest" must be a digest ("sha256:<64 hex digits>"), got "sha256:abc"'})
  const badSize = ociManifest([{mediaType: MEDIA_TYPE_OCI_LAYER, digest: D2, size: -1}])
  t.throws(() => parseManifest(badSize), {message: 'invalid OCI image manifest: "layers[0].size" must be a non-negative integer'})
  const noConfig = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, layers: []}))
  t.throws(() => parseManifest(noConfig), {message: 'invalid OCI image manifest: "config" must be an object'})
  const wrongVersion = Buffer.from(JSON.stringify({schemaVersion: 3, mediaType: MEDIA_TYPE_DOCKER_MANIFEST, config: {}, layers: []}))
  t.throws(() => parseManifest(wrongVersion), {message: 'invalid Docker schema2 manifest: "schemaVersion" must be 2, got 3'})
  const mismatched = ociManifest([])
  t.throws(() => parseManifest(mismatched, MEDIA_TYPE_DOCKER_MANIFEST), {message: /"mediaType" must be "application\/vnd.docker.distribution.manifest.v2\+json"/})
  const ambiguous = Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX, manifests: [], layers: []}))
  t.throws(() => parseManifest(ambiguous), {message: 'invalid OCI image index: "layers" is not allowed in an image index'})
  const index = Buffer.from(JSON.stringify({schemaVersion: 2, manifests: [{mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: D1, size: 1, platform: {os: 'linux'}}]}))
  t.throws(() => parseManifest(index), {message: 'invalid OCI image index: "manifests[0].platform.architecture" must be a string'})
  t.throws(() => parseImageManifest(Buffer.from(JSON.stringify({schemaVersion: 2, manifests: []}))), {message: `expected an image manifest, got a manifest list (${MEDIA_TYPE_OCI_INDEX})`})
})

test('converting OCI to Docker schema2 and back maps config and layer media types, blobs unchanged', (t) => {
  const oci = parseImageManifest(
    ociManifest(
      [
        {mediaType: MEDIA_TYPE_OCI_LAYER_GZIP, digest: D2, size: 2},
        {mediaType: MEDIA_TYPE_OCI_LAYER, digest: D3, size: 3},
      ],
      {annotations: {dropped: 'yes'}},
    ),
  )
  const docker = convertManifest(oci, MEDIA_TYPE_DOCKER_MANIFEST)
  t.deepEqual(docker, {
    mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
    config: {mediaType: MEDIA_TYPE_DOCKER_CONFIG, digest: D1, size: 10},
    layers: [
      {mediaType: MEDIA_TYPE_DOCKER_LAYER_GZIP, digest: D2, size: 2},
      {mediaType: MEDIA_TYPE_DOCKER_LAYER, digest: D3, size: 3},
    ],
  })
  const back = convertManifest(docker, MEDIA_TYPE_OCI_MANIFEST)
  const expected: ImageManifest = {mediaType: MEDIA_TYPE_OCI_MANIFEST, config: oci.config, layers: oci.layers}
  t.deepEqual(back, expected, 'the same manifest, less the OCI-only annotations')
  t.is(convertManifest(oci, MEDIA_TYPE_OCI_MANIFEST), oci)

  const foreign = parseImageManifest(ociManifest([{mediaType: MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP, digest: D2, size: 2, urls: ['https://example.com/x']} as never]))
  t.deepEqual(convertManifest(foreign, MEDIA_TYPE_DOCKER_MANIFEST).layers, [{mediaType: MEDIA_TYPE_DOCKER_FOREIGN_LAYER_GZIP, digest: D2, size: 2, urls: ['https://example.com/x']}])

  // the converted manifest serializes as a valid manifest of the new type
  const bytes = serializeManifest(docker).bytes
  t.deepEqual(parseImageManifest(bytes, MEDIA_TYPE_DOCKER_MANIFEST), docker)
})

test('conversions that cannot be made are refused with containers/image wording', (t) => {
  const zstd = parseImageManifest(ociManifest([{mediaType: MEDIA_TYPE_OCI_LAYER_ZSTD, digest: D2, size: 2}]))
  t.throws(() => convertManifest(zstd, MEDIA_TYPE_DOCKER_MANIFEST), {
    message: `Error during manifest conversion: "${MEDIA_TYPE_OCI_LAYER_ZSTD}": zstd compression is not supported for docker images`,
  })
  const unknownLayer = parseImageManifest(ociManifest([{mediaType: 'application/x-custom', digest: D2, size: 2}]))
  t.throws(() => convertManifest(unknownLayer, MEDIA_TYPE_DOCKER_MANIFEST), {message: 'Unknown media type during manifest conversion: "application/x-custom"'})
  const artifact = parseImageManifest(
    Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, config: {mediaType: 'application/vnd.example.config', digest: D1, size: 1}, layers: []})),
  )
  t.throws(() => convertManifest(artifact, MEDIA_TYPE_DOCKER_MANIFEST), {message: 'unsupported image-specific operation on artifact with type "application/vnd.example.config"'})
  const mixed = parseImageManifest(
    Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, config: {mediaType: MEDIA_TYPE_DOCKER_CONFIG, digest: D1, size: 1}, layers: []})),
  )
  t.throws(() => convertManifest(mixed, MEDIA_TYPE_DOCKER_MANIFEST), {message: `invalid mixed OCI image with Docker v2s2 config ("${MEDIA_TYPE_DOCKER_CONFIG}")`})
  t.throws(() => convertManifest(mixed, MEDIA_TYPE_OCI_INDEX), {message: /^cannot convert/})
})
