// The container's /etc/hosts as Podman 4 writes it (containers/common etchosts): the host's
// /etc/hosts as the base, then localhost, host.containers.internal on the host's first global
// unicast address (IPv4 preferred) and the container's own names on its address, each with only
// the names the base does not have yet. host.containers.internal is not slirp4netns' 10.0.2.2:
// with --disable-host-loopback (the default) that address refuses every connection, while the
// host's own address is reached through slirp4netns' NAT like any other.
import * as os from 'node:os'

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
 * The entries Podman adds after the base file: localhost on 127.0.0.1 and ::1,
 * host.containers.internal on `hostIP` (none when undefined), and the container's `names` on
 * each of its own addresses (one a named network; none on the host's network or a joined one).
 */
export function containerHostsEntries(ownAddresses: string | string[] | undefined, names: string[], hostIP: string | undefined): HostsEntry[] {
  const entries: HostsEntry[] = [
    {ip: '127.0.0.1', names: ['localhost']},
    {ip: '::1', names: ['localhost']},
  ]
  if (hostIP) entries.push({ip: hostIP, names: [HOST_CONTAINERS_INTERNAL]})
  if (names.length > 0) for (const ip of [ownAddresses ?? []].flat()) entries.push({ip, names})
  return entries
}

/** The entries of a hosts(5) file: comments and lines without names dropped. */
export function parseHostsFile(text: string): HostsEntry[] {
  return text.split('\n').flatMap((line) => {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean)
    return fields.length < 2 ? [] : [{ip: fields[0], names: fields.slice(1)}]
  })
}

/** The base entries, then each of `entries` with only the names the file does not have yet. */
export function hostsFile(base: HostsEntry[], entries: HostsEntry[]): string {
  const taken = new Set(base.flatMap((e) => e.names))
  const added = entries.map((e) => ({ip: e.ip, names: e.names.filter((n) => !taken.has(n))})).filter((e) => e.names.length > 0)
  return formatHostsEntries([...base, ...added])
}

/** hosts(5) lines, as Podman writes them (a tab between the address and the names). */
export function formatHostsEntries(entries: HostsEntry[]): string {
  return entries.map((e) => `${e.ip}\t${e.names.join(' ')}\n`).join('')
}

/**
 * `text` with each of `entries` appended, with only the names it does not have yet (etchosts
 * Add: containers joining another's network add themselves to its hosts file).
 */
export function withHostsEntries(text: string, entries: HostsEntry[]): string {
  const taken = new Set(parseHostsFile(text).flatMap((e) => e.names))
  const added = entries.map((e) => ({ip: e.ip, names: e.names.filter((n) => !taken.has(n))})).filter((e) => e.names.length > 0)
  return text + formatHostsEntries(added)
}

/** `text` without the entries on the address of one of `entries` that share a name with it (etchosts Remove), reformatted. */
export function withoutHostsEntries(text: string, entries: HostsEntry[]): string {
  const matches = (e: HostsEntry) => entries.some((r) => r.ip === e.ip && e.names.some((n) => r.names.includes(n)))
  return formatHostsEntries(parseHostsFile(text).filter((e) => !matches(e)))
}
