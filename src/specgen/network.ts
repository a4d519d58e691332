// `--network` as tspod takes it. The default (no --network, or private) is the caller's: for
// containers pasta or slirp4netns as Podman 5 chooses (runtime/network/pasta.ts), slirp4netns for
// RUN steps of a build; named networks (bridge) run in the rootless netns (runtime/network/netavark).
import * as path from 'node:path'

import {UsageError} from '../errors'
import {parseIp} from '../runtime/network/ip-address'
import type {BridgeNetworkMode, NetworkMode, PerNetworkOptions, Slirp4netnsModeOptions} from './container-spec'

/** --network-alias, --ip and --mac-address: Podman puts them on the one named network. */
export interface NetworkExtras {
  aliases?: string[]
  ip?: string
  mac?: string
}

export function parseNetwork(network: string | undefined, extras: NetworkExtras = {}, defaultMode: () => NetworkMode = () => ({kind: 'slirp4netns'})): NetworkMode {
  const mode = network === undefined || network === '' || network === 'private' ? defaultMode() : parseNetworkMode(network)
  const given = (extras.aliases ?? []).length > 0 || extras.ip !== undefined || extras.mac !== undefined
  if (!given) return mode
  if (mode.kind !== 'bridge') throw new UsageError('networks and static ip/mac address can only be used with Bridge mode networking')
  const names = Object.keys(mode.networks)
  if (names.length > 1 && (extras.ip !== undefined || extras.mac !== undefined)) throw new UsageError('--ip and --mac-address can only be set for a single network')
  const first = mode.networks[names[0]]
  first.aliases.push(...(extras.aliases ?? []))
  if (extras.ip !== undefined) first.staticIps.push(checkIp(extras.ip, 'ip'))
  if (extras.mac !== undefined) first.staticMac = checkMac(extras.mac)
  return mode
}

export function checkIp(text: string, what: string): string {
  const ip = parseIp(text)
  if (!ip) throw new UsageError(`invalid argument "${text}" for "--${what}" flag: invalid string being converted to IP address: ${text}`)
  return ip.text
}

export function checkMac(text: string): string {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) throw new UsageError(`address ${text}: invalid MAC address`)
  return text.toLowerCase()
}

/** NAME[,NAME...] or NAME:alias=A,ip=IP,mac=MAC,interface_name=IF */
function parseNamedNetworks(value: string): BridgeNetworkMode {
  const networks: Record<string, PerNetworkOptions> = {}
  const entries = value.includes(':') ? [value] : value.split(',')
  for (const entry of entries) {
    const colon = entry.indexOf(':')
    const name = colon < 0 ? entry : entry.slice(0, colon)
    if (name === '') throw new UsageError(`network name cannot be empty`)
    if (networks[name]) throw new UsageError(`network ${JSON.stringify(name)} given more than once`)
    const opts: PerNetworkOptions = {aliases: [], staticIps: [], interfaceName: `eth${Object.keys(networks).length}`}
    if (colon >= 0)
      for (const option of entry.slice(colon + 1).split(',')) {
        const eq = option.indexOf('=')
        const key = eq < 0 ? option : option.slice(0, eq)
        const v = eq < 0 ? '' : option.slice(eq + 1)
        if (key === 'alias') opts.aliases.push(v)
        else if (key === 'ip' || key === 'ip6') opts.staticIps.push(checkIp(v, 'network'))
        else if (key === 'mac') opts.staticMac = checkMac(v)
        else if (key === 'interface_name') opts.interfaceName = v
        else throw new UsageError(`unknown bridge network option: ${key}`)
      }
    networks[name] = opts
  }
  return {kind: 'bridge', networks}
}

function trueOrFalse(option: string, value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true'
  throw new UsageError(`invalid value of ${option} for slirp4netns: ${JSON.stringify(value)}`)
}

/** slirp4netns:OPTION=VALUE,... with Podman's option names and messages (libpod/networking_slirp4netns.go). */
function parseSlirp4netnsOptions(options: string[]): Slirp4netnsModeOptions {
  const parsed: Slirp4netnsModeOptions = {}
  for (const o of options) {
    const eq = o.indexOf('=')
    if (eq < 0) throw new UsageError(`unknown option for slirp4netns: ${JSON.stringify(o)}`)
    const [option, value] = [o.slice(0, eq), o.slice(eq + 1)]
    switch (option) {
      case 'port_handler':
        if (value === 'rootlesskit') throw new UsageError('port_handler=rootlesskit is not supported by tspod: it forwards ports through slirp4netns (port_handler=slirp4netns)')
        if (value !== 'slirp4netns') throw new UsageError(`unknown port_handler for slirp4netns: ${JSON.stringify(value)}`)
        break
      case 'allow_host_loopback':
        parsed.allowHostLoopback = trueOrFalse(option, value)
        break
      case 'enable_ipv6':
        parsed.enableIPv6 = trueOrFalse(option, value)
        break
      case 'mtu': {
        const mtu = /^\d+$/.test(value) ? Number(value) : NaN
        if (!(mtu >= 68)) throw new UsageError(`invalid mtu ${JSON.stringify(value)}`)
        parsed.mtu = mtu
        break
      }
      case 'cidr': {
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value)
        if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) throw new UsageError(`invalid cidr ${JSON.stringify(value)}`)
        parsed.cidr = value
        break
      }
      case 'outbound_addr':
      case 'outbound_addr6':
        throw new UsageError(`slirp4netns option ${option} is not supported by tspod`)
      default:
        throw new UsageError(`unknown option for slirp4netns: ${JSON.stringify(o)}`)
    }
  }
  return parsed
}

function parseNetworkMode(network: string): NetworkMode {
  if (network === 'slirp4netns') return {kind: 'slirp4netns'}
  if (network.startsWith('slirp4netns:')) return {kind: 'slirp4netns', options: parseSlirp4netnsOptions(network.slice('slirp4netns:'.length).split(','))}
  if (network === 'pasta' || network.startsWith('pasta:')) return {kind: 'pasta', options: network === 'pasta' ? [] : network.slice('pasta:'.length).split(',').filter((o) => o !== '')}
  if (network === 'none' || network === 'host') return {kind: network}
  if (network.startsWith('ns:')) {
    const nsPath = network.slice(3)
    if (!path.isAbsolute(nsPath)) throw new UsageError(`invalid network namespace path ${JSON.stringify(nsPath)}: must be absolute`)
    return {kind: 'ns', path: nsPath}
  }
  if (network.startsWith('container:')) {
    const container = network.slice('container:'.length)
    if (container === '') throw new UsageError('invalid config provided: namespace mode container requires a value')
    return {kind: 'container', container}
  }
  if (network === 'bridge') return parseNamedNetworks('podman')
  return parseNamedNetworks(network)
}

/** The mode as inspect's NetworkMode and the container record name it: slirp4netns, pasta, host, none, ns:PATH or container:ID. */
export function networkModeName(mode: NetworkMode): string {
  if (mode.kind === 'container') return `container:${mode.container}`
  return mode.kind === 'ns' ? `ns:${mode.path}` : mode.kind
}
