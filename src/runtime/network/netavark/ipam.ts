// The addresses of containers on named networks, as Podman's IPAM (containers/common
// libnetwork/netavark/ipam.go) allocates them before it hands netavark static IPs: per network
// and subnet, the leases (address -> container id) and the last address handed out. A new
// lease is the first free address after the last one, wrapping round the subnet's lease range
// (or the whole subnet, less its network and IPv4 broadcast addresses and the gateway), so an
// address just freed (a disconnect) is not handed straight back. Static addresses do not move
// the last one. Kept in the run dir as ipam.json, under ipam.lock.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {withLock} from '../../../storage/store/lockfile'
import {bigIntToIp, ipToBigInt, lastAddress, parseCidr} from './cidr'
import type {Network} from './config'

export interface IpamState {
  /** network name -> address -> container id */
  leases: Record<string, Record<string, string>>
  /** network name -> subnet -> the last address allocated (not given) on it */
  lastIps: Record<string, Record<string, string>>
}

function readState(file: string): IpamState {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return {leases: {}, lastIps: {}}
  }
  const state = raw as Partial<IpamState>
  // the first format: the leases alone, by network name
  if (state.leases === undefined) return {leases: raw as IpamState['leases'], lastIps: {}}
  return {leases: state.leases, lastIps: state.lastIps ?? {}}
}

/** The run dir's IPAM state, changed by action under its lock and written back. */
export async function withIpam<T>(runDir: string, action: (state: IpamState) => T): Promise<T> {
  const file = path.join(runDir, 'ipam.json')
  return withLock(path.join(runDir, 'ipam.lock'), 'exclusive', () => {
    const state = readState(file)
    const result = action(state)
    fs.writeFileSync(file, JSON.stringify(state), {mode: 0o600})
    return result
  })
}

/** The addresses a subnet leases, first and last, as Podman's getFreeIPFromBucket bounds them. */
function leaseRange(subnet: NonNullable<Network['subnets']>[number]): {family: 4 | 6; start: bigint; end: bigint} {
  const cidr = parseCidr(subnet.subnet)!
  const last = lastAddress(cidr)
  let start = subnet.lease_range?.start_ip ? ipToBigInt(subnet.lease_range.start_ip)!.value : cidr.base + 1n
  if (start === cidr.base) start++
  let end = subnet.lease_range?.end_ip ? ipToBigInt(subnet.lease_range.end_ip)!.value : last
  // an IPv4 subnet's last address is its broadcast
  if (cidr.family === 4 && end === last) end--
  return {family: cidr.family, start, end}
}

/**
 * One address on each of the network's subnets for the container: a wanted (static) one where
 * it falls in the subnet, else the next free one after the subnet's last. Podman's errors.
 */
export function allocate(network: Network, containerId: string, wanted: string[], state: IpamState): string[] {
  const leases = (state.leases[network.name] ??= {})
  const ips: string[] = []
  for (const subnet of network.subnets ?? []) {
    const cidr = parseCidr(subnet.subnet)!
    const given = wanted.find((w) => {
      const ip = ipToBigInt(w)
      return ip && ip.family === cidr.family && ip.value >= cidr.base && ip.value <= lastAddress(cidr)
    })
    if (given) {
      const owner = leases[given]
      if (owner && owner !== containerId) throw new TspodError(`IPAM error: requested ip address ${given} is already allocated to container ID ${owner}`)
      leases[given] = containerId
      ips.push(given)
      continue
    }
    const range = leaseRange(subnet)
    const gateway = subnet.gateway ? ipToBigInt(subnet.gateway)!.value : undefined
    const lastIps = (state.lastIps[network.name] ??= {})
    const previous = lastIps[subnet.subnet] ? ipToBigInt(lastIps[subnet.subnet])!.value : undefined
    const size = range.end - range.start + 1n
    let first = previous === undefined ? range.start : previous + 1n
    if (first < range.start || first > range.end) first = range.start
    let found: string | undefined
    for (let i = 0n; i < size && !found; i++) {
      const v = range.start + ((first - range.start + i) % size)
      const text = bigIntToIp(range.family, v)
      if (v !== gateway && !leases[text]) found = text
    }
    if (!found) throw new TspodError(`IPAM error: failed to find free IP in range: ${bigIntToIp(range.family, range.start)} - ${bigIntToIp(range.family, range.end)}`)
    leases[found] = containerId
    lastIps[subnet.subnet] = found
    ips.push(found)
  }
  for (const w of wanted) if (!ips.includes(w)) throw new TspodError(`requested static ip ${w} not in any subnet on network ${network.name}`)
  return ips
}

/** The container's addresses on the named networks. */
export function leasedIps(state: IpamState, containerId: string, names: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const name of names) out[name] = Object.entries(state.leases[name] ?? {}).filter(([, owner]) => owner === containerId).map(([ip]) => ip)
  return out
}

/** The container's leases freed: on the one network, or on all of them. */
export function releaseContainer(state: IpamState, containerId: string, networkName?: string): void {
  const networks = networkName === undefined ? Object.values(state.leases) : [state.leases[networkName] ?? {}]
  for (const leases of networks) for (const [ip, owner] of Object.entries(leases)) if (owner === containerId) delete leases[ip]
}

/** A removed network's leases and last addresses gone (Podman drops its bucket): one made again under its name starts afresh. */
export function forgetNetwork(state: IpamState, name: string): void {
  delete state.leases[name]
  delete state.lastIps[name]
}
