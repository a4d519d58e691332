// `network create` as libnetwork builds a netavark config: the macvlan driver, the IPAM driver,
// the gateway rule and the bridge's options, in Podman 4.3.1's form and words.
import test from 'ava'

import {CreateNetworkOptions, buildNetwork} from '../../../../src/runtime/network/netavark/create'
import {defaultNetwork} from '../../../../src/runtime/network/netavark/config'

const create = (extra: Partial<CreateNetworkOptions>) =>
  buildNetwork({subnets: [], gateways: [], ipRanges: [], internal: false, disableDns: false, ipv6: false, labels: {}, options: {}, ...extra}, [defaultNetwork()])

test('a macvlan network: no interface of its own, -o parent= is its network_interface, its subnet may overlap', (t) => {
  const mv = create({name: 'mv', driver: 'macvlan', subnets: ['10.88.0.0/16'], options: {parent: 'lo', mode: 'vepa'}})
  t.deepEqual(Object.keys(mv), ['name', 'id', 'driver', 'network_interface', 'created', 'subnets', 'ipv6_enabled', 'internal', 'dns_enabled', 'options', 'ipam_options'])
  t.like(mv, {driver: 'macvlan', network_interface: 'lo', subnets: [{subnet: '10.88.0.0/16', gateway: '10.88.0.1'}], dns_enabled: true, options: {mode: 'vepa'}, ipam_options: {driver: 'host-local'}})
  const plain = create({driver: 'macvlan', subnets: ['10.98.0.0/24'], options: {parent: ''}, ipv6: true})
  t.is(plain.name, 'podman1')
  t.false('network_interface' in plain)
  t.false('options' in plain)
  t.true(plain.ipv6_enabled, '--ipv6 without an IPv6 subnet: none is added for a macvlan')
  t.is(plain.subnets!.length, 1)
})

test("Podman's deprecated --macvlan DEVICE: the driver macvlan, the device its parent; -o parent= is then an option it refuses", (t) => {
  t.like(create({macvlanParent: 'lo', subnets: ['10.98.0.0/24']}), {driver: 'macvlan', network_interface: 'lo'})
  t.throws(() => create({macvlanParent: 'lo', subnets: ['10.98.0.0/24'], options: {parent: 'lo'}}), {message: 'unsupported macvlan network option parent'})
  t.throws(() => create({macvlanParent: 'lo'}), {message: 'macvlan driver needs at least one subnet specified, DHCP is not yet supported with netavark'})
})

test('--internal keeps the gateway while DNS is on; ipam none turns DNS off and takes no subnet', (t) => {
  t.deepEqual(create({driver: 'macvlan', subnets: ['10.98.0.0/24'], internal: true}).subnets, [{subnet: '10.98.0.0/24', gateway: '10.98.0.1'}])
  t.deepEqual(create({driver: 'macvlan', subnets: ['10.98.0.0/24'], internal: true, disableDns: true}).subnets, [{subnet: '10.98.0.0/24'}])
  t.deepEqual(create({subnets: ['10.97.0.0/24'], internal: true}).subnets, [{subnet: '10.97.0.0/24', gateway: '10.97.0.1'}])
  const none = create({driver: 'macvlan', ipamDriver: 'none'})
  t.like(none, {dns_enabled: false, ipam_options: {driver: 'none'}})
  t.false('subnets' in none)
  const bridgeNone = create({ipamDriver: 'none'})
  t.like(bridgeNone, {network_interface: 'podman1', dns_enabled: false, ipam_options: {driver: 'none'}})
  t.false('subnets' in bridgeNone)
})

test('--ipv6 on a bridge with only an IPv6 subnet adds an IPv4 one; isolate is written as a boolean', (t) => {
  const dual = create({subnets: ['fd01::/64'], ipv6: true})
  t.deepEqual(dual.subnets!.map((s) => s.subnet.includes(':')), [true, false])
  t.deepEqual(create({options: {isolate: '1', mtu: ''}}).options, {isolate: 'true', mtu: ''})
})

test("refused in Podman's words", (t) => {
  const refused: [Partial<CreateNetworkOptions>, string][] = [
    [{driver: 'macvlan'}, 'macvlan driver needs at least one subnet specified, DHCP is not yet supported with netavark'],
    [{driver: 'macvlan', ipamDriver: 'host-local'}, 'macvlan driver needs at least one subnet specified, when the host-local ipam driver is set'],
    [{driver: 'macvlan', subnets: ['10.98.0.0/24'], options: {parent: 'nosuch0'}}, 'parent interface nosuch0 does not exist'],
    [{driver: 'macvlan', subnets: ['10.98.0.0/24'], options: {metric: '1'}}, 'unsupported macvlan network option metric'],
    [{driver: 'macvlan', subnets: ['10.98.0.0/24'], ipamDriver: 'none'}, 'none ipam driver is set but subnets are given'],
    [{driver: 'macvlan', ipamDriver: 'dhcp'}, 'dhcp ipam driver is not yet supported with netavark'],
    [{driver: 'macvlan', subnets: ['10.98.0.0/24'], ipamDriver: 'foo'}, 'unsupported ipam driver "foo"'],
    [{driver: 'ipvlan', subnets: ['10.98.0.0/24']}, 'unsupported driver ipvlan: invalid argument'],
    [{options: {parent: 'lo'}}, 'unsupported bridge network option parent'],
    [{options: {metric: '1'}}, 'unsupported bridge network option metric'],
    [{options: {mtu: '-3'}}, 'mtu -3 is less than zero'],
  ]
  for (const [extra, message] of refused) t.throws(() => create(extra), {message}, message)
})
