// The docker:// destination against Debian's docker-registry (CNCF distribution).
import test from 'ava'
import {createHash} from 'node:crypto'
import {Readable} from 'node:stream'

import {dockerTransport} from '../../../../../src/storage/image/transports/docker/transport'
import type {ImageContext, ImageDestination} from '../../../../../src/storage/image/transports/types'
import {busyboxImage} from '../../../../helpers/oci-image'
import {freePort, withRegistry} from '../../../../helpers/registry'

const registry = withRegistry(test)

const digestOf = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`

async function destinationFor(name: string, ctx: ImageContext = {}): Promise<ImageDestination> {
  return dockerTransport.parseReference(`//${registry().host}/${name}`).newDestination({tlsVerify: false, ...ctx})
}

test('a blob is uploaded once, its digest computed as it streams; the manifest lands under the tag', async (t) => {
  const image = await busyboxImage()
  const dest = await destinationFor('dest/upload:v1')
  t.teardown(() => dest.close())
  const layer = image.layers[0]
  t.is(await dest.tryReusingBlob({digest: layer.digest, size: layer.size}), undefined)

  const written = await dest.putBlob(Readable.from([layer.data.subarray(0, 100), layer.data.subarray(100)]), {digest: '', size: -1}, {isConfig: false})
  t.deepEqual({digest: written.digest, size: written.size}, {digest: layer.digest, size: layer.data.length})
  t.like(await dest.tryReusingBlob({digest: layer.digest, size: -1}), {digest: layer.digest, size: layer.data.length})

  t.like(await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true}), {digest: image.configDigest})
  await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
  await dest.commit()

  const res = await fetch(`${registry().url}/v2/dest/upload/manifests/v1`, {headers: {Accept: image.mediaType}})
  t.is(res.status, 200)
  t.true(Buffer.from(await res.arrayBuffer()).equals(image.manifest))
  const blob = Buffer.from(await (await fetch(`${registry().url}/v2/dest/upload/blobs/${layer.digest}`)).arrayBuffer())
  t.is(digestOf(blob), layer.digest)
})

test('a stream whose bytes do not match the expected digest is not committed under it', async (t) => {
  const dest = await destinationFor('dest/mismatch:v1')
  t.teardown(() => dest.close())
  const data = Buffer.from('not what was promised')
  const claimed = digestOf(Buffer.from('something else'))
  await t.throwsAsync(dest.putBlob(Readable.from([data]), {digest: claimed, size: data.length}, {isConfig: false}), {message: /digest mismatch/})
  t.is((await fetch(`${registry().url}/v2/dest/mismatch/blobs/${claimed}`, {method: 'HEAD'})).status, 404)
})

test('a blob of another repository named in knownRepositories is mounted', async (t) => {
  const data = Buffer.from(`mount me ${Date.now()}`)
  const digest = await registry().pushBlob('dest/origin', data)
  const dest = await destinationFor('dest/mounted:v1', {knownRepositories: [`${registry().host}/dest/origin:latest`, 'elsewhere.example/dest/origin:1']})
  t.teardown(() => dest.close())
  t.like(await dest.tryReusingBlob({digest, size: data.length}), {digest})
  t.is((await fetch(`${registry().url}/v2/dest/mounted/blobs/${digest}`, {method: 'HEAD'})).status, 200)

  // without a known repository there is nothing to mount from
  const plain = await destinationFor('dest/unmounted:v1')
  t.teardown(() => plain.close())
  t.is(await plain.tryReusingBlob({digest, size: data.length}), undefined)
})

test('errors name what was tried and the registry', async (t) => {
  const port = await freePort()
  const dest = await dockerTransport.parseReference(`//127.0.0.1:${port}/dest/closed`).newDestination({tlsVerify: false, registryIdleTimeoutMs: 500})
  t.teardown(() => dest.close())
  const digest = digestOf(Buffer.from('x'))
  await t.throwsAsync(dest.tryReusingBlob({digest, size: 1}), {
    message: new RegExp(`^trying to reuse blob ${digest} at destination: pinging container registry 127\\.0\\.0\\.1:${port}: .*connection refused`),
  })
})
