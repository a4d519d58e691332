// Podman's IPAM for named networks: the next free address after the last one allocated,
// wrapping round the lease range; static addresses; a freed address not handed straight back.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {Network} from '../../../../src/runtime/network/netavark/config'
import {IpamState, allocate, forgetNetwork, leasedIps, releaseContainer, withIpam} from '../../../../src/runtime/network/netavark/ipam'

const net = (name: string, subnets: Network['subnets']): Network => ({name, subnets}) as Network
const empty = (): IpamState => ({leases: {}, lastIps: {}})

test('addresses go on from the last one allocated: a freed one comes back only after the range wraps', (t) => {
  const state = empty()
  const n = net('n', [{subnet: '10.5.0.0/29', gateway: '10.5.0.1'}])
  t.deepEqual(allocate(n, 'a', [], state), ['10.5.0.2'])
  t.deepEqual(allocate(n, 'b', [], state), ['10.5.0.3'])
  releaseContainer(state, 'a', 'n')
  t.deepEqual(allocate(n, 'a', [], state), ['10.5.0.4'], 'not the address a just gave up')
  t.deepEqual(allocate(n, 'c', [], state), ['10.5.0.5'])
  t.deepEqual(allocate(n, 'd', [], state), ['10.5.0.6'], '.7 is the broadcast')
  t.deepEqual(allocate(n, 'e', [], state), ['10.5.0.2'], 'wrapped round, past the gateway')
  const full = t.throws(() => allocate(n, 'f', [], state))
  t.is(full?.message, 'IPAM error: failed to find free IP in range: 10.5.0.1 - 10.5.0.6')
  t.deepEqual(leasedIps(state, 'a', ['n', 'other']), {n: ['10.5.0.4'], other: []})
})

test('a static address is taken as given and does not move the last one; one leased to another container is refused', (t) => {
  const state = empty()
  const n = net('n', [{subnet: '10.6.0.0/24', gateway: '10.6.0.1'}])
  t.deepEqual(allocate(n, 'a', ['10.6.0.9'], state), ['10.6.0.9'])
  t.deepEqual(allocate(n, 'b', [], state), ['10.6.0.2'])
  const taken = t.throws(() => allocate(n, 'c', ['10.6.0.9'], state))
  t.is(taken?.message, 'IPAM error: requested ip address 10.6.0.9 is already allocated to container ID a')
  const outside = t.throws(() => allocate(n, 'c', ['10.7.0.9'], state))
  t.is(outside?.message, 'requested static ip 10.7.0.9 not in any subnet on network n')
})

test('a lease range bounds the addresses (less the IPv4 broadcast); IPv6 subnets get one each', (t) => {
  const state = empty()
  const ranged = net('r', [{subnet: '10.8.0.0/24', lease_range: {start_ip: '10.8.0.253', end_ip: '10.8.0.255'}}])
  t.deepEqual(allocate(ranged, 'a', [], state), ['10.8.0.253'])
  t.deepEqual(allocate(ranged, 'b', [], state), ['10.8.0.254'])
  t.throws(() => allocate(ranged, 'c', [], state), {message: 'IPAM error: failed to find free IP in range: 10.8.0.253 - 10.8.0.254'})
  const dual = net('d', [{subnet: '10.9.0.0/24', gateway: '10.9.0.1'}, {subnet: 'fd00:1::/64', gateway: 'fd00:1::1'}])
  t.deepEqual(allocate(dual, 'a', [], state), ['10.9.0.2', 'fd00:1::2'])
})

test('a removed network is forgotten: made again, it starts from its first address', (t) => {
  const state = empty()
  const n = net('n', [{subnet: '10.5.0.0/24', gateway: '10.5.0.1'}])
  allocate(n, 'a', [], state)
  releaseContainer(state, 'a')
  forgetNetwork(state, 'n')
  t.deepEqual(allocate(n, 'b', [], state), ['10.5.0.2'])
})

test('the state is kept in the run dir; a file of the first format (leases alone) is read as its leases', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'ipam.json'), JSON.stringify({n: {'10.5.0.2': 'a'}}))
  const n = net('n', [{subnet: '10.5.0.0/24', gateway: '10.5.0.1'}])
  t.deepEqual(await withIpam(dir, (state) => allocate(n, 'b', [], state)), ['10.5.0.3'])
  t.deepEqual(await withIpam(dir, (state) => allocate(n, 'c', [], state)), ['10.5.0.4'])
  t.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'ipam.json'), 'utf8')), {
    leases: {n: {'10.5.0.2': 'a', '10.5.0.3': 'b', '10.5.0.4': 'c'}},
    lastIps: {n: {'10.5.0.0/24': '10.5.0.4'}},
  })
})
