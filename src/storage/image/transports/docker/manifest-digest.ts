// The digest of a manifest as containers/image's manifest.Digest computes it: over the bytes,
// except for signed schema 1 manifests, whose digest covers the payload without the signatures.
import {TspodError} from '../../../../errors'
import {digestWithAlgorithmOf} from './digest'

/** libtrust's JWS "pretty signature" payload: the bytes before the signatures plus the recorded tail. */
function signedSchema1Payload(manifest: Buffer): Buffer | undefined {
  let document: unknown
  try {
    document = JSON.parse(manifest.toString('utf8'))
  } catch {
    return undefined
  }
  if (document === null || typeof document !== 'object') return undefined
  const {schemaVersion, signatures} = document as {schemaVersion?: unknown; signatures?: unknown}
  if (schemaVersion !== 1 || !Array.isArray(signatures) || signatures.length === 0) return undefined
  let formatLength: number | undefined
  let formatTail: string | undefined
  for (const signature of signatures as Array<{protected?: unknown}>) {
    let header: {formatLength?: unknown; formatTail?: unknown}
    try {
      header = JSON.parse(Buffer.from(String(signature?.protected), 'base64url').toString('utf8'))
    } catch {
      throw new TspodError('invalid schema 1 manifest signature: unreadable protected header')
    }
    if (typeof header.formatLength !== 'number' || typeof header.formatTail !== 'string') {
      throw new TspodError('invalid schema 1 manifest signature: no formatLength/formatTail')
    }
    if ((formatLength !== undefined && header.formatLength !== formatLength) || (formatTail !== undefined && header.formatTail !== formatTail)) {
      throw new TspodError('invalid schema 1 manifest signature: signatures disagree on the payload')
    }
    formatLength = header.formatLength
    formatTail = header.formatTail
  }
  if (formatLength! < 0 || formatLength! > manifest.length) {
    throw new TspodError('invalid schema 1 manifest signature: formatLength out of range')
  }
  return Buffer.concat([manifest.subarray(0, formatLength), Buffer.from(formatTail!, 'base64url')])
}

/** True when manifest has the expected digest (with the expected digest's algorithm). */
export function manifestMatchesDigest(manifest: Buffer, expected: string): boolean {
  const payload = signedSchema1Payload(manifest) ?? manifest
  return digestWithAlgorithmOf(expected, payload) === expected
}
