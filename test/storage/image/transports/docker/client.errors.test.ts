import test from 'ava'
import * as net from 'node:net'

import {ManifestUnknownError, RegistryResponseError, TooManyRequestsError} from '../../../../../src/storage/image/transports/docker/errors'
import {NetworkError} from '../../../../../src/storage/image/transports/docker/http-request'
import {FaultRegistry, errorDocument, selfSignedCertificate} from '../../../../helpers/fault-registry'
import {REPO, clientFor, closedPort, registryWithImage} from './client-fixtures'

const MANIFEST_PATH = `/v2/${REPO}/manifests/latest`

test('404 manifest unknown', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const error = await t.throwsAsync(clientFor(registry).getManifest('v9'), {
    instanceOf: ManifestUnknownError,
    message: `reading manifest v9 in ${registry.host}/${REPO}: manifest unknown`,
  })
  t.is(error?.statusCode, 404)
  t.is(error?.errorCode, 'MANIFEST_UNKNOWN')
})

test('404 name unknown, and the message a registry sends with detail', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const client = clientFor(registry, {repository: 'library/missing'})
  const error = await t.throwsAsync(client.getManifest('latest'), {
    instanceOf: RegistryResponseError,
    message: `reading manifest latest in ${registry.host}/library/missing: name unknown`,
  })
  t.false(error instanceof ManifestUnknownError)
  t.is(error?.errorCode, 'NAME_UNKNOWN')
  registry.inject(MANIFEST_PATH, {status: 404, body: errorDocument('NAME_UNKNOWN', 'repository name not known to registry', {name: REPO})})
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    message: `reading manifest latest in ${registry.host}/${REPO}: name unknown: repository name not known to registry`,
  })
})

test('messages name the repository as displayName says', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  await t.throwsAsync(clientFor(registry, {displayName: 'docker.io/library/alpine'}).getManifest('v9'), {
    message: 'reading manifest v9 in docker.io/library/alpine: manifest unknown',
  })
})

test('429 is retried after Retry-After', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(MANIFEST_PATH, {status: 429, headers: {'Retry-After': '1'}, body: errorDocument('TOOMANYREQUESTS', 'slow down')})
  const client = clientFor(registry, {retry: {attempts: 3, baseDelayMs: 1, maxDelayMs: 3000}})
  await client.ping()
  const started = Date.now()
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  t.true(Date.now() - started >= 950, `waited only ${Date.now() - started} ms`)
  t.is(registry.count(MANIFEST_PATH), 2)
})

test('429 on every attempt: too many requests, in the registry\'s words', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const body = errorDocument('TOOMANYREQUESTS', 'You have reached your pull rate limit.')
  registry.inject(MANIFEST_PATH, {status: 429, headers: {'Retry-After': '0'}, body}, Infinity)
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    instanceOf: TooManyRequestsError,
    message: `reading manifest latest in ${registry.host}/${REPO}: toomanyrequests: You have reached your pull rate limit.`,
  })
  t.is(registry.count(MANIFEST_PATH), 3)
})

test('500 twice, then success', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(MANIFEST_PATH, {status: 500}, 2)
  t.deepEqual((await clientFor(registry).getManifest('latest')).bytes, manifest)
  t.is(registry.count(MANIFEST_PATH), 3)
})

test('502, 503 and 504 are retried too', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  for (const status of [502, 503, 504]) registry.inject(MANIFEST_PATH, {status})
  t.deepEqual((await clientFor(registry, {retry: {attempts: 4, baseDelayMs: 1, maxDelayMs: 5}}).getManifest('latest')).bytes, manifest)
  t.is(registry.count(MANIFEST_PATH), 4)
})

test('500 on every attempt: a clear error once the attempts are spent', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(MANIFEST_PATH, {status: 500, body: 'boom'}, Infinity)
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    instanceOf: RegistryResponseError,
    message: `reading manifest latest in ${registry.host}/${REPO}: received unexpected HTTP status: 500 Internal Server Error`,
  })
  t.is(registry.count(MANIFEST_PATH), 3)
})

test('other 4xx statuses are not retried', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(MANIFEST_PATH, {status: 403, body: errorDocument('DENIED', 'requested access to the resource is denied')})
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    message: `reading manifest latest in ${registry.host}/${REPO}: denied`,
  })
  t.is(registry.count(MANIFEST_PATH), 1)
})

test('dropped connections are retried', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(MANIFEST_PATH, {drop: true}, 2)
  t.deepEqual((await clientFor(registry).getManifest('latest')).bytes, manifest)
  t.is(registry.count(MANIFEST_PATH), 3)
})

test('no response headers within connectMs: retried, then a timeout naming the URL', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  const client = clientFor(registry, {timeouts: {connectMs: 300, idleMs: 5000}})
  registry.inject(MANIFEST_PATH, {stallHeaders: true})
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  registry.inject(MANIFEST_PATH, {stallHeaders: true}, Infinity)
  await t.throwsAsync(client.getManifest('latest'), {
    instanceOf: NetworkError,
    message: `reading manifest latest in ${registry.host}/${REPO}: Get "http://${registry.host}${MANIFEST_PATH}": timeout awaiting response headers: no answer for 300ms`,
  })
})

test('a manifest body that stalls is fetched again, then times out naming the URL', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  const client = clientFor(registry, {timeouts: {connectMs: 5000, idleMs: 300}})
  registry.inject(MANIFEST_PATH, {stallAfter: 10})
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  t.is(registry.count(MANIFEST_PATH), 2)
  registry.inject(MANIFEST_PATH, {stallAfter: 10}, Infinity)
  await t.throwsAsync(client.getManifest('latest'), {
    instanceOf: NetworkError,
    message: `reading manifest latest in ${registry.host}/${REPO}: Get "http://${registry.host}${MANIFEST_PATH}": idle timeout: no data received for 300ms`,
  })
})

test('a TLS handshake that never completes times out', async (t) => {
  // accepts connections and never says a word: no ServerHello
  const silent = net.createServer(() => undefined)
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
  const sockets = new Set<net.Socket>()
  silent.on('connection', (socket) => sockets.add(socket))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    silent.close()
  })
  const host = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`
  const client = clientFor(host, {insecure: false, timeouts: {connectMs: 300, idleMs: 300}, retry: {attempts: 2, baseDelayMs: 1, maxDelayMs: 1}})
  const error = await t.throwsAsync(client.ping(), {
    instanceOf: NetworkError,
    message: `pinging container registry ${host}: Get "https://${host}/v2/": timeout awaiting response headers: no answer for 300ms`,
  })
  t.true(error?.timedOut)
  t.is(sockets.size, 2)
})

test('a manifest body cut short is fetched again', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(MANIFEST_PATH, {truncateAfter: 10})
  t.deepEqual((await clientFor(registry).getManifest('latest')).bytes, manifest)
  t.is(registry.count(MANIFEST_PATH), 2)
})

test('connection refused, in Go\'s words', async (t) => {
  const port = await closedPort()
  const host = `127.0.0.1:${port}`
  await t.throwsAsync(clientFor(host).ping(), {
    instanceOf: NetworkError,
    message: `pinging container registry ${host}: Get "http://${host}/v2/": dial tcp ${host}: connect: connection refused`,
  })
  const error = await t.throwsAsync(clientFor(host, {insecure: false}).getManifest('latest'), {
    instanceOf: NetworkError,
    message: `pinging container registry ${host}: Get "https://${host}/v2/": dial tcp ${host}: connect: connection refused`,
  })
  t.is(error?.code, 'ECONNREFUSED')
})

test('an unknown host, in Go\'s words', async (t) => {
  await t.throwsAsync(clientFor('nonexistent.invalid', {insecure: false}).ping(), {
    message:
      /^pinging container registry nonexistent\.invalid: Get "https:\/\/nonexistent\.invalid\/v2\/": dial tcp: lookup nonexistent\.invalid: (no such host|Temporary failure in name resolution)$/,
  })
})

test('https to a plain http registry without insecure', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  await t.throwsAsync(clientFor(registry, {insecure: false}).getManifest('latest'), {
    message: `pinging container registry ${registry.host}: Get "https://${registry.host}/v2/": http: server gave HTTP response to HTTPS client`,
  })
  t.is(registry.count(), 0)
})

test('a self-signed certificate: refused unless insecure, which turns verification off', async (t) => {
  const registry = await FaultRegistry.start({tls: selfSignedCertificate()})
  t.teardown(() => registry.close())
  const manifest = '{"schemaVersion":2}'
  registry.addManifest(REPO, 'latest', manifest, 'application/vnd.oci.image.manifest.v1+json')
  await t.throwsAsync(clientFor(registry, {insecure: false}).ping(), {
    message: `pinging container registry ${registry.host}: Get "https://${registry.host}/v2/": x509: certificate signed by unknown authority`,
  })
  const client = clientFor(registry, {insecure: true})
  t.is((await client.ping()).scheme, 'https')
  t.is((await client.getManifest('latest')).bytes.toString(), manifest)
})

test('a ping answered with an error status', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject('/v2/', {status: 503}, 3)
  await t.throwsAsync(clientFor(registry).ping(), {
    message: `pinging container registry ${registry.host}: received unexpected HTTP status: 503 Service Unavailable`,
  })
  registry.inject('/v2/', {status: 404, body: 'no v2 here'})
  await t.throwsAsync(clientFor(registry).ping(), {
    message: `pinging container registry ${registry.host}: StatusCode: 404, "no v2 here"`,
  })
})

test('a failed ping is tried again by the next call', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  const client = clientFor(registry, {retry: {attempts: 1, baseDelayMs: 1, maxDelayMs: 1}})
  registry.inject('/v2/', {status: 500})
  await t.throwsAsync(client.getManifest('latest'), {message: /^pinging container registry/})
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
})

test('aborting the signal ends a request at once', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  const controller = new AbortController()
  const client = clientFor(registry, {signal: controller.signal})
  await client.ping()
  registry.inject(MANIFEST_PATH, {stallHeaders: true}, Infinity)
  setTimeout(() => controller.abort(), 50)
  const started = Date.now()
  await t.throwsAsync(client.getManifest('latest'), {message: 'operation canceled'})
  t.true(Date.now() - started < 2000)
})
