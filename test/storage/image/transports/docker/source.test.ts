import test from 'ava'

import {DockerImageSource, DockerImageSourceOptions} from '../../../../../src/storage/image/transports/docker/source'
import {ImageReference, Transport} from '../../../../../src/storage/image/transports/types'
import {basicHeader} from '../../../../helpers/fault-registry'
import {FAST_RETRY, REPO, collect, registryWithImage} from './client-fixtures'

// Only what DockerImageSource reads of its reference; the docker transport builds real ones.
function referenceNamed(dockerReference: string): ImageReference {
  const transport: Transport = {
    name: 'docker',
    parseReference: () => {
      throw new Error('not used')
    },
  }
  return {
    transport,
    toString: () => `//${dockerReference}`,
    dockerReference: () => dockerReference,
    newSource: () => Promise.reject(new Error('not used')),
    newDestination: () => Promise.reject(new Error('not used')),
  }
}

function sourceFor(host: string, overrides: Partial<DockerImageSourceOptions> = {}): DockerImageSource {
  return new DockerImageSource({
    reference: referenceNamed(`${host}/${REPO}:latest`),
    registry: host,
    repository: REPO,
    tagOrDigest: 'latest',
    insecure: true,
    ctx: {},
    retry: FAST_RETRY,
    ...overrides,
  })
}

test('the top-level manifest, an instance by digest, and blobs', async (t) => {
  const {registry, manifest, manifestDigest, layer, layerDigest} = await registryWithImage()
  t.teardown(() => registry.close())
  const instance = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}')
  const instanceDigest = registry.addManifest(REPO, undefined, instance, 'application/vnd.oci.image.manifest.v1+json')
  const source = sourceFor(registry.host)
  t.deepEqual(await source.getManifest(), {bytes: manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json'})
  t.deepEqual((await source.getManifest(instanceDigest)).bytes, instance)
  const {stream, size} = await source.getBlob({digest: layerDigest, size: layer.length})
  t.is(size, layer.length)
  t.true((await collect(stream)).bytes.equals(layer))
  t.deepEqual(
    registry.requests.map((r) => r.url),
    ['/v2/', `/v2/${REPO}/manifests/latest`, `/v2/${REPO}/manifests/${instanceDigest}`, `/v2/${REPO}/blobs/${layerDigest}`],
  )
  const byDigest = sourceFor(registry.host, {tagOrDigest: manifestDigest})
  t.deepEqual((await byDigest.getManifest()).bytes, manifest)
  await source.close()
})

test('messages name the image as its reference does, not the host contacted', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const source = sourceFor(registry.host, {reference: referenceNamed('docker.io/library/alpine:3.19'), tagOrDigest: '3.19'})
  await t.throwsAsync(source.getManifest(), {message: 'reading manifest 3.19 in docker.io/library/alpine: manifest unknown'})
})

test('--creds (ctx.credentials) wins over the auth file lookup', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  const creds = {username: 'bob', password: 'pw'}
  registry.requireBasic(creds)
  const source = sourceFor(registry.host, {ctx: {credentials: creds}, getCredentials: () => ({username: 'bob', password: 'stale'})})
  t.deepEqual((await source.getManifest()).bytes, manifest)
  t.is(registry.requests.at(-1)?.headers.authorization, basicHeader(creds))
  const fromFile = sourceFor(registry.host, {getCredentials: (host) => (host === registry.host ? creds : undefined)})
  t.deepEqual((await fromFile.getManifest()).bytes, manifest)
})

test('--tls-verify (ctx.tlsVerify) decides over registries.conf\'s insecure', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  const verifying = sourceFor(registry.host, {insecure: true, ctx: {tlsVerify: true}})
  await t.throwsAsync(verifying.getManifest(), {message: /http: server gave HTTP response to HTTPS client$/})
  const notVerifying = sourceFor(registry.host, {insecure: false, ctx: {tlsVerify: false}})
  t.deepEqual((await notVerifying.getManifest()).bytes, manifest)
})

test('close() ends blob streams still running; ctx.signal aborts too', async (t) => {
  const {registry, layerDigest} = await registryWithImage(Buffer.alloc(100_000, 1))
  t.teardown(() => registry.close())
  registry.inject(`/v2/${REPO}/blobs/${layerDigest}`, {stallAfter: 10}, 2)
  const source = sourceFor(registry.host)
  const {stream} = await source.getBlob({digest: layerDigest, size: -1})
  setTimeout(() => void source.close(), 50)
  const closed = await collect(stream)
  t.false(closed.ended)
  t.regex(closed.error?.message ?? '', /^reading blob sha256:[0-9a-f]{64} in 127\.0\.0\.1:\d+\/library\/alpine: image source docker:\/\/127\.0\.0\.1:\d+\/library\/alpine:latest closed$/)

  const controller = new AbortController()
  const aborted = sourceFor(registry.host, {ctx: {signal: controller.signal}})
  const second = await aborted.getBlob({digest: layerDigest, size: -1})
  setTimeout(() => controller.abort(), 50)
  const result = await collect(second.stream)
  t.false(result.ended)
  t.regex(result.error?.message ?? '', /operation canceled$/)
})
