// -p/--publish as Podman reads it: `[[ip:][hostPort]:]containerPort[/protocol]`, where either
// port may be a range `start-end` (8080-8081:80-81), an IPv6 host address goes in brackets
// ([::1]:8080:80) and the protocol is tcp (the default), udp or sctp. A host port left out
// (`80`, `:80`, `127.0.0.1::80`) is 0 here: a free port is picked when the container starts
// (see host-ports.ts), as Podman does.
//
// The mappings come out as Podman stores them: 0.0.0.0 as '' (all addresses), one protocol per
// mapping, duplicates dropped, adjoining ranges merged, in a stable order (by host IP and
// protocol in the order given, then by host port, picked ports last). Messages are Podman's
// (pkg/specgenutil CreatePortBindings, pkg/specgen/generate ParsePortMapping).
import {UsageError} from '../../errors'
import {goAtoi, goQuote} from './go-text'
import {parseIp} from './ip-address'
import {splitStringSliceFlag} from './string-slice-flag'

export type PortProtocol = 'tcp' | 'udp' | 'sctp'

/** Ports published from the host to the container: `range` consecutive ports from each start. */
export interface PortMapping {
  /** '' for every host address (what 0.0.0.0 or no IP means); else Go's canonical text of the IP */
  hostIP: string
  /** the first host port; 0 until a free one is picked for the container (resolveHostPorts) */
  hostPort: number
  /** the first container port */
  containerPort: number
  protocol: PortProtocol
  /** how many consecutive ports, at least 1 */
  range: number
}

/** One `-p` value as written, before protocols are split and mappings merged. */
interface RequestedPort {
  hostIP: string
  hostPort: number
  containerPort: number
  range: number
  /** as written after the slash ('' when there was none): one protocol or a comma list */
  protocol: string
}

const PROTOCOLS: PortProtocol[] = ['tcp', 'udp', 'sctp']

function fail(message: string): never {
  throw new UsageError(message)
}

function parsePort(text: string): number {
  let value: bigint
  try {
    value = goAtoi(text)
  } catch (err) {
    fail(`invalid port number: ${(err as Error).message}`)
  }
  if (value < 1n || value > 65535n) fail(`port numbers must be between 1 and 65535 (inclusive), got ${value}`)
  return Number(value)
}

/** `start` or `start-end`: the first port and how many. */
function parseRange(text: string): {start: number; length: number} {
  const parts = text.split('-')
  if (parts.length > 2) fail('invalid port format - port ranges are formatted as startPort-stopPort')
  if (parts[0] === '') fail('port numbers cannot be negative')
  const start = parsePort(parts[0])
  if (parts.length === 1) return {start, length: 1}
  if (parts[1] === '') fail('must provide ending number for port range')
  const end = parsePort(parts[1])
  if (end <= start) fail(`the end port of a range must be higher than the start port - ${end} is not higher than ${start}`)
  return {start, length: end - start + 1}
}

function withContext<T>(context: string, parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    throw new UsageError(`${context}: ${(err as Error).message}`)
  }
}

function parseParts(hostIP: string | undefined, hostPort: string | undefined, containerPort: string, protocol: string | undefined): RequestedPort {
  if (containerPort === '') fail('must provide a non-empty container port to publish')
  const container = withContext('parsing container port', () => parseRange(containerPort))
  if (protocol === '') fail('must provide a non-empty protocol to publish')
  let ip = ''
  if (hostIP !== undefined) {
    if (hostIP === '') fail('must provide a non-empty container host IP to publish')
    if (hostIP !== '0.0.0.0') {
      const parsed = parseIp(hostIP)
      if (!parsed) fail(`cannot parse ${goQuote(hostIP)} as an IP address`)
      ip = parsed.text
    }
  }
  let host = 0
  if (hostPort !== undefined && hostPort !== '') {
    const range = withContext('parsing host port', () => parseRange(hostPort))
    if (range.length !== container.length)
      fail(`host and container port ranges have different lengths: ${range.length} vs ${container.length}`)
    host = range.start
  }
  return {hostIP: ip, hostPort: host, containerPort: container.start, range: container.length, protocol: protocol ?? ''}
}

/** One value of -p, already split at its commas. */
function parseSpec(spec: string): RequestedPort {
  const slash = spec.split('/')
  if (slash.length > 2) fail('invalid port format - protocol can only be specified once')
  const protocol = slash.length === 2 ? slash[1] : undefined
  let remainder = slash[0]
  let hostIP: string | undefined
  const bracket = remainder.split(']')
  if (bracket.length > 2) fail('invalid port format - at most one IPv6 address can be specified in a --publish')
  const haveV6 = bracket.length === 2
  if (haveV6) {
    if (!bracket[0].startsWith('[')) fail('invalid port format - IPv6 addresses must be enclosed by []')
    if (!bracket[1].startsWith(':')) fail("invalid port format - IPv6 address must be followed by a colon (':')")
    hostIP = bracket[0].slice(1)
    remainder = bracket[1].slice(1)
  }
  const parts = remainder.split(':')
  switch (parts.length) {
    case 1:
      if (haveV6) fail('invalid port format - must provide host and destination port if specifying an IP')
      return parseParts(hostIP, undefined, parts[0], protocol)
    case 2:
      return parseParts(hostIP, parts[0], parts[1], protocol)
    case 3:
      if (haveV6) fail('invalid port format - when v6 address specified, must be [ipv6]:hostPort:ctrPort')
      return parseParts(parts[0], parts[1], parts[2], protocol)
    default:
      fail('invalid port format - format is [[hostIP:]hostPort:]containerPort')
  }
}

/** A protocol field: one name or a comma list, any case; an empty name is tcp. */
function protocolsOf(text: string): PortProtocol[] {
  const found = new Set<PortProtocol>()
  for (const name of text.split(',').map((p) => p.toLowerCase())) {
    if (name === '') found.add('tcp')
    else if ((PROTOCOLS as string[]).includes(name)) found.add(name as PortProtocol)
    else fail(`unrecognized protocol ${goQuote(name)} in port mapping`)
  }
  return PROTOCOLS.filter((p) => found.has(p))
}

/**
 * Mappings of one host IP and protocol with fixed host ports, sorted by host port: the same
 * shift from host to container port over touching ranges makes one range; a host port given
 * two different container ports is refused (Podman lets exactly equal start ports through
 * and fails later at bind time; refusing it here names the port instead).
 */
function mergeFixed(sorted: PortMapping[]): PortMapping[] {
  const out: PortMapping[] = []
  let previous: PortMapping | undefined
  for (const port of sorted) {
    if (previous && previous.hostPort + previous.range >= port.hostPort) {
      const shift = port.hostPort - previous.hostPort
      if (shift === port.containerPort - previous.containerPort) {
        previous.range = Math.max(previous.range, port.range + shift)
        continue
      }
      if (previous.hostPort + previous.range - 1 >= port.hostPort)
        fail(`conflicting port mappings for host port ${port.hostPort} (protocol ${port.protocol})`)
    }
    if (previous) out.push(previous)
    previous = {...port}
  }
  if (previous) out.push(previous)
  return out
}

/** Mappings waiting for a picked host port, sorted by container port: overlapping ones are one. */
function mergePicked(sorted: PortMapping[]): PortMapping[] {
  const out: PortMapping[] = []
  let previous: PortMapping | undefined
  for (const port of sorted) {
    if (previous && previous.containerPort + previous.range > port.containerPort) {
      previous.range = Math.max(previous.range, port.containerPort - previous.containerPort + port.range)
      continue
    }
    if (previous) out.push(previous)
    previous = {...port}
  }
  if (previous) out.push(previous)
  return out
}

function normalize(requested: RequestedPort[]): PortMapping[] {
  const groups = new Map<string, PortMapping[]>()
  for (const r of requested) {
    for (const protocol of protocolsOf(r.protocol)) {
      const key = `${r.hostIP}/${protocol}`
      const group = groups.get(key) ?? []
      group.push({hostIP: r.hostIP, hostPort: r.hostPort, containerPort: r.containerPort, protocol, range: r.range})
      groups.set(key, group)
    }
  }
  const out: PortMapping[] = []
  for (const group of groups.values()) {
    const fixed = group.filter((p) => p.hostPort !== 0).sort((a, b) => a.hostPort - b.hostPort || a.containerPort - b.containerPort)
    const picked = group.filter((p) => p.hostPort === 0).sort((a, b) => a.containerPort - b.containerPort)
    out.push(...mergeFixed(fixed), ...mergePicked(picked))
  }
  return out
}

/**
 * The port mappings of the values of every -p/--publish given, in order (each value may hold
 * several, comma-separated, as Podman's string-slice flag reads it). Throws a UsageError with
 * Podman's message for a malformed one.
 */
export function parsePublish(values: string[]): PortMapping[] {
  const requested = values.flatMap((value) => splitStringSliceFlag(value, '-p, --publish')).map(parseSpec)
  return normalize(requested)
}

/** `8080-8081:80-81/tcp` style text of a mapping, with its host IP when it has one. */
export function formatPortMapping(port: PortMapping): string {
  const span = (start: number): string => (port.range > 1 ? `${start}-${start + port.range - 1}` : `${start}`)
  const ip = port.hostIP === '' ? '' : port.hostIP.includes(':') ? `[${port.hostIP}]:` : `${port.hostIP}:`
  const host = port.hostPort === 0 ? '' : span(port.hostPort)
  return `${ip}${host}:${span(port.containerPort)}/${port.protocol}`
}
