import test from 'ava'

import {backoffDelay, parseRetryAfter, retryPolicy, sleep} from '../../../../../src/storage/image/transports/docker/retry'

test('defaults: 5 attempts, 500 ms doubling up to 10 s', (t) => {
  const policy = retryPolicy(undefined)
  t.deepEqual(policy, {attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000})
  t.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(policy, n)), [500, 1000, 2000, 4000, 8000, 10_000, 10_000])
})

test('a policy needs at least one attempt', (t) => {
  t.throws(() => retryPolicy({attempts: 0}), {message: 'invalid retry policy: attempts must be a positive integer, not 0'})
  t.throws(() => retryPolicy({baseDelayMs: -1}), {message: 'invalid retry policy: delays must not be negative'})
})

test('Retry-After: seconds or an HTTP date', (t) => {
  const now = Date.parse('2024-01-01T00:00:00Z')
  t.is(parseRetryAfter('3', now), 3000)
  t.is(parseRetryAfter(' 0 ', now), 0)
  t.is(parseRetryAfter('Mon, 01 Jan 2024 00:00:07 GMT', now), 7000)
  t.is(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now), undefined)
  t.is(parseRetryAfter('-1', now), undefined)
  t.is(parseRetryAfter('soon', now), undefined)
  t.is(parseRetryAfter(null, now), undefined)
})

test('sleep ends early when the signal aborts', async (t) => {
  const controller = new AbortController()
  const started = Date.now()
  setTimeout(() => controller.abort(), 20)
  await t.throwsAsync(sleep(5000, controller.signal), {message: 'operation canceled'})
  t.true(Date.now() - started < 2000)
})
