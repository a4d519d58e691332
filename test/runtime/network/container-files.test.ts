// What a container behind slirp4netns finds in /etc/resolv.conf and /etc/hosts: Podman 4.3.1's
// files for `--network slirp4netns` (seen here: "nameserver 10.0.2.3" then the host's
// "nameserver 10.255.255.53"; host.containers.internal on the host's eth0 address 192.0.2.2).
import test from 'ava'

import {containerHostsEntries, formatHostsEntries, hostContainersInternalIP, hostsFile, parseHostsFile} from '../../../src/runtime/network/hosts-entries'
import {hostResolvConf, slirp4netnsResolvConf} from '../../../src/runtime/network/resolv-conf'

test('resolv.conf: the slirp4netns forwarder first, then the host nameservers it can reach', (t) => {
  t.is(slirp4netnsResolvConf({hostResolvConf: 'nameserver 10.255.255.53\n'}), 'nameserver 10.0.2.3\nnameserver 10.255.255.53\n')
  const host = [
    '# generated',
    'search example.com corp.example',
    'nameserver 127.0.0.53',
    'nameserver 192.0.2.1 # the router',
    'nameserver ::1',
    'nameserver 2001:db8::1',
    'options edns0 trust-ad',
    '',
  ].join('\n')
  t.is(
    slirp4netnsResolvConf({hostResolvConf: host}),
    'search example.com corp.example\nnameserver 10.0.2.3\nnameserver 192.0.2.1\noptions edns0 trust-ad\n',
  )
  t.is(
    slirp4netnsResolvConf({hostResolvConf: host, ipv6: true}),
    'search example.com corp.example\nnameserver 10.0.2.3\nnameserver 192.0.2.1\nnameserver 2001:db8::1\noptions edns0 trust-ad\n',
  )
})

test('resolv.conf: with only loopback nameservers on the host, public ones as Podman', (t) => {
  t.is(slirp4netnsResolvConf({hostResolvConf: 'nameserver 127.0.0.1\n'}), 'nameserver 10.0.2.3\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n')
  t.is(
    slirp4netnsResolvConf({hostResolvConf: '', ipv6: true}),
    'nameserver 10.0.2.3\nnameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844\n',
  )
  // the last search line wins; "search ." is no search at all
  t.is(slirp4netnsResolvConf({hostResolvConf: 'search a\nsearch .\nnameserver 192.0.2.1\n'}), 'nameserver 10.0.2.3\nnameserver 192.0.2.1\n')
})

test('resolv.conf: behind a local stub resolver, the real servers are read', (t) => {
  const files: Record<string, string> = {
    '/etc/resolv.conf': 'nameserver 127.0.0.53\noptions edns0\n',
    '/run/systemd/resolve/resolv.conf': 'nameserver 192.0.2.53\n',
  }
  const read = (file: string): string => {
    if (!(file in files)) throw Object.assign(new Error(`ENOENT: ${file}`), {code: 'ENOENT'})
    return files[file]
  }
  t.is(hostResolvConf(read), 'nameserver 192.0.2.53\n')
  files['/etc/resolv.conf'] = 'nameserver 127.0.0.1\n'
  t.is(hostResolvConf(read), 'nameserver 127.0.0.1\n', 'NetworkManager file missing: keep /etc/resolv.conf')
  delete files['/etc/resolv.conf']
  t.is(hostResolvConf(read), '')
})

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
