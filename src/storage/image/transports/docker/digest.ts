// Content digests ("sha256:<hex>") as go-digest validates and computes them.
import {createHash, Hash} from 'node:crypto'

import {TspodError} from '../../../../errors'
import {HEX_LENGTHS} from '../../../digest'

// go-digest's DigestRegexpAnchored: tells a malformed digest from an unknown algorithm
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

/** go-digest's Digest.Validate: the problem, or undefined for a valid digest. */
function digestProblem(digest: string): string | undefined {
  const i = digest.indexOf(':')
  if (i <= 0 || i + 1 === digest.length) return 'invalid checksum digest format'
  const hexLength = HEX_LENGTHS.get(digest.slice(0, i))
  if (hexLength === undefined) {
    return DIGEST_GRAMMAR.test(digest) ? 'unsupported digest algorithm' : 'invalid checksum digest format'
  }
  const encoded = digest.slice(i + 1)
  if (encoded.length !== hexLength) return 'invalid checksum digest length'
  if (!/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest format'
  return undefined
}

/** True for text of the digest form (an algorithm, a colon, an encoded value), valid or not. */
export function looksLikeDigest(text: string): boolean {
  return text.includes(':')
}

/** Throws `invalid digest "<d>": <go-digest's reason>` unless digest is a valid sha256/384/512 digest. */
export function validateDigest(digest: string): void {
  const problem = digestProblem(digest)
  if (problem) throw new TspodError(`invalid digest ${JSON.stringify(digest)}: ${problem}`)
}

/** Hashes bytes as they pass with the algorithm of an expected digest. */
export class Digester {
  readonly expected: string
  private readonly algorithm: string
  private readonly hash: Hash

  constructor(expected: string) {
    validateDigest(expected)
    this.expected = expected
    this.algorithm = expected.slice(0, expected.indexOf(':'))
    this.hash = createHash(this.algorithm)
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk)
  }

  /** The digest of everything passed to update; call once. */
  actual(): string {
    return `${this.algorithm}:${this.hash.digest('hex')}`
  }
}

/** The digest of bytes with the algorithm of expected (validated). */
export function digestWithAlgorithmOf(expected: string, bytes: Uint8Array): string {
  const digester = new Digester(expected)
  digester.update(bytes)
  return digester.actual()
}
