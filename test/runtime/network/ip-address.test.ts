// Host IPs as Go's net.ParseIP reads them and IP.String() prints them.
import test from 'ava'

import {parseIp} from '../../../src/runtime/network/ip-address'

test('IPv4: dotted quads without leading zeros', (t) => {
  t.deepEqual(parseIp('127.0.0.1'), {family: 4, text: '127.0.0.1'})
  t.deepEqual(parseIp('0.0.0.0'), {family: 4, text: '0.0.0.0'})
  for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-4', 'a.b.c.d', '', 'localhost']) t.is(parseIp(bad), undefined, bad)
})

test('IPv6: printed in RFC 5952 form; IPv4-mapped ones print as IPv4', (t) => {
  const text = (s: string) => parseIp(s)?.text
  t.is(text('::'), '::')
  t.is(text('0:0:0:0:0:0:0:1'), '::1')
  t.is(text('2001:0DB8::0001'), '2001:db8::1')
  t.is(text('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'the first of two equal runs of zeros')
  t.is(text('1:0:0:2:0:0:0:3'), '1:0:0:2::3', 'the longest run of zeros')
  t.is(text('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7', 'a single zero group stays')
  t.is(parseIp('fe80::1')?.family, 6)
  t.deepEqual(parseIp('::ffff:192.0.2.1'), {family: 4, text: '192.0.2.1'})
  t.deepEqual(parseIp('::ffff:c000:0201'), {family: 4, text: '192.0.2.1'})
  for (const bad of ['fe80::1%eth0', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', ':1', '1:', '[::1]']) t.is(parseIp(bad), undefined, bad)
})
