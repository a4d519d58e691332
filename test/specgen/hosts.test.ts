// --add-host, --no-hosts and the DNS flags: parsed and checked against each other and the network
// mode, in Podman 4.3.1's words (compared with `podman create` as the rootless test user).
import test from 'ava'

import {UsageError} from '../../src/errors'
import {checkHostsOptions, parseExtraHosts} from '../../src/specgen/hosts'

test('NAME:IP entries split at the first colon, so an IPv6 address keeps its colons', (t) => {
  t.deepEqual(parseExtraHosts(['db:10.0.0.2', 'v6:fe80::1', 'a.b-c:::1']), [
    {name: 'db', ip: '10.0.0.2'},
    {name: 'v6', ip: 'fe80::1'},
    {name: 'a.b-c', ip: '::1'},
  ])
  t.deepEqual(parseExtraHosts([]), [])
})

test('an entry without a name or colon, or with a bad IP, is refused', (t) => {
  t.throws(() => parseExtraHosts(['foo']), {instanceOf: UsageError, message: 'bad format for add-host: "foo"'})
  t.throws(() => parseExtraHosts([':1.2.3.4']), {instanceOf: UsageError, message: 'bad format for add-host: ":1.2.3.4"'})
  t.throws(() => parseExtraHosts(['foo:1.2.3']), {instanceOf: UsageError, message: 'invalid IP address in add-host: "1.2.3"'})
  t.throws(() => parseExtraHosts(['foo:']), {instanceOf: UsageError, message: 'invalid IP address in add-host: ""'})
})

test('--no-hosts with --add-host, a DNS server that is no IP, and DNS flags with --network none are refused', (t) => {
  const slirp = {kind: 'slirp4netns'} as const
  const none = {kind: 'none'} as const
  t.throws(() => checkHostsOptions(slirp, {noHosts: true, addHost: ['a:1.2.3.4']}), {instanceOf: UsageError, message: '--no-hosts and --add-host cannot be set together'})
  t.throws(() => checkHostsOptions(slirp, {dns: ['1.1.1.1', '1.2.3']}), {instanceOf: UsageError, message: '1.2.3 is not an ip address'})
  for (const options of [{dns: ['1.1.1.1']}, {dnsSearch: ['example.com']}, {dnsOption: ['ndots:2']}])
    t.throws(() => checkHostsOptions(none, options), {instanceOf: UsageError, message: 'conflicting options: dns and the network mode: none'})
})

test('what Podman accepts passes', (t) => {
  t.notThrows(() => checkHostsOptions({kind: 'slirp4netns'}, {noHosts: true, addHost: [], dns: ['1.1.1.1', '2001:db8::1'], dnsSearch: ['x'], dnsOption: ['ndots:1']}))
  t.notThrows(() => checkHostsOptions({kind: 'host'}, {dns: ['8.8.8.8']}))
  t.notThrows(() => checkHostsOptions({kind: 'none'}, {addHost: ['a:1.2.3.4']}))
})
