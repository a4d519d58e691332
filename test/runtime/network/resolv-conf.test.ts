// /etc/resolv.conf of a container behind slirp4netns: Podman 4.3.1's file for `--network
// slirp4netns` (seen here: "nameserver 10.0.2.3" then the host's "nameserver 10.255.255.53").
import test from 'ava'

import {bridgeResolvConf, hostResolvConf, sharedNetworkResolvConf, slirp4netnsResolvConf, withConfDns} from '../../../src/runtime/network/resolv-conf'

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

test('containers.conf dns_servers, dns_searches and dns_options come first and the container\'s --dns, --dns-search and --dns-option after, as Podman 4.3 joins them', (t) => {
  const conf = {dnsServers: ['1.1.1.1', '100.100.100.100'], dnsSearches: ['example.com'], dnsOptions: ['ndots:2']}
  t.deepEqual(withConfDns(conf, {}), {dns: ['1.1.1.1', '100.100.100.100'], dnsSearch: ['example.com'], dnsOption: ['ndots:2']})
  t.deepEqual(withConfDns(conf, {dns: ['9.9.9.9'], dnsSearch: ['foo.com'], dnsOption: ['attempts:3']}), {
    dns: ['1.1.1.1', '100.100.100.100', '9.9.9.9'],
    dnsSearch: ['example.com', 'foo.com'],
    dnsOption: ['ndots:2', 'attempts:3'],
  })
  t.deepEqual(withConfDns({}, {dns: [], dnsSearch: ['a']}), {dns: undefined, dnsSearch: ['a'], dnsOption: undefined}, 'none of either: the network\'s or the host\'s')
  const host = 'search corp.example\nnameserver 192.0.2.1\noptions edns0\n'
  const joined = withConfDns(conf, {})
  t.is(slirp4netnsResolvConf({hostResolvConf: host, ...joined}), 'search example.com\nnameserver 1.1.1.1\nnameserver 100.100.100.100\noptions ndots:2\n')
  t.is(bridgeResolvConf(['10.89.0.1'], ['dns.podman'], {hostResolvConf: host, ...joined}), 'search example.com\nnameserver 1.1.1.1\nnameserver 100.100.100.100\noptions ndots:2\n', 'the servers given replace aardvark-dns')
  t.is(sharedNetworkResolvConf({hostResolvConf: host, ...withConfDns({dnsOptions: ['ndots:2']}, {})}), 'search corp.example\nnameserver 192.0.2.1\noptions ndots:2\n')
  // a "." among the search domains (--dns-search .) leaves none
  t.is(slirp4netnsResolvConf({hostResolvConf: host, ...withConfDns(conf, {dnsSearch: ['.']})}), 'nameserver 1.1.1.1\nnameserver 100.100.100.100\noptions ndots:2\n')
})
