import test from 'ava'

import {parseWwwAuthenticate} from '../../../../../src/storage/image/transports/docker/www-authenticate'

test('a Bearer challenge: lowercase scheme and keys, quoted values', (t) => {
  t.deepEqual(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",Scope="repository:library/alpine:pull"'), [
    {
      scheme: 'bearer',
      parameters: {realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/alpine:pull'},
    },
  ])
})

test('several challenges joined into one value, as fetch joins repeated headers', (t) => {
  const challenges = parseWwwAuthenticate('Basic realm="x", Bearer realm="https://r/token",service=svc, Negotiate')
  t.deepEqual(challenges, [
    {scheme: 'basic', parameters: {realm: 'x'}},
    {scheme: 'bearer', parameters: {realm: 'https://r/token', service: 'svc'}},
    {scheme: 'negotiate', parameters: {}},
  ])
})

test('escapes in quoted strings, tokens unquoted, spaces around "="', (t) => {
  t.deepEqual(parseWwwAuthenticate('Bearer realm = "a \\"quoted\\" realm", error=insufficient_scope'), [
    {scheme: 'bearer', parameters: {realm: 'a "quoted" realm', error: 'insufficient_scope'}},
  ])
})

test('nothing, or malformed text, gives what could be read', (t) => {
  t.deepEqual(parseWwwAuthenticate(null), [])
  t.deepEqual(parseWwwAuthenticate(''), [])
  t.deepEqual(parseWwwAuthenticate('"oops"'), [])
  t.deepEqual(parseWwwAuthenticate('Bearer realm="unterminated'), [{scheme: 'bearer', parameters: {}}])
  t.deepEqual(parseWwwAuthenticate('Bearer realm=x, = y'), [{scheme: 'bearer', parameters: {realm: 'x'}}])
})
