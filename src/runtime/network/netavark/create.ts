// `network create` as containers/common libnetwork builds a netavark network: name, subnets with
// their gateways and lease ranges, the IPAM driver, then what the driver adds and checks (a
// bridge: its interface, free subnets of the default pools, a random ULA /64 for --ipv6; a
// macvlan: macvlan.ts), the gateways last; refused in Podman's words.
import * as crypto from 'node:crypto'
import * as os from 'node:os'

import {TspodError} from '../../../errors'
import {Cidr, bigIntToIp, contains, formatCidr, ipToBigInt, lastAddress, nextSubnet, overlaps, parseCidr} from './cidr'
import {Network, NetworkSubnet, createdNow} from './config'
import {parseBool, parseMtu, parseVlan} from './driver-options'
import {MACVLAN_DRIVER, checkMacvlan} from './macvlan'

export interface CreateNetworkOptions {
  name?: string
  driver?: string
  subnets: string[]
  gateways: string[]
  ipRanges: string[]
  internal: boolean
  disableDns: boolean
  ipv6: boolean
  labels: Record<string, string>
  options: Record<string, string>
  ipamDriver?: string
  /** the parent device of Podman's deprecated --macvlan (which sets the driver) */
  macvlanParent?: string
}

/** The drivers of netavark networks, as libnetwork lists them (`info`'s plugins.network). */
export const NETWORK_DRIVERS = ['bridge', MACVLAN_DRIVER]

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

/** containers.conf's default_subnet_pools as containers/common sets them. */
const DEFAULT_POOLS: [string, number][] = [
  ['10.89.0.0/16', 24],
  ['10.90.0.0/15', 24],
  ['10.92.0.0/14', 24],
  ['10.96.0.0/11', 24],
  ['10.128.0.0/9', 24],
]

function invalid(message: string): TspodError {
  return new TspodError(`${message}: invalid argument`)
}

export function validateNetworkName(name: string): void {
  if (!NAME_RE.test(name)) throw invalid(`network name ${name} invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`)
}

/** The subnets of the host's interfaces, which a new network must not overlap. */
function liveSubnets(): Cidr[] {
  const out: Cidr[] = []
  for (const addrs of Object.values(os.networkInterfaces())) for (const a of addrs ?? []) if (a.cidr) out.push(parseCidr(a.cidr)!)
  return out.filter(Boolean)
}

function usedSubnets(existing: Network[]): Cidr[] {
  return [...existing.flatMap((n) => (n.subnets ?? []).map((s) => parseCidr(s.subnet)!).filter(Boolean)), ...liveSubnets()]
}

/** The first free podmanN (N from 1) among network names, their interfaces and the host's. */
function freeDeviceName(existing: Network[]): string {
  const used = new Set<string>([...existing.flatMap((n) => [n.name, n.network_interface ?? '']), ...Object.keys(os.networkInterfaces())])
  for (let i = 0; ; i++) if (!used.has(`podman${i}`)) return `podman${i}`
}

function freeIPv4Subnet(used: Cidr[]): Cidr {
  for (const [base, size] of DEFAULT_POOLS) {
    const pool = parseCidr(base)!
    for (let c: Cidr = {family: 4, base: pool.base, prefix: size}; lastAddress(c) <= lastAddress(pool); c = nextSubnet(c))
      if (!used.some((u) => overlaps(u, c))) return c
  }
  throw new TspodError('could not find free subnet from subnet pools')
}

function randomIPv6Subnet(used: Cidr[]): Cidr {
  for (let i = 0; i < 1000; i++) {
    const bytes = crypto.randomBytes(8)
    bytes[0] = 0xfd
    const c: Cidr = {family: 6, base: BigInt('0x' + bytes.toString('hex')) << 64n, prefix: 64}
    if (!used.some((u) => overlaps(u, c))) return c
  }
  throw new TspodError('failed to get random ipv6 subnet')
}

function parseSubnetFlag(text: string): Cidr {
  const c = parseCidr(text)
  if (!c) throw new TspodError(`invalid CIDR address: ${text}`)
  return c
}

/** libnetwork's validateIPAMDriver: netavark takes host-local (the default) and none. */
function checkIpamDriver(driver: string, subnets: number): void {
  if (driver === '' || driver === 'host-local') return
  if (driver === 'none') {
    if (subnets > 0) throw new TspodError('none ipam driver is set but subnets are given')
    return
  }
  if (driver === 'dhcp') throw new TspodError('dhcp ipam driver is not yet supported with netavark')
  throw new TspodError(`unsupported ipam driver ${JSON.stringify(driver)}`)
}

/** libnetwork's bridge options, checked (isolate written as netavark reads a boolean). */
function checkBridgeOptions(options: Record<string, string>): void {
  for (const [key, value] of Object.entries(options)) {
    if (key === 'mtu') parseMtu(value)
    else if (key === 'vlan') parseVlan(value)
    else if (key === 'isolate') options[key] = String(parseBool(value))
    else throw new TspodError(`unsupported bridge network option ${key}`)
  }
}

/**
 * A bridge gets the first free podmanN as its interface and, with host-local IPAM, the first
 * free IPv4 subnet of the pools when none is given; with --ipv6 both families (a random ULA /64).
 */
function completeBridge(network: Network, cidrs: Cidr[], ipv6: boolean, existing: Network[], used: Cidr[]): void {
  network.network_interface = freeDeviceName(existing)
  const ipam = network.ipam_options?.driver ?? ''
  if (ipam !== '' && ipam !== 'host-local') return
  const auto = (c: Cidr): void => {
    network.subnets!.push({subnet: formatCidr(c)})
    cidrs.push(c)
  }
  if (cidrs.length === 0) auto(freeIPv4Subnet(used))
  if (ipv6) {
    if (!cidrs.some((c) => c.family === 4)) auto(freeIPv4Subnet(used))
    if (!cidrs.some((c) => c.family === 6)) auto(randomIPv6Subnet(used))
  }
  network.ipam_options = {driver: 'host-local'}
}

/** A new network from the create flags; `existing` are all networks (the default one included). */
export function buildNetwork(options: CreateNetworkOptions, existing: Network[]): Network {
  const driver = options.macvlanParent ? MACVLAN_DRIVER : options.driver || 'bridge'
  if (!NETWORK_DRIVERS.includes(driver)) throw invalid(`unsupported driver ${driver}`)
  if (options.name !== undefined) {
    validateNetworkName(options.name)
    if (existing.some((n) => n.name === options.name)) throw new TspodError(`network name ${options.name} already used: network already exists`)
  }
  if (options.subnets.length === 0 && (options.gateways.length > 0 || options.ipRanges.length > 0)) throw new TspodError('cannot set gateway or range without subnet')
  if (options.gateways.length > options.subnets.length) throw new TspodError('cannot set more gateways than subnets')
  if (options.ipRanges.length > options.subnets.length) throw new TspodError('cannot set more ranges than subnets')

  // only a bridge must not overlap the host's or another network's subnets
  const used = driver === 'bridge' ? usedSubnets(existing) : []
  const subnets: NetworkSubnet[] = []
  const cidrs: Cidr[] = []
  options.subnets.forEach((text, i) => {
    const cidr = parseSubnetFlag(text)
    if (used.some((u) => overlaps(u, cidr)) || cidrs.some((u) => overlaps(u, cidr))) throw new TspodError(`subnet ${formatCidr(cidr)} is already used on the host or by another config`)
    const subnet: NetworkSubnet = {subnet: formatCidr(cidr)}
    const gw = options.gateways[i]
    if (gw !== undefined) {
      const ip = ipToBigInt(gw)
      if (!ip) throw new TspodError(`invalid argument "${gw}" for "--gateway" flag: invalid string being converted to IP address: ${gw}`)
      if (!contains(cidr, ip.family, ip.value)) throw new TspodError(`gateway ${bigIntToIp(ip.family, ip.value)} not in subnet ${formatCidr(cidr)}`)
      subnet.gateway = bigIntToIp(ip.family, ip.value)
    }
    const range = options.ipRanges[i]
    if (range !== undefined) {
      const r = parseCidr(range)
      if (!r) throw new TspodError(`invalid CIDR address: ${range}`)
      const start = r.base + 1n
      const end = lastAddress(r)
      if (!contains(cidr, r.family, start) || !contains(cidr, r.family, end)) throw new TspodError(`lease range ${range} not in subnet ${formatCidr(cidr)}`)
      subnet.lease_range = {start_ip: bigIntToIp(r.family, start), end_ip: bigIntToIp(r.family, end)}
    }
    subnets.push(subnet)
    cidrs.push(cidr)
  })
  const ipamDriver = options.ipamDriver ?? ''
  checkIpamDriver(ipamDriver, subnets.length)

  const netOptions = {...options.options}
  let networkInterface = options.macvlanParent || undefined
  // Podman's -o parent= names a macvlan's parent interface, not an option (unless --macvlan named it)
  if (driver === MACVLAN_DRIVER && !networkInterface && 'parent' in netOptions) {
    networkInterface = netOptions.parent || undefined
    delete netOptions.parent
  }
  const name = options.name ?? freeDeviceName(existing)
  const network: Network = {
    name,
    id: crypto.randomBytes(32).toString('hex'),
    driver,
    ...(networkInterface ? {network_interface: networkInterface} : {}),
    created: createdNow(),
    subnets,
    ipv6_enabled: Boolean(options.ipv6),
    internal: Boolean(options.internal),
    dns_enabled: !options.disableDns,
  }
  if (Object.keys(options.labels).length > 0) network.labels = options.labels
  if (Object.keys(netOptions).length > 0) network.options = netOptions
  if (ipamDriver !== '') network.ipam_options = {driver: ipamDriver}

  if (driver === 'bridge') {
    checkBridgeOptions(netOptions)
    completeBridge(network, cidrs, Boolean(options.ipv6), existing, used)
  } else checkMacvlan(network)

  if (network.ipam_options?.driver === 'none') network.dns_enabled = false
  const addGateway = !network.internal || network.dns_enabled
  network.subnets!.forEach((subnet, i) => {
    if (subnet.gateway === undefined && addGateway) subnet.gateway = bigIntToIp(cidrs[i].family, cidrs[i].base + 1n)
  })
  if (cidrs.some((c) => c.family === 6)) network.ipv6_enabled = true
  const {labels, options: opts, ipam_options, subnets: finalSubnets, ...head} = network
  // the keys in Podman's order, empty ones left out as its omitempty does
  return {
    name: head.name,
    id: head.id,
    driver: head.driver,
    ...(head.network_interface ? {network_interface: head.network_interface} : {}),
    created: head.created,
    ...(finalSubnets && finalSubnets.length > 0 ? {subnets: finalSubnets} : {}),
    ipv6_enabled: head.ipv6_enabled,
    internal: head.internal,
    dns_enabled: head.dns_enabled,
    ...(labels ? {labels} : {}),
    ...(opts ? {options: opts} : {}),
    ...(ipam_options ? {ipam_options} : {}),
  }
}
