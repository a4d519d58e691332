import test from 'ava'
import {createHash} from 'node:crypto'

import {Digester, digestWithAlgorithmOf, looksLikeDigest, validateDigest} from '../../../../../src/storage/image/transports/docker/digest'
import {manifestMatchesDigest} from '../../../../../src/storage/image/transports/docker/manifest-digest'

const DATA = Buffer.from('hello registry')

function hex(algorithm: string, data: Buffer): string {
  return createHash(algorithm).update(data).digest('hex')
}

test('go-digest validation and its wording', (t) => {
  t.notThrows(() => validateDigest(`sha256:${'a'.repeat(64)}`))
  t.notThrows(() => validateDigest(`sha512:${'0'.repeat(128)}`))
  t.throws(() => validateDigest('sha256'), {message: 'invalid digest "sha256": invalid checksum digest format'})
  t.throws(() => validateDigest(`sha256:${'A'.repeat(64)}`), {message: /invalid checksum digest format$/})
  t.throws(() => validateDigest('sha256:abc'), {message: /invalid checksum digest length$/})
  t.throws(() => validateDigest('blake3:abc'), {message: /unsupported digest algorithm$/})
  t.true(looksLikeDigest('sha256:x'))
  t.false(looksLikeDigest('latest'))
})

test('sha256, sha384 and sha512, chunk by chunk', (t) => {
  for (const algorithm of ['sha256', 'sha384', 'sha512']) {
    const expected = `${algorithm}:${hex(algorithm, DATA)}`
    const digester = new Digester(expected)
    digester.update(DATA.subarray(0, 5))
    digester.update(DATA.subarray(5))
    t.is(digester.actual(), expected)
    t.is(digestWithAlgorithmOf(expected, DATA), expected)
  }
})

test('a manifest digest with the algorithm of the expected digest', (t) => {
  t.true(manifestMatchesDigest(DATA, `sha512:${hex('sha512', DATA)}`))
  t.false(manifestMatchesDigest(DATA, `sha256:${hex('sha256', Buffer.from('other'))}`))
})
