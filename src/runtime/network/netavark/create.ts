// `network create` as containers/common libnetwork builds a netavark network: name and
// interface, subnets (given, or the first free one of the default pools, and a random ULA /64
// for --ipv6), gateways, lease ranges, driver options; refused in Podman's words.
import * as crypto from 'node:crypto'
import * as os from 'node:os'

import {TspodError} from '../../../errors'
import {Cidr, bigIntToIp, contains, formatCidr, ipToBigInt, lastAddress, nextSubnet, overlaps, parseCidr} from './cidr'
import {Network, NetworkSubnet, createdNow} from './config'

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
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

/** containers.conf's default_subnet_pools as containers/common sets them. */
const DEFAULT_POOLS: [string, number][] = [
  ['10.89.0.0/16', 24],
  ['10.90.0.0/15', 24],
  ['10.92.0.0/14', 24],
  ['10.96.0.0/11', 24],
  ['10.128.0.0/9', 24],
]

const BRIDGE_OPTIONS = ['mtu', 'vlan', 'isolate', 'metric']

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

/** A new network from the create flags; `existing` are all networks (the default one included). */
export function buildNetwork(options: CreateNetworkOptions, existing: Network[]): Network {
  const driver = options.driver || 'bridge'
  if (driver !== 'bridge') throw invalid(`unsupported driver ${driver}`)
  if (options.ipamDriver && options.ipamDriver !== 'host-local') {
    if (options.ipamDriver === 'dhcp') throw new TspodError('dhcp ipam driver is not yet supported with netavark')
    if (options.ipamDriver !== 'none') throw invalid(`unsupported ipam driver "${options.ipamDriver}"`)
  }
  if (options.name !== undefined) {
    validateNetworkName(options.name)
    if (existing.some((n) => n.name === options.name)) throw new TspodError(`network name ${options.name} already used: network already exists`)
  }
  if (options.subnets.length === 0 && (options.gateways.length > 0 || options.ipRanges.length > 0)) throw new TspodError('cannot set gateway or range without subnet')
  if (options.gateways.length > options.subnets.length) throw new TspodError('cannot set more gateways than subnets')
  if (options.ipRanges.length > options.subnets.length) throw new TspodError('cannot set more ranges than subnets')

  const netOptions: Record<string, string> = {}
  for (const [key, value] of Object.entries(options.options)) {
    if (!BRIDGE_OPTIONS.includes(key)) throw new TspodError(`unsupported bridge network option ${key}`)
    if ((key === 'mtu' || key === 'vlan' || key === 'metric') && !/^-?[0-9]+$/.test(value)) throw new TspodError(`strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`)
    if (key === 'mtu' && Number(value) < 0) throw new TspodError(`mtu ${value} can not be negative`)
    if (key === 'vlan' && (Number(value) < 0 || Number(value) > 4094)) throw new TspodError(`vlan ID ${value} must be between 0 and 4094`)
    if (key === 'isolate' && !['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(value))
      throw new TspodError(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`)
    netOptions[key] = value
  }

  const used = usedSubnets(existing)
  const subnets: NetworkSubnet[] = []
  const cidrs: Cidr[] = []
  const addGateway = !options.internal
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
    } else if (addGateway) subnet.gateway = bigIntToIp(cidr.family, cidr.base + 1n)
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
  const families = new Set(cidrs.map((c) => c.family))
  const ipv6 = options.ipv6 || families.has(6)
  const auto = (c: Cidr): void => {
    subnets.push(addGateway ? {subnet: formatCidr(c), gateway: bigIntToIp(c.family, c.base + 1n)} : {subnet: formatCidr(c)})
    cidrs.push(c)
  }
  if (cidrs.length === 0) auto(freeIPv4Subnet(used))
  if (ipv6 && !cidrs.some((c) => c.family === 6)) auto(randomIPv6Subnet(used))

  const interfaceName = freeDeviceName(existing)
  const name = options.name ?? interfaceName
  const network: Network = {
    name,
    id: crypto.randomBytes(32).toString('hex'),
    driver,
    network_interface: interfaceName,
    created: createdNow(),
    subnets,
    ipv6_enabled: ipv6,
    internal: Boolean(options.internal),
    dns_enabled: !options.disableDns,
  }
  if (Object.keys(options.labels).length > 0) network.labels = options.labels
  if (Object.keys(netOptions).length > 0) network.options = netOptions
  network.ipam_options = {driver: options.ipamDriver === 'none' ? 'none' : 'host-local'}
  return network
}
