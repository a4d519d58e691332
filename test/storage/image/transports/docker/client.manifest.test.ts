import test from 'ava'

import {MANIFEST_ACCEPT_TYPES} from '../../../../../src/storage/image/transports/docker/client'
import {sha256} from '../../../../helpers/fault-registry'
import {OCI_MANIFEST, REPO, clientFor, registryWithImage} from './client-fixtures'

test('the Accept list in containers/image\'s order, the API version header and the User-Agent', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  const blob = await clientFor(registry, {userAgent: 'tspod-test/1'}).getManifest('latest')
  t.deepEqual(blob, {bytes: manifest, mediaType: OCI_MANIFEST})
  const request = registry.requests.find((r) => r.url === `/v2/${REPO}/manifests/latest`)!
  t.is(
    request.headers.accept,
    'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, ' +
      'application/vnd.docker.distribution.manifest.v1+prettyjws, application/vnd.docker.distribution.manifest.v1+json, ' +
      'application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json',
  )
  t.is(MANIFEST_ACCEPT_TYPES.length, 6)
  t.is(request.headers['docker-distribution-api-version'], 'registry/2.0')
  t.is(request.headers['user-agent'], 'tspod-test/1')
  t.is(registry.requests[0].url, '/v2/')
  t.is(registry.requests[0].headers['user-agent'], 'tspod-test/1')
})

test('the default User-Agent names tspod and its version', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  await clientFor(registry).getManifest('latest')
  t.regex(String(registry.requests[0].headers['user-agent']), /^tspod\/\d+\.\d+\.\d+/)
})

test('the media type is the Content-Type without parameters', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const index = '{"schemaVersion":2,"manifests":[]}'
  registry.inject(`/v2/${REPO}/manifests/multi`, {status: 200, headers: {'Content-Type': 'application/vnd.oci.image.index.v1+json; charset=utf-8'}, body: index})
  const blob = await clientFor(registry).getManifest('multi')
  t.is(blob.mediaType, 'application/vnd.oci.image.index.v1+json')
  t.is(blob.bytes.toString(), index)
})

test('by digest: the bytes must match it', async (t) => {
  const {registry, manifest, manifestDigest} = await registryWithImage()
  t.teardown(() => registry.close())
  const client = clientFor(registry)
  t.deepEqual((await client.getManifest(manifestDigest)).bytes, manifest)
  registry.inject(`/v2/${REPO}/manifests/${manifestDigest}`, {wrongBytes: true})
  await t.throwsAsync(client.getManifest(manifestDigest), {message: `Manifest does not match provided manifest digest ${manifestDigest}`})
})

test('a signed schema 1 manifest is digested without its signatures, as libtrust does', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const payload = '{\n   "schemaVersion": 1,\n   "name": "library/alpine",\n   "tag": "latest",\n   "fsLayers": []\n}'
  const formatLength = payload.length - 2 // before "\n}"
  const protectedHeader = Buffer.from(JSON.stringify({formatLength, formatTail: Buffer.from('\n}').toString('base64url'), time: '2024-01-01T00:00:00Z'})).toString('base64url')
  const signed = `${payload.slice(0, formatLength)},\n   "signatures": [{"header": {}, "signature": "c2ln", "protected": "${protectedHeader}"}]\n}`
  const digest = sha256(payload)
  registry.inject(`/v2/${REPO}/manifests/${digest}`, {
    status: 200,
    headers: {'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws'},
    body: signed,
  })
  const blob = await clientFor(registry).getManifest(digest)
  t.is(blob.bytes.toString(), signed)
  t.is(blob.mediaType, 'application/vnd.docker.distribution.manifest.v1+prettyjws')
})

test('a schema 1 manifest with an unreadable signature is an error naming the manifest', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const digest = sha256('whatever')
  registry.inject(`/v2/${REPO}/manifests/${digest}`, {status: 200, body: '{"schemaVersion":1,"signatures":[{"protected":"e30"}]}'})
  await t.throwsAsync(clientFor(registry).getManifest(digest), {
    message: `reading manifest ${digest} in ${registry.host}/${REPO}: invalid schema 1 manifest signature: no formatLength/formatTail`,
  })
})

test('manifests over 4 MiB are refused', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.addManifest(REPO, 'huge', Buffer.alloc(4 * 1024 * 1024 + 1, 0x20), OCI_MANIFEST)
  await t.throwsAsync(clientFor(registry).getManifest('huge'), {
    message: `reading manifest huge in ${registry.host}/${REPO}: exceeded maximum allowed size of 4194304 bytes`,
  })
})

test('malformed references never reach the network', async (t) => {
  const client = clientFor('127.0.0.1:1')
  await t.throwsAsync(client.getManifest('sha256:abc'), {message: 'invalid digest "sha256:abc": invalid checksum digest length'})
  await t.throwsAsync(client.getManifest('md5:0123'), {message: 'invalid digest "md5:0123": unsupported digest algorithm'})
  await t.throwsAsync(client.getManifest('../x'), {message: 'invalid tag "../x"'})
  await t.throwsAsync(client.getBlob('latest'), {message: 'invalid digest "latest": invalid checksum digest format'})
  t.throws(() => clientFor('127.0.0.1:1', {repository: 'Library/Alpine'}), {message: 'invalid repository name "Library/Alpine"'})
})
