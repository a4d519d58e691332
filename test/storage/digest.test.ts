import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import test from 'ava'

import {DigestVerifier, isDigest, parseDigest, sha256Digest} from '../../src/storage/digest'
import {sha256} from '../helpers/oci-image'

test('sha256Digest and parseDigest', (t) => {
  t.is(sha256Digest(Buffer.from('abc')), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  t.is(sha256Digest('abc'), sha256('abc'))
  const digest = sha256('x')
  t.deepEqual(parseDigest(digest), {algorithm: 'sha256', encoded: digest.slice(7), digest})
  const sha512 = `sha512:${'a'.repeat(128)}`
  t.is(parseDigest(sha512).algorithm, 'sha512')
  for (const bad of ['', 'sha256', 'sha256:', `sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(63)}`, `md5:${'a'.repeat(32)}`, `sha512:${'a'.repeat(64)}`, `:${'a'.repeat(64)}`]) {
    t.throws(() => parseDigest(bad), {message: `invalid digest ${JSON.stringify(bad)}`, name: 'UsageError'}, bad)
    t.false(isDigest(bad))
  }
  t.true(isDigest(digest))
  t.false(isDigest(42))
})

async function verify(data: Buffer[], expected: string): Promise<{out: Buffer; verifier: DigestVerifier}> {
  const verifier = new DigestVerifier(expected)
  const chunks: Buffer[] = []
  await pipeline(Readable.from(data), verifier, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk)
  })
  return {out: Buffer.concat(chunks), verifier}
}

test('DigestVerifier passes matching content through and fails at the end otherwise', async (t) => {
  const data = [Buffer.from('hello '), Buffer.from('world')]
  const {out, verifier} = await verify(data, sha256('hello world'))
  t.is(out.toString(), 'hello world')
  t.is(verifier.actual, sha256('hello world'))
  t.is(verifier.size, 11)
  await t.throwsAsync(verify(data, sha256('other')), {message: `Digest did not match, expected ${sha256('other')}, got ${sha256('hello world')}`})
  const sha512 = `sha512:${'0'.repeat(128)}`
  await t.throwsAsync(verify(data, sha512), {message: /^Digest did not match, expected sha512:0+, got sha512:[0-9a-f]{128}$/})
  t.throws(() => new DigestVerifier('nope'), {message: 'invalid digest "nope"'})
})
