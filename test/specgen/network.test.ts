// parseNetwork: the --network modes tspod has (slirp4netns, host, none, ns:PATH, named networks), the ones it has
// not refused with what to use instead, and the mode's name in inspect.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {slirp4netnsAddresses} from '../../src/runtime/network/slirp4netns-network'
import {networkModeName, parseNetwork} from '../../src/specgen/network'

test('no value, slirp4netns and private are slirp4netns (Podman 4\'s rootless default)', (t) => {
  for (const value of [undefined, '', 'slirp4netns', 'private']) t.deepEqual(parseNetwork(value), {kind: 'slirp4netns'})
})

test('slirp4netns:OPTIONS as Podman reads them: allow_host_loopback, enable_ipv6, mtu, port_handler=slirp4netns (how tspod always forwards)', (t) => {
  t.deepEqual(parseNetwork('slirp4netns:port_handler=slirp4netns,allow_host_loopback=true,enable_ipv6=false,mtu=1500'), {kind: 'slirp4netns', options: {allowHostLoopback: true, enableIPv6: false, mtu: 1500}})
  t.is(networkModeName(parseNetwork('slirp4netns:mtu=1500')), 'slirp4netns')
  t.throws(() => parseNetwork('slirp4netns:mtu=12'), {instanceOf: UsageError, message: 'invalid mtu "12"'})
  t.throws(() => parseNetwork('slirp4netns:allow_host_loopback=yes'), {instanceOf: UsageError, message: 'invalid value of allow_host_loopback for slirp4netns: "yes"'})
  t.throws(() => parseNetwork('slirp4netns:port_handler=bogus'), {instanceOf: UsageError, message: 'unknown port_handler for slirp4netns: "bogus"'})
  t.throws(() => parseNetwork('slirp4netns:port_handler=rootlesskit'), {instanceOf: UsageError, message: /^port_handler=rootlesskit is not supported by tspod/})
  t.throws(() => parseNetwork('slirp4netns:bogus'), {instanceOf: UsageError, message: 'unknown option for slirp4netns: "bogus"'})
  t.deepEqual(parseNetwork('slirp4netns:cidr=172.26.254.0/24'), {kind: 'slirp4netns', options: {cidr: '172.26.254.0/24'}})
  t.throws(() => parseNetwork('slirp4netns:cidr=10.0.0.0'), {instanceOf: UsageError, message: 'invalid cidr "10.0.0.0"'})
  t.deepEqual(slirp4netnsAddresses('172.26.254.0/24'), {containerIP: '172.26.254.100', gateway: '172.26.254.2', dns: '172.26.254.3'})
})

test('host, none and an absolute ns: path', (t) => {
  t.deepEqual(parseNetwork('host'), {kind: 'host'})
  t.deepEqual(parseNetwork('none'), {kind: 'none'})
  t.deepEqual(parseNetwork('ns:/proc/1/ns/net'), {kind: 'ns', path: '/proc/1/ns/net'})
})

test('a relative ns: path is refused', (t) => {
  t.throws(() => parseNetwork('ns:rel/path'), {instanceOf: UsageError, message: 'invalid network namespace path "rel/path": must be absolute'})
})

test('named networks: NAME[,NAME], NAME:alias=,ip=,mac=, bridge for the default one, and --network-alias, --ip, --mac-address on the one network', (t) => {
  const plain = {aliases: [], staticIps: []}
  t.deepEqual(parseNetwork('bogus'), {kind: 'bridge', networks: {bogus: {...plain, interfaceName: 'eth0'}}})
  t.deepEqual(parseNetwork('bridge'), {kind: 'bridge', networks: {podman: {...plain, interfaceName: 'eth0'}}})
  t.deepEqual(parseNetwork('a,b'), {kind: 'bridge', networks: {a: {...plain, interfaceName: 'eth0'}, b: {...plain, interfaceName: 'eth1'}}})
  t.deepEqual(parseNetwork('a:alias=x,alias=y,ip=10.89.0.5,mac=AA:bb:cc:dd:ee:ff'), {kind: 'bridge', networks: {a: {aliases: ['x', 'y'], staticIps: ['10.89.0.5'], staticMac: 'aa:bb:cc:dd:ee:ff', interfaceName: 'eth0'}}})
  t.deepEqual(parseNetwork('a', {aliases: ['web'], ip: '10.89.0.9'}), {kind: 'bridge', networks: {a: {aliases: ['web'], staticIps: ['10.89.0.9'], interfaceName: 'eth0'}}})
  t.throws(() => parseNetwork(undefined, {aliases: ['web']}), {instanceOf: UsageError, message: 'networks and static ip/mac address can only be used with Bridge mode networking'})
  t.throws(() => parseNetwork('a,b', {ip: '10.89.0.9'}), {instanceOf: UsageError, message: '--ip and --mac-address can only be set for a single network'})
  t.throws(() => parseNetwork('a', {ip: '10.89.0.300'}), {instanceOf: UsageError, message: /invalid string being converted to IP address: 10.89.0.300$/})
  t.throws(() => parseNetwork('a:mac=zz'), {instanceOf: UsageError, message: 'address zz: invalid MAC address'})
  t.throws(() => parseNetwork('a:foo=1'), {instanceOf: UsageError, message: 'unknown bridge network option: foo'})
})

test('pasta with its options; container:X names the donor', (t) => {
  t.deepEqual(parseNetwork('container:web'), {kind: 'container', container: 'web'})
  t.is(networkModeName({kind: 'container', container: 'abc'}), 'container:abc')
  t.throws(() => parseNetwork('container:'), {instanceOf: UsageError, message: 'invalid config provided: namespace mode container requires a value'})
  t.deepEqual(parseNetwork('pasta'), {kind: 'pasta', options: []})
  t.deepEqual(parseNetwork('pasta:--mtu,1500,-T,8080'), {kind: 'pasta', options: ['--mtu', '1500', '-T', '8080']})
})

test('the mode\'s name: the kind, or ns:PATH', (t) => {
  t.is(networkModeName({kind: 'slirp4netns'}), 'slirp4netns')
  t.is(networkModeName({kind: 'host'}), 'host')
  t.is(networkModeName({kind: 'none'}), 'none')
  t.is(networkModeName(parseNetwork('ns:/run/netns/x')), 'ns:/run/netns/x')
})
