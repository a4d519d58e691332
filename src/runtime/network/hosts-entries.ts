// The /etc/hosts entries a container behind slirp4netns gets from Podman 4 (containers/common
// etchosts): its own names on 10.0.2.100, and host.containers.internal on the host's first
// global unicast address (IPv4 preferred). Not on slirp4netns' 10.0.2.2: with
// --disable-host-loopback (the default) that address refuses every connection, while the
// host's own address is reached through slirp4netns' NAT like any other.
import * as os from 'node:os'

import {SLIRP4NETNS_NETWORK} from './slirp4netns-network'

export interface HostsEntry {
  ip: string
  names: string[]
}

export const HOST_CONTAINERS_INTERNAL = 'host.containers.internal'

function isGlobalUnicast(address: string, family: string): boolean {
  if (family === 'IPv4') {
    const [a, b] = address.split('.').map(Number)
    // not 0.0.0.0/8, loopback, link-local, multicast or broadcast (Go's IP.IsGlobalUnicast)
    return a !== 0 && a !== 127 && !(a === 169 && b === 254) && a < 224
  }
  const lower = address.toLowerCase()
  return lower !== '::' && lower !== '::1' && !/^fe[89ab]/.test(lower) && !lower.startsWith('ff')
}

/** The address host.containers.internal stands for, or undefined when the host has none to offer. */
export function hostContainersInternalIP(interfaces = os.networkInterfaces()): string | undefined {
  let ipv6: string | undefined
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (a.internal || !isGlobalUnicast(a.address, String(a.family))) continue
      if (String(a.family) === 'IPv4') return a.address
      ipv6 ??= a.address
    }
  }
  return ipv6
}

/**
 * The entries to add to the container's /etc/hosts (after the base file and localhost ones):
 * host.containers.internal on `hostIP` (normally hostContainersInternalIP(); none when
 * undefined), then the container's own names (Podman: its hostname and its name) on 10.0.2.100.
 */
export function slirp4netnsHostsEntries(names: string[], hostIP: string | undefined): HostsEntry[] {
  const entries: HostsEntry[] = []
  if (hostIP) entries.push({ip: hostIP, names: [HOST_CONTAINERS_INTERNAL]})
  if (names.length > 0) entries.push({ip: SLIRP4NETNS_NETWORK.containerIP, names})
  return entries
}

/** hosts(5) lines, as Podman writes them (a tab between the address and the names). */
export function formatHostsEntries(entries: HostsEntry[]): string {
  return entries.map((e) => `${e.ip}\t${e.names.join(' ')}\n`).join('')
}
