// Compression is decided from the first bytes of a layer blob: gzip, zstd, plain tar, or an error.
import test from 'ava'
import {Readable} from 'node:stream'
import {buffer} from 'node:stream/consumers'
import * as zlib from 'node:zlib'

import {LayerCompression, createLayerDecompressor, detectCompression} from '../../../../src/storage/store/archive/decompress'
import {ZSTD_FIXTURE, buildTar, zstdStored} from './layer-tar'

const TAR = buildTar([
  {name: 'bin/', type: 'dir'},
  {name: 'bin/busybox', data: Buffer.alloc(300_000, 'b')},
  {name: 'etc/hostname', data: 'tspod\n'},
])

/** Decompress `data`, delivered in chunks of `chunk` bytes. */
async function decompress(data: Buffer, chunk = 1000): Promise<{out: Buffer; compression?: LayerCompression}> {
  let compression: LayerCompression | undefined
  const parts: Buffer[] = []
  for (let i = 0; i < data.length; i += chunk) parts.push(data.subarray(i, i + chunk))
  const out = await buffer(Readable.from(parts).pipe(createLayerDecompressor((c) => (compression = c))))
  return {out, compression}
}

test('detectCompression: gzip, zstd, plain tar and empty blobs', (t) => {
  t.is(detectCompression(zlib.gzipSync(TAR).subarray(0, 4)), 'gzip')
  t.is(detectCompression(zstdStored(TAR).subarray(0, 4)), 'zstd')
  t.is(detectCompression(TAR.subarray(0, 512)), 'none')
  t.is(detectCompression(Buffer.alloc(1024)), 'none') // an empty archive: only the end marker
  t.is(detectCompression(Buffer.alloc(0)), 'none')
})

test('detectCompression: anything else is refused', (t) => {
  const xz = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(600, 1)])
  t.throws(() => detectCompression(xz), {message: 'unsupported or corrupt layer compression'})
  const brokenChecksum = Buffer.from(TAR.subarray(0, 512))
  brokenChecksum[0] ^= 0x20
  t.throws(() => detectCompression(brokenChecksum), {message: 'unsupported or corrupt layer compression'})
  t.throws(() => detectCompression(Buffer.from('hello')), {message: 'unsupported or corrupt layer compression'})
})

test('each format decompresses to the same tar, fed in small chunks', async (t) => {
  for (const [blob, expected] of [
    [TAR, 'none'],
    [zlib.gzipSync(TAR), 'gzip'],
    [Buffer.concat([zlib.gzipSync(TAR.subarray(0, 5000)), zlib.gzipSync(TAR.subarray(5000))]), 'gzip'], // multi-member
    [zstdStored(TAR, 3), 'zstd'], // three frames
  ] as const) {
    for (const chunk of [1, 3, 700, 1 << 20]) {
      if (chunk === 1 && blob.length > 20_000) continue
      const {out, compression} = await decompress(blob, chunk)
      t.is(compression, expected)
      t.true(out.equals(TAR), `${expected} in chunks of ${chunk}`)
    }
  }
})

test('a zstd blob written by the zstd tool decompresses', async (t) => {
  const {out, compression} = await decompress(ZSTD_FIXTURE, 16)
  t.is(compression, 'zstd')
  t.is(out.length, 4096)
  t.true(out.subarray(0, 4).equals(Buffer.from('etc/')))
})

test('damaged streams fail with the format named', async (t) => {
  const gz = zlib.gzipSync(TAR)
  const corrupt = Buffer.from(gz)
  for (let i = 20; i < 60; i++) corrupt[i] ^= 0x5a
  await t.throwsAsync(decompress(corrupt), {message: /^corrupt gzip layer: /})
  await t.throwsAsync(decompress(gz.subarray(0, gz.length - 100)), {
    message: 'corrupt gzip layer: unexpected end of file',
  })
  const zst = zstdStored(TAR)
  await t.throwsAsync(decompress(zst.subarray(0, zst.length - 10)), {message: 'corrupt zstd layer: unexpected EOF'})
  await t.throwsAsync(decompress(Buffer.concat([zst.subarray(0, 4), Buffer.alloc(64, 0xa5)])), {message: /^corrupt zstd layer: \S/})
  await t.throwsAsync(decompress(Buffer.from('PK\x03\x04 not a layer at all, just some bytes')), {
    message: 'unsupported or corrupt layer compression',
  })
})
