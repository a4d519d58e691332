// A manifest's digest as containers/image computes it: over the bytes, except that a signed
// schema 1 manifest's covers its payload without the signatures.
import test from 'ava'
import {createHash} from 'node:crypto'

import {TspodError} from '../../../../../src/errors'
import {manifestMatchesDigest} from '../../../../../src/storage/image/transports/docker/manifest-digest'

const digestOf = (bytes: Buffer, algorithm = 'sha256') => `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`

test('plain manifests: the digest of the bytes, in the expected digest\'s algorithm', (t) => {
  const manifest = Buffer.from('{"schemaVersion":2,"layers":[]}')
  t.true(manifestMatchesDigest(manifest, digestOf(manifest)))
  t.true(manifestMatchesDigest(manifest, digestOf(manifest, 'sha512')))
  t.false(manifestMatchesDigest(manifest, digestOf(Buffer.from('other'))))
  t.false(manifestMatchesDigest(Buffer.from(manifest.toString().replace('2', ' 2')), digestOf(manifest)), 'every byte counts')
})

/** A libtrust "pretty signature" document: the payload, then a signatures array whose protected header records how to cut it back. */
function signedSchema1(payload: string): {signed: Buffer; payloadBytes: Buffer} {
  const payloadBytes = Buffer.from(payload)
  // the signed form: the payload's closing "\n}" replaced by the signatures and a new close
  const formatLength = payloadBytes.length - 2
  const formatTail = payloadBytes.subarray(formatLength)
  const header = Buffer.from(JSON.stringify({formatLength, formatTail: formatTail.toString('base64url'), time: '2024-01-01T00:00:00Z'})).toString('base64url')
  const signed = Buffer.concat([payloadBytes.subarray(0, formatLength), Buffer.from(`,\n   "signatures": [{"header": {}, "signature": "x", "protected": "${header}"}]\n}`)])
  return {signed, payloadBytes}
}

test('signed schema 1: the digest of the payload the signatures cover', (t) => {
  const {signed, payloadBytes} = signedSchema1('{\n   "schemaVersion": 1,\n   "name": "library/x",\n   "tag": "latest"\n}')
  t.deepEqual(JSON.parse(signed.toString()).schemaVersion, 1)
  t.true(manifestMatchesDigest(signed, digestOf(payloadBytes)))
  t.false(manifestMatchesDigest(signed, digestOf(signed)))
})

test('signatures that cannot be read or disagree are refused', (t) => {
  const doc = (protectedHeaders: string[]) => Buffer.from(JSON.stringify({schemaVersion: 1, signatures: protectedHeaders.map((p) => ({protected: p}))}))
  const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url')
  const digest = `sha256:${'0'.repeat(64)}`
  t.throws(() => manifestMatchesDigest(doc(['!!!']), digest), {instanceOf: TspodError, message: 'invalid schema 1 manifest signature: unreadable protected header'})
  t.throws(() => manifestMatchesDigest(doc([header({time: 'x'})]), digest), {message: 'invalid schema 1 manifest signature: no formatLength/formatTail'})
  t.throws(() => manifestMatchesDigest(doc([header({formatLength: 1, formatTail: ''}), header({formatLength: 2, formatTail: ''})]), digest), {
    message: 'invalid schema 1 manifest signature: signatures disagree on the payload',
  })
  t.throws(() => manifestMatchesDigest(doc([header({formatLength: 1e6, formatTail: ''})]), digest), {message: 'invalid schema 1 manifest signature: formatLength out of range'})
})
