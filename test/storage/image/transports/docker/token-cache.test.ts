import test from 'ava'

import {TokenCache, parseTokenResponse} from '../../../../../src/storage/image/transports/docker/token-cache'

const NOW = Date.parse('2024-01-01T00:00:00Z')

test('token or access_token; lifetimes under 60 s are raised to 60 s', (t) => {
  t.deepEqual(parseTokenResponse(Buffer.from('{"token":"a","expires_in":10}'), 'https://auth/token', NOW), {token: 'a', expiresAt: NOW + 60_000})
  t.deepEqual(parseTokenResponse(Buffer.from('{"access_token":"b"}'), 'https://auth/token', NOW), {token: 'b', expiresAt: NOW + 60_000})
  t.deepEqual(parseTokenResponse(Buffer.from('{"token":"c","expires_in":300,"issued_at":"2024-01-01T00:01:00Z"}'), 'u', NOW), {
    token: 'c',
    expiresAt: NOW + 60_000 + 300_000,
  })
})

test('answers without a token are errors naming the URL and the body start', (t) => {
  t.throws(() => parseTokenResponse(Buffer.from('{"expires_in":10}'), 'https://auth/token?scope=x', NOW), {
    message: 'decoding bearer token (last URL "https://auth/token?scope=x", body start "{\\"expires_in\\":10}"): authorization server did not include a token in the response',
  })
  t.throws(() => parseTokenResponse(Buffer.from('<html>'), 'u', NOW), {message: /^decoding bearer token \(last URL "u", body start "<html>"\): /})
})

test('the cache forgets expired tokens', (t) => {
  let now = NOW
  const cache = new TokenCache(() => now)
  cache.set('k', {token: 't', expiresAt: NOW + 1000})
  t.is(cache.get('k'), 't')
  now += 999
  t.is(cache.get('k'), 't')
  now += 1
  t.is(cache.get('k'), undefined)
  cache.set('k', {token: 'u', expiresAt: now + 5})
  cache.delete('k')
  t.is(cache.get('k'), undefined)
})
