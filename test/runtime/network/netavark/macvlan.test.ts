// A macvlan network's checks as libnetwork's createMacvlan makes them, in Podman's words.
import test from 'ava'

import type {Network} from '../../../../src/runtime/network/netavark/config'
import {checkMacvlan, liveInterfaceNames} from '../../../../src/runtime/network/netavark/macvlan'

const macvlan = (extra: Partial<Network> = {}): Network => ({
  name: 'mv',
  id: '0'.repeat(64),
  driver: 'macvlan',
  created: '2026-01-01T00:00:00Z',
  subnets: [{subnet: '10.99.0.0/24'}],
  ipv6_enabled: false,
  internal: false,
  dns_enabled: true,
  ...extra,
})

test('an unset IPAM driver becomes host-local; the modes and an mtu (empty: the default) pass', (t) => {
  for (const mode of ['bridge', 'private', 'vepa', 'passthru']) {
    const network = macvlan({options: {mode, mtu: '1400'}})
    checkMacvlan(network, ['lo', 'eth0'])
    t.deepEqual(network.ipam_options, {driver: 'host-local'})
  }
  t.notThrows(() => checkMacvlan(macvlan({options: {mtu: ''}, network_interface: 'eth0'}), ['lo', 'eth0']))
  const none = macvlan({subnets: undefined, ipam_options: {driver: 'none'}})
  checkMacvlan(none, [])
  t.deepEqual(none.ipam_options, {driver: 'none'})
})

test("refused in Podman's words", (t) => {
  const refused: [Partial<Network>, string][] = [
    [{network_interface: 'nosuch0'}, 'parent interface nosuch0 does not exist'],
    [{subnets: undefined}, 'macvlan driver needs at least one subnet specified, DHCP is not yet supported with netavark'],
    [{subnets: [], ipam_options: {driver: 'host-local'}}, 'macvlan driver needs at least one subnet specified, when the host-local ipam driver is set'],
    [{options: {mode: 'foo'}}, 'unknown macvlan mode "foo"'],
    [{options: {mode: ''}}, 'unknown macvlan mode ""'],
    [{options: {mtu: 'abc'}}, 'strconv.Atoi: parsing "abc": invalid syntax'],
    [{options: {mtu: '-5'}}, 'mtu -5 is less than zero'],
    [{options: {vlan: '3'}}, 'unsupported macvlan network option vlan'],
    [{options: {isolate: 'true'}}, 'unsupported macvlan network option isolate'],
  ]
  for (const [extra, message] of refused) t.throws(() => checkMacvlan(macvlan(extra), ['lo', 'eth0']), {message}, message)
})

test("the host's interfaces include those without an address", (t) => {
  const names = liveInterfaceNames()
  t.true(names.includes('lo'))
})
