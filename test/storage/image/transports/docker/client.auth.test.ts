import test from 'ava'

import {UnauthorizedError} from '../../../../../src/storage/image/transports/docker/errors'
import {basicHeader, errorDocument} from '../../../../helpers/fault-registry'
import {REPO, clientFor, collect, registryWithImage} from './client-fixtures'

const CREDENTIALS = {username: 'alice', password: 's3cret'}

test('bearer: the token is fetched with Basic credentials, account, service and scope, and cached', async (t) => {
  const {registry, manifest, layerDigest, configDigest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer({credentials: CREDENTIALS})
  const looked: string[] = []
  const client = clientFor(registry, {
    getCredentials: (host) => {
      looked.push(host)
      return CREDENTIALS
    },
  })
  const ping = await client.ping()
  t.is(ping.scheme, 'http')
  t.deepEqual(ping.challenges, [{scheme: 'bearer', parameters: {realm: `${registry.origin}/token`, service: 'fault-registry'}}])

  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  await collect((await client.getBlob(layerDigest)).stream)
  await collect((await client.getBlob(configDigest)).stream)

  t.is(registry.tokenRequests.length, 1)
  t.deepEqual(registry.tokenRequests[0].query, {account: 'alice', scope: `repository:${REPO}:pull`, service: 'fault-registry'})
  t.is(registry.tokenRequests[0].authorization, basicHeader(CREDENTIALS))
  t.deepEqual(looked, [registry.host])
  const registryRequests = registry.requests.filter((r) => r.url.startsWith(`/v2/${REPO}/`))
  t.is(registryRequests.length, 3)
  for (const r of registryRequests) t.regex(String(r.headers.authorization), /^Bearer [0-9a-f]{32}$/)
  t.is(new Set(registryRequests.map((r) => r.headers.authorization)).size, 1)
})

test('bearer without credentials: an anonymous token, no account, no Authorization', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer({tokenField: 'access_token'})
  const client = clientFor(registry)
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  t.is(registry.tokenRequests.length, 1)
  t.deepEqual(registry.tokenRequests[0].query, {scope: `repository:${REPO}:pull`, service: 'fault-registry'})
  t.is(registry.tokenRequests[0].authorization, undefined)
})

test("a client for the whole registry (search's catalog) asks for a token of no repository's scope", async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer()
  const client = clientFor(registry, {repository: ''})
  await client.send('/v2/_catalog', {method: 'GET'}, async (response) => response.body.cancel())
  t.is(registry.tokenRequests.length, 1)
  t.deepEqual(registry.tokenRequests[0].query, {service: 'fault-registry'})
})

test('concurrent requests share one token request', async (t) => {
  const {registry, layerDigest, configDigest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer()
  const client = clientFor(registry)
  const blobs = await Promise.all([client.getBlob(layerDigest), client.getBlob(configDigest), client.getManifest('latest')])
  await collect(blobs[0].stream)
  await collect(blobs[1].stream)
  t.is(registry.tokenRequests.length, 1)
})

test('a cached token the registry no longer honours is replaced once', async (t) => {
  const {registry, manifest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer({expiresIn: 3600})
  const client = clientFor(registry)
  await client.getManifest('latest')
  registry.expireTokens()
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  t.is(registry.tokenRequests.length, 2)
  t.is(registry.count(`/v2/${REPO}/manifests/latest`), 3)
})

test('401 with a fresh token: unauthorized, in the registry\'s words, without another token request', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer()
  registry.inject(`/v2/${REPO}/manifests/latest`, {
    status: 401,
    body: errorDocument('UNAUTHORIZED', 'access to the requested resource is not authorized'),
  })
  const error = await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    instanceOf: UnauthorizedError,
    message: `reading manifest latest in ${registry.host}/${REPO}: unauthorized: access to the requested resource is not authorized`,
  })
  t.is(error?.statusCode, 401)
  t.is(registry.tokenRequests.length, 1)
})

test('401 without an error document reads "unauthorized: authentication required", as containers/image 5.23 words it', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.inject(`/v2/${REPO}/manifests/latest`, {status: 401, body: 'denied'})
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    instanceOf: UnauthorizedError,
    message: `reading manifest latest in ${registry.host}/${REPO}: unauthorized: authentication required`,
  })
})

test('wrong credentials for the token service', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer({credentials: CREDENTIALS})
  const client = clientFor(registry, {getCredentials: () => ({username: 'alice', password: 'wrong'})})
  await t.throwsAsync(client.getManifest('latest'), {
    instanceOf: UnauthorizedError,
    message: 'unable to retrieve auth token: invalid username/password: unauthorized: incorrect username or password',
  })
})

test('a token service failure names the status', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBearer()
  registry.inject('/token', {status: 500}, Infinity)
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    message: 'Requesting bearer token: received unexpected HTTP status: 500 Internal Server Error',
  })
  t.is(registry.tokenRequests.length, 0)
  t.is(registry.count(/^\/token/), 3)
})

test('basic: credentials on every request, no token service', async (t) => {
  const {registry, manifest, layer, layerDigest} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBasic(CREDENTIALS)
  const client = clientFor(registry, {getCredentials: () => CREDENTIALS})
  t.deepEqual((await client.getManifest('latest')).bytes, manifest)
  t.deepEqual((await collect((await client.getBlob(layerDigest)).stream)).bytes, layer)
  t.is(registry.tokenRequests.length, 0)
  const repoRequests = registry.requests.filter((r) => r.url.startsWith('/v2/library'))
  t.is(repoRequests.length, 2)
  for (const r of repoRequests) t.is(r.headers.authorization, basicHeader(CREDENTIALS))
})

test('basic without credentials: authentication required', async (t) => {
  const {registry} = await registryWithImage()
  t.teardown(() => registry.close())
  registry.requireBasic(CREDENTIALS)
  await t.throwsAsync(clientFor(registry).getManifest('latest'), {
    instanceOf: UnauthorizedError,
    message: `reading manifest latest in ${registry.host}/${REPO}: unauthorized: authentication required`,
  })
})
