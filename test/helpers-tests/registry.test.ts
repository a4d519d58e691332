// @userns
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import * as net from 'node:net'
import {promisify} from 'node:util'

import test from 'ava'

import {
  busyboxImage,
  hostArchitecture,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  multiPlatformIndex,
  sha256,
  toDockerSchema2,
} from '../helpers/oci-image'
import {startRegistry, withRegistry} from '../helpers/registry'

const run = promisify(execFile)
const registry = withRegistry(test)

const ACCEPT = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST].join(', ')

async function getManifest(name: string, reference: string): Promise<{body: Buffer; digest: string | null; type: string | null}> {
  const res = await fetch(`${registry().url}/v2/${name}/manifests/${reference}`, {headers: {accept: ACCEPT}})
  if (res.status !== 200) throw new Error(`GET manifest ${name}:${reference}: ${res.status} ${await res.text()}`)
  return {body: Buffer.from(await res.arrayBuffer()), digest: res.headers.get('docker-content-digest'), type: res.headers.get('content-type')}
}

async function skopeoInspect(...args: string[]): Promise<Record<string, any>> {
  const {stdout} = await run('skopeo', ['inspect', '--tls-verify=false', ...args])
  return JSON.parse(stdout)
}

function listen(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

test.serial('a blob the repository already has is not uploaded again', async (t) => {
  const image = await busyboxImage()
  await registry().push('skip/busybox', 'latest', image)
  const requests: string[] = []
  const realFetch = globalThis.fetch
  globalThis.fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`)
    return realFetch(input, init)
  }
  try {
    await registry().push('skip/busybox', 'again', image)
  } finally {
    globalThis.fetch = realFetch
  }
  t.deepEqual(requests, [
    `HEAD /v2/skip/busybox/blobs/${image.configDigest}`,
    `HEAD /v2/skip/busybox/blobs/${image.layers[0].digest}`,
    'PUT /v2/skip/busybox/manifests/again',
  ])
})

test('a pushed image is served back byte for byte under its digest', async (t) => {
  const image = await busyboxImage()
  t.is(await registry().push('test/busybox', 'latest', image), image.manifestDigest)

  const byTag = await getManifest('test/busybox', 'latest')
  t.deepEqual(byTag.body, image.manifest)
  t.is(byTag.digest, image.manifestDigest)
  t.is(byTag.type, MEDIA_TYPE_OCI_MANIFEST)
  t.deepEqual((await getManifest('test/busybox', image.manifestDigest)).body, image.manifest)

  for (const blob of [{digest: image.configDigest, data: image.config}, image.layers[0]]) {
    const res = await fetch(`${registry().url}/v2/test/busybox/blobs/${blob.digest}`)
    t.is(res.status, 200)
    const body = Buffer.from(await res.arrayBuffer())
    t.is(sha256(body), blob.digest)
    t.deepEqual(body, blob.data)
  }
})

test('skopeo sees the pushed image through the registry', async (t) => {
  const image = await busyboxImage()
  await registry().push('skopeo/busybox', 'v1', image)
  const seen = await skopeoInspect(`docker://${registry().host}/skopeo/busybox:v1`)
  t.is(seen.Digest, image.manifestDigest)
  t.deepEqual(seen.RepoTags, ['v1'])
  t.deepEqual(seen.Layers, [image.layers[0].digest])
  t.is(seen.Architecture, hostArchitecture())
})

test('a Docker schema2 image is stored and served with its media type', async (t) => {
  const image = toDockerSchema2(await busyboxImage())
  await registry().push('test/docker', 'latest', image)
  const got = await getManifest('test/docker', 'latest')
  t.deepEqual(got.body, image.manifest)
  t.is(got.type, MEDIA_TYPE_DOCKER_MANIFEST)
  t.is((await skopeoInspect(`docker://${registry().host}/test/docker:latest`)).Digest, image.manifestDigest)
})

for (const format of ['oci', 'docker'] as const) {
  test(`pushIndex stores a multi-platform ${format} index and its images`, async (t) => {
    const index = await multiPlatformIndex(format)
    const name = `index/${format}`
    t.is(await registry().pushIndex(name, 'latest', index), index.manifestDigest)

    const got = await getManifest(name, 'latest')
    t.deepEqual(got.body, index.manifest)
    t.is(got.type, index.mediaType)
    t.is(got.digest, index.manifestDigest)
    for (const image of index.images) t.deepEqual((await getManifest(name, image.manifestDigest)).body, image.manifest)

    const ref = `docker://${registry().host}/${name}:latest`
    const host = index.images.find((i) => i.platform.architecture === hostArchitecture())!
    t.deepEqual(
      (await skopeoInspect(ref)).Layers,
      host.layers.map((l) => l.digest),
    )
    const arm = index.images.find((i) => i.platform.architecture === 'arm')!
    t.deepEqual(
      (await skopeoInspect('--override-arch', 'arm', '--override-variant', 'v7', ref)).Layers,
      arm.layers.map((l) => l.digest),
    )
  })
}

test('a refused push throws with the status and the registry answer', async (t) => {
  const image = await busyboxImage()
  const err = await t.throwsAsync(registry().push('test/missing-blobs', 'latest', {mediaType: image.mediaType, manifest: image.manifest, blobs: []}))
  t.regex(err!.message, /HTTP 400/)
  t.regex(err!.message, /MANIFEST_BLOB_UNKNOWN/)
})

test('stop() ends the registry, frees its port and removes its files', async (t) => {
  const own = await startRegistry()
  t.not(own.host, registry().host)
  t.is((await fetch(`${own.url}/v2/`)).status, 200)
  await own.pushBlob('own/blob', Buffer.from('some bytes'))
  t.true(existsSync(own.storageDir))
  await own.stop()
  await t.throwsAsync(fetch(`${own.url}/v2/`))
  await t.notThrowsAsync(listen(own.port))
  t.false(existsSync(own.storageDir))
  await t.notThrowsAsync(own.stop())
})
