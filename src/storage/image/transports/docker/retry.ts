// When and how long to wait before trying a registry request again.
import {TspodError} from '../../../../errors'

export interface RetryPolicy {
  /** tries in all, the first one included */
  attempts: number
  /** the wait after the first failure; doubled after each further one */
  baseDelayMs: number
  /** no wait is longer, Retry-After included */
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000}

/** Statuses that say "try again later": rate limiting and server or gateway trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

export function retryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = {...DEFAULT_RETRY_POLICY, ...overrides}
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new TspodError(`invalid retry policy: attempts must be a positive integer, not ${policy.attempts}`)
  }
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0)) {
    throw new TspodError('invalid retry policy: delays must not be negative')
  }
  return policy
}

/** The wait after the failedAttempts-th consecutive failure (1-based): exponential, capped. */
export function backoffDelay(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1), policy.maxDelayMs)
}

/** A Retry-After header (delta-seconds or an HTTP date) in milliseconds, or undefined if absent or unusable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date) || date <= now) return undefined
  return date - now
}

/** The error a cancelled operation reports. */
export function abortError(signal: AbortSignal): TspodError {
  const reason: unknown = signal.reason
  if (reason instanceof TspodError) return reason
  return new TspodError('operation canceled', {cause: reason})
}

/** Waits ms milliseconds; rejects with abortError(signal) as soon as signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal))
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortError(signal!))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}
