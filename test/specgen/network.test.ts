// parseNetwork: the --network modes tspod has (slirp4netns, host, none, ns:PATH), the ones it has
// not refused with what to use instead, and the mode's name in inspect.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {networkModeName, parseNetwork} from '../../src/specgen/network'

test('no value, slirp4netns and private are slirp4netns (Podman 4\'s rootless default)', (t) => {
  for (const value of [undefined, '', 'slirp4netns', 'private']) t.deepEqual(parseNetwork(value), {kind: 'slirp4netns'})
})

test('host, none and an absolute ns: path', (t) => {
  t.deepEqual(parseNetwork('host'), {kind: 'host'})
  t.deepEqual(parseNetwork('none'), {kind: 'none'})
  t.deepEqual(parseNetwork('ns:/proc/1/ns/net'), {kind: 'ns', path: '/proc/1/ns/net'})
})

test('a relative ns: path is refused', (t) => {
  t.throws(() => parseNetwork('ns:rel/path'), {instanceOf: UsageError, message: 'invalid network namespace path "rel/path": must be absolute'})
})

test('an unknown name fails as in Podman; pasta says what to use instead; container:X names the donor', (t) => {
  t.throws(() => parseNetwork('bogus'), {instanceOf: UsageError, message: 'unable to find network with name or ID bogus: network not found'})
  t.deepEqual(parseNetwork('container:web'), {kind: 'container', container: 'web'})
  t.is(networkModeName({kind: 'container', container: 'abc'}), 'container:abc')
  t.throws(() => parseNetwork('container:'), {instanceOf: UsageError, message: 'invalid config provided: namespace mode container requires a value'})
  t.throws(() => parseNetwork('pasta'), {instanceOf: UsageError, message: /^--network pasta is not supported by tspod: use slirp4netns/})
})

test('the mode\'s name: the kind, or ns:PATH', (t) => {
  t.is(networkModeName({kind: 'slirp4netns'}), 'slirp4netns')
  t.is(networkModeName({kind: 'host'}), 'host')
  t.is(networkModeName({kind: 'none'}), 'none')
  t.is(networkModeName(parseNetwork('ns:/run/netns/x')), 'ns:/run/netns/x')
})
