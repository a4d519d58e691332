// The source against Debian's docker-registry (CNCF distribution), not the fault registry.
import test from 'ava'

import {DockerImageSource} from '../../../../../src/storage/image/transports/docker/source'
import {ImageReference} from '../../../../../src/storage/image/transports/types'
import {busyboxImage, multiPlatformIndex} from '../../../../helpers/oci-image'
import {withRegistry} from '../../../../helpers/registry'
import {collect} from './client-fixtures'

const registry = withRegistry(test)

function sourceFor(repository: string, tagOrDigest: string): DockerImageSource {
  const host = registry().host
  const name = `${host}/${repository}`
  const reference: ImageReference = {
    transport: {
      name: 'docker',
      parseReference: () => {
        throw new Error('not used')
      },
    },
    toString: () => `//${name}:${tagOrDigest}`,
    dockerReference: () => (tagOrDigest.includes(':') ? `${name}@${tagOrDigest}` : `${name}:${tagOrDigest}`),
    newSource: () => Promise.reject(new Error('not used')),
    newDestination: () => Promise.reject(new Error('not used')),
  }
  return new DockerImageSource({reference, registry: host, repository, tagOrDigest, insecure: true, ctx: {}})
}

test('busybox pushed to a real registry comes back byte for byte', async (t) => {
  const image = await busyboxImage()
  await registry().push('library/busybox', 'latest', image)
  const source = sourceFor('library/busybox', 'latest')
  t.teardown(() => source.close())

  const manifest = await source.getManifest()
  t.true(manifest.bytes.equals(image.manifest))
  t.is(manifest.mediaType, image.mediaType)
  t.true((await source.getManifest(image.manifestDigest)).bytes.equals(image.manifest))

  const config = await source.getBlob({digest: image.configDigest, size: image.config.length})
  t.is(config.size, image.config.length)
  t.true((await collect(config.stream)).bytes.equals(image.config))
  for (const layer of image.layers) {
    const blob = await source.getBlob({digest: layer.digest, size: layer.size, mediaType: layer.mediaType})
    t.is(blob.size, layer.size)
    const result = await collect(blob.stream)
    t.is(result.error, undefined)
    t.true(result.ended)
    t.true(result.bytes.equals(layer.data))
  }
})

test('an index and its instances by digest', async (t) => {
  const index = await multiPlatformIndex()
  await registry().pushIndex('library/multi', 'latest', index)
  const source = sourceFor('library/multi', 'latest')
  t.teardown(() => source.close())
  const top = await source.getManifest()
  t.true(top.bytes.equals(index.manifest))
  t.is(top.mediaType, 'application/vnd.oci.image.index.v1+json')
  for (const image of index.images) {
    const instance = await source.getManifest(image.manifestDigest)
    t.true(instance.bytes.equals(image.manifest))
  }
})

test("the real registry's 404s, in containers/image's words", async (t) => {
  const host = registry().host
  // its own repository: two uploads of the same blob into one repository at once can make
  // distribution refuse the manifest (DIGEST_INVALID), and the byte-for-byte test runs alongside
  await registry().push('library/errors', 'latest', await busyboxImage())
  await t.throwsAsync(sourceFor('library/errors', 'nope').getManifest(), {
    message: `reading manifest nope in ${host}/library/errors: manifest unknown: manifest unknown`,
  })
  // distribution 2.8 answers an unknown repository with MANIFEST_UNKNOWN too
  await t.throwsAsync(sourceFor('library/nothing', 'latest').getManifest(), {
    message: `reading manifest latest in ${host}/library/nothing: manifest unknown: manifest unknown`,
  })
  // with a detail, containers/image 5.23 prints code and message, as Podman 4.3.1 does
  const missing = `sha256:${'0'.repeat(64)}`
  await t.throwsAsync(sourceFor('library/errors', 'latest').getBlob({digest: missing, size: -1}), {
    message: `reading blob ${missing} in ${host}/library/errors: blob unknown: blob unknown to registry`,
  })
})
