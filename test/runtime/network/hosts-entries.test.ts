// /etc/hosts of a container behind slirp4netns: Podman 4.3.1's file (host.containers.internal on
// the host's eth0 address 192.0.2.2).
import test from 'ava'

import {containerHostsEntries, formatHostsEntries, hostContainersInternalIP, hostsFile, parseHostsFile, withHostsEntries, withoutHostsEntries} from '../../../src/runtime/network/hosts-entries'

test('hosts: localhost, host.containers.internal on the host address, the container names on its own address', (t) => {
  const entries = containerHostsEntries('10.0.2.100', ['abc123def456', 'web'], '192.0.2.2')
  t.deepEqual(entries, [
    {ip: '127.0.0.1', names: ['localhost']},
    {ip: '::1', names: ['localhost']},
    {ip: '192.0.2.2', names: ['host.containers.internal']},
    {ip: '10.0.2.100', names: ['abc123def456', 'web']},
  ])
  t.is(formatHostsEntries(entries.slice(2)), '192.0.2.2\thost.containers.internal\n10.0.2.100\tabc123def456 web\n')
  // the host's network: no address of its own, so no entry for its names
  t.deepEqual(containerHostsEntries(undefined, ['vm', 'web'], '192.0.2.2').map((e) => e.ip), ['127.0.0.1', '::1', '192.0.2.2'])
})

test('hosts: the host\'s file first, comments and bare addresses dropped, reformatted; then only the names it lacks (containers/common etchosts)', (t) => {
  const base = parseHostsFile('# static\n127.0.0.1 localhost   # loopback\n10.1.2.3   foo bar\n192.0.2.9\n::1\tip6-localhost ip6-loopback\n')
  t.deepEqual(base, [
    {ip: '127.0.0.1', names: ['localhost']},
    {ip: '10.1.2.3', names: ['foo', 'bar']},
    {ip: '::1', names: ['ip6-localhost', 'ip6-loopback']},
  ])
  const file = hostsFile(base, containerHostsEntries('127.0.0.1', ['abc123def456', 'bar'], '192.0.2.2'))
  t.is(
    file,
    '127.0.0.1\tlocalhost\n10.1.2.3\tfoo bar\n::1\tip6-localhost ip6-loopback\n192.0.2.2\thost.containers.internal\n127.0.0.1\tabc123def456\n',
  )
  t.is(hostsFile([], containerHostsEntries(undefined, [], undefined)), '127.0.0.1\tlocalhost\n::1\tlocalhost\n')
})

test('hosts: the host address is its first global unicast one, IPv4 first', (t) => {
  const lo = {address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8'} as const
  const v6 = {address: '2001:db8::5', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '2001:db8::5/64', scopeid: 0} as const
  const linkLocal = {...v6, address: 'fe80::1', cidr: 'fe80::1/64'}
  const v4 = {address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '192.0.2.2/24'} as const
  t.is(hostContainersInternalIP({lo: [lo], eth0: [linkLocal, v6, v4]}), '192.0.2.2')
  t.is(hostContainersInternalIP({lo: [lo], eth0: [linkLocal, v6]}), '2001:db8::5')
  t.is(hostContainersInternalIP({lo: [lo]}), undefined)
  t.deepEqual(containerHostsEntries('10.0.2.100', ['web'], undefined).at(-1), {ip: '10.0.2.100', names: ['web']})
})

test('hosts: on named networks the container\'s names on each of its addresses', (t) => {
  t.deepEqual(containerHostsEntries(['10.89.0.2', '10.89.1.2'], ['abc', 'web'], undefined).slice(2), [
    {ip: '10.89.0.2', names: ['abc', 'web']},
    {ip: '10.89.1.2', names: ['abc', 'web']},
  ])
})

test('hosts: entries added with only the names a file lacks, and taken out by address and one shared name (etchosts Add and Remove)', (t) => {
  const text = '127.0.0.1\tlocalhost\n10.0.2.100\tpod infra\n'
  const added = withHostsEntries(text, [{ip: '127.0.0.1', names: ['pod', 'web']}])
  t.is(added, `${text}127.0.0.1\tweb\n`)
  t.is(withHostsEntries(added, [{ip: '127.0.0.1', names: ['pod', 'web']}]), added, 'nothing new')
  t.is(withoutHostsEntries(added, [{ip: '127.0.0.1', names: ['pod', 'web']}]), text)
  t.is(withoutHostsEntries(added, [{ip: '10.9.9.9', names: ['web']}]), added, 'another address: kept')
})
