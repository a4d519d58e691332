// Content digests ("sha256:<hex>") as go-digest spells them: computing, parsing, and checking a
// stream against the digest it should have.
import {createHash, Hash} from 'node:crypto'
import {Transform, TransformCallback} from 'node:stream'

import {TspodError, UsageError} from '../errors'

/** Hex lengths of the digest algorithms go-digest knows. */
export const HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
])

export interface ParsedDigest {
  /** "sha256", "sha384" or "sha512" */
  algorithm: string
  /** the lowercase hex value */
  encoded: string
  /** the digest as given: "<algorithm>:<encoded>" */
  digest: string
}

/** "sha256:<hex>" of buf. */
export function sha256Digest(buf: Buffer | Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(buf).digest('hex')}`
}

/** The parts of a digest, or undefined unless it is a well-formed sha256/384/512 digest. */
export function tryParseDigest(text: string): ParsedDigest | undefined {
  const i = text.indexOf(':')
  if (i <= 0) return undefined
  const algorithm = text.slice(0, i)
  const encoded = text.slice(i + 1)
  const length = HEX_LENGTHS.get(algorithm)
  if (length === undefined || encoded.length !== length || !/^[0-9a-f]+$/.test(encoded)) return undefined
  return {algorithm, encoded, digest: text}
}

/** True for a well-formed sha256/384/512 digest. */
export function isDigest(text: unknown): text is string {
  return typeof text === 'string' && tryParseDigest(text) !== undefined
}

/** Splits a digest into algorithm and hex; throws UsageError `invalid digest "<text>"` otherwise. */
export function parseDigest(text: string): ParsedDigest {
  const parsed = tryParseDigest(text)
  if (!parsed) throw new UsageError(`invalid digest ${JSON.stringify(text)}`)
  return parsed
}

/**
 * A pass-through stream that hashes what flows with the algorithm of `expected` and fails at the
 * end, instead of ending, when the content has another digest. After a clean end, `actual` and
 * `size` describe what passed.
 */
export class DigestVerifier extends Transform {
  readonly expected: string
  private readonly algorithm: string
  private readonly hash: Hash
  private bytes = 0
  private computed?: string

  constructor(expected: string) {
    super()
    const parsed = tryParseDigest(expected)
    if (!parsed) throw new TspodError(`invalid digest ${JSON.stringify(expected)}`)
    this.expected = expected
    this.algorithm = parsed.algorithm
    this.hash = createHash(parsed.algorithm)
  }

  /** Bytes that passed so far. */
  get size(): number {
    return this.bytes
  }

  /** The digest of everything that passed; known once the stream has ended. */
  get actual(): string | undefined {
    return this.computed
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk)
    this.bytes += chunk.length
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    this.computed = `${this.algorithm}:${this.hash.digest('hex')}`
    if (this.computed !== this.expected) {
      done(new TspodError(`Digest did not match, expected ${this.expected}, got ${this.computed}`))
      return
    }
    done()
  }
}
