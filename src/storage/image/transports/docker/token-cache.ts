// Bearer tokens from a registry's token service, cached per scope until they expire.
import {TspodError} from '../../../../errors'

/** containers/image raises shorter lifetimes (and a missing expires_in) to this. */
export const MINIMUM_TOKEN_LIFETIME_SECONDS = 60

export interface BearerToken {
  token: string
  /** ms since the epoch */
  expiresAt: number
}

export class TokenCache {
  private readonly tokens = new Map<string, BearerToken>()

  constructor(private readonly now: () => number = Date.now) {}

  /** An unexpired token for key, or undefined. */
  get(key: string): string | undefined {
    const entry = this.tokens.get(key)
    if (entry === undefined) return undefined
    if (this.now() >= entry.expiresAt) {
      this.tokens.delete(key)
      return undefined
    }
    return entry.token
  }

  set(key: string, token: BearerToken): void {
    this.tokens.set(key, token)
  }

  delete(key: string): void {
    this.tokens.delete(key)
  }
}

/**
 * Reads a token service's JSON answer: `token` (or OAuth2's `access_token`), `expires_in`
 * (at least MINIMUM_TOKEN_LIFETIME_SECONDS) counted from `issued_at` or now.
 */
export function parseTokenResponse(body: Buffer, url: string, now: number = Date.now()): BearerToken {
  const failure = (reason: string): TspodError => {
    const start = JSON.stringify(body.subarray(0, 50).toString('utf8'))
    return new TspodError(`decoding bearer token (last URL ${JSON.stringify(url)}, body start ${start}): ${reason}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw failure((err as Error).message)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw failure('not a JSON object')
  const fields = parsed as Record<string, unknown>
  const token =
    typeof fields.token === 'string' && fields.token !== ''
      ? fields.token
      : typeof fields.access_token === 'string'
        ? fields.access_token
        : ''
  if (token === '') throw failure('authorization server did not include a token in the response')
  let lifetime = typeof fields.expires_in === 'number' && Number.isFinite(fields.expires_in) ? fields.expires_in : 0
  lifetime = Math.max(lifetime, MINIMUM_TOKEN_LIFETIME_SECONDS)
  const issued = typeof fields.issued_at === 'string' ? Date.parse(fields.issued_at) : Number.NaN
  return {token, expiresAt: (Number.isNaN(issued) ? now : issued) + lifetime * 1000}
}
