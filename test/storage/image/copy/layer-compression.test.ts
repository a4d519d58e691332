// The compression push gives layers: which media type each layer gets, and compressors whose
// output decompresses to the same tar.
import test from 'ava'
import {Readable} from 'node:stream'
import {buffer} from 'node:stream/consumers'

import {UsageError} from '../../../../src/errors'
import {compressedMediaType, isCompressedMediaType, layerCompressor, parseCompressionFormat, uncompressedMediaType} from '../../../../src/storage/image/copy/layer-compression'
import {createLayerDecompressor, detectCompression} from '../../../../src/storage/store/archive/decompress'

const OCI = 'application/vnd.oci.image.layer.v1.tar'
const DOCKER = 'application/vnd.docker.image.rootfs.diff.tar'

test('--compression-format: gzip and zstd; zstd:chunked and unknown names refused', (t) => {
  t.is(parseCompressionFormat('gzip'), 'gzip')
  t.is(parseCompressionFormat('zstd'), 'zstd')
  t.throws(() => parseCompressionFormat('zstd:chunked'), {instanceOf: UsageError, message: /use zstd or gzip/})
  t.throws(() => parseCompressionFormat('lz4'), {instanceOf: UsageError, message: 'cannot find compressor for "lz4"'})
})

test('media types: compressed when plain, recompressed only when asked, zstd never for Docker layers', (t) => {
  const gzip = {format: 'gzip', recompress: false} as const
  const zstd = {format: 'zstd', recompress: true} as const
  t.is(compressedMediaType(OCI, gzip), `${OCI}+gzip`)
  t.is(compressedMediaType(DOCKER, gzip), `${DOCKER}.gzip`)
  t.is(compressedMediaType(`${OCI}+gzip`, gzip), undefined)
  t.is(compressedMediaType(`${OCI}+zstd`, gzip), undefined) // compressed otherwise, not asked to recompress
  t.is(compressedMediaType(`${OCI}+zstd`, {format: 'gzip', recompress: true}), `${OCI}+gzip`)
  t.is(compressedMediaType(`${OCI}+gzip`, zstd), `${OCI}+zstd`)
  t.is(compressedMediaType(`${OCI}+zstd`, zstd), undefined)
  t.is(compressedMediaType('application/vnd.example.unknown', zstd), undefined)
  t.throws(() => compressedMediaType(`${DOCKER}.gzip`, zstd), {instanceOf: UsageError, message: /zstd compression is not supported for docker images/})
  t.true(isCompressedMediaType(`${OCI}+zstd`))
  t.false(isCompressedMediaType(OCI))
  t.false(isCompressedMediaType(undefined))
})

test('gzip and zstd layers are compressed, plain tar layers are not; a compressed one\'s tar is of its own family', (t) => {
  t.true(isCompressedMediaType(`${OCI}+gzip`))
  t.true(isCompressedMediaType(`${OCI}+zstd`))
  t.true(isCompressedMediaType(`${DOCKER}.gzip`))
  t.false(isCompressedMediaType(OCI))
  t.is(uncompressedMediaType(`${OCI}+zstd`), OCI)
  t.is(uncompressedMediaType(`${DOCKER}.gzip`), DOCKER)
  t.is(uncompressedMediaType('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'), 'application/vnd.docker.image.rootfs.foreign.diff.tar')
  t.is(uncompressedMediaType(OCI), undefined)
})

for (const format of ['gzip', 'zstd'] as const) {
  test(`a ${format} compressor's output decompresses to the same bytes`, async (t) => {
    const tar = Buffer.concat([Buffer.alloc(512, 1), Buffer.from('x'.repeat(100_000))])
    const compressed = await buffer(Readable.from([tar]).pipe(layerCompressor(format)))
    t.is(detectCompression(compressed.subarray(0, 4)), format)
    t.true(compressed.length < tar.length)
    t.deepEqual(await buffer(Readable.from([compressed]).pipe(createLayerDecompressor())), tar)
  })
}
