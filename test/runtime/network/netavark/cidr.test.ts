// Subnets as Go's net.ParseCIDR reads them, and the arithmetic network create does on them.
import test from 'ava'

import {bigIntToIp, contains, formatCidr, ipToBigInt, lastAddress, nextSubnet, overlaps, parseCidr} from '../../../../src/runtime/network/netavark/cidr'

test('a CIDR is masked to its network, in IPv4 and IPv6; what Go refuses is undefined', (t) => {
  t.is(formatCidr(parseCidr('10.89.3.77/24')!), '10.89.3.0/24')
  t.is(formatCidr(parseCidr('fd00:1:2::9/64')!), 'fd00:1:2::/64')
  t.is(formatCidr(parseCidr('0.0.0.0/0')!), '0.0.0.0/0')
  for (const bad of ['10.89.0.0', '10.89.0.0/33', '10.89.0.0/x', '10.89.0/24', 'fd00::/129', '/24']) t.is(parseCidr(bad), undefined, bad)
})

test('addresses convert both ways; IPv6 is written in its short form', (t) => {
  t.deepEqual(ipToBigInt('10.0.0.1'), {family: 4, value: 0x0a000001n})
  t.deepEqual(ipToBigInt('::1'), {family: 6, value: 1n})
  t.is(ipToBigInt('10.0.0.256'), undefined)
  t.is(bigIntToIp(4, 0x0a590001n), '10.89.0.1')
  t.is(bigIntToIp(6, (0xfd00n << 112n) | 1n), 'fd00::1')
})

test('containment, overlap, last address and the next subnet of the same size', (t) => {
  const a = parseCidr('10.89.0.0/24')!
  t.is(bigIntToIp(4, lastAddress(a)), '10.89.0.255')
  t.true(contains(a, 4, ipToBigInt('10.89.0.200')!.value))
  t.false(contains(a, 4, ipToBigInt('10.89.1.0')!.value))
  t.false(contains(a, 6, 0n), 'another family never matches')
  t.true(overlaps(a, parseCidr('10.89.0.128/25')!))
  t.true(overlaps(parseCidr('10.0.0.0/8')!, a))
  t.false(overlaps(a, parseCidr('10.89.1.0/24')!))
  t.is(formatCidr(nextSubnet(a)), '10.89.1.0/24')
  t.is(formatCidr(nextSubnet(parseCidr('10.89.255.0/24')!)), '10.90.0.0/24')
})
