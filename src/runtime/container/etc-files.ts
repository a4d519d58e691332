// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf, as Podman 4 writes them for
// each network mode: into its userdata dir when it is created, bind-mounted read-write.
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../errors'
import {HostsEntry, containerHostsEntries, hostContainersInternalIP, hostsFile, parseHostsFile} from '../network/hosts-entries'
import {DnsOptions, sharedNetworkResolvConf, slirp4netnsResolvConf} from '../network/resolv-conf'
import {SLIRP4NETNS_NETWORK} from '../network/slirp4netns-network'
import type {OciMount} from '../oci-spec'

/** --add-host, --no-hosts and the DNS flags, as `create` and `run` take them. */
export interface EtcFileOptions extends DnsOptions {
  addHost?: string[]
  noHosts?: boolean
}

export interface EtcFiles {
  /** undefined: the image's own /etc/hosts stays (--no-hosts) */
  hosts?: string
  hostname: string
  /** undefined: the container gets no /etc/resolv.conf (--network none) */
  resolvConf?: string
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return fallback
  }
}

/**
 * The container's address for its own names: slirp4netns' 10.0.2.100, 127.0.0.1 in a network
 * namespace of its own without a network (none), none on the host's network or a joined one.
 */
function ownAddress(network: string): string | undefined {
  if (network === 'slirp4netns') return SLIRP4NETNS_NETWORK.containerIP
  return network === 'none' ? '127.0.0.1' : undefined
}

/** --add-host NAME:IP entries (split at the first colon, so the IP may be IPv6), in Podman's words when bad. */
function extraHostEntries(values: string[]): HostsEntry[] {
  return values.map((value) => {
    const colon = value.indexOf(':')
    if (colon <= 0) throw new UsageError(`bad format for add-host: ${JSON.stringify(value)}`)
    const ip = value.slice(colon + 1)
    if (net.isIP(ip) === 0) throw new UsageError(`invalid IP address in add-host: ${JSON.stringify(ip)}`)
    return {ip, names: [value.slice(0, colon)]}
  })
}

/** Podman's checks of the flags against each other and the network, before anything is written. */
export function checkEtcFileOptions(network: string, options: EtcFileOptions): void {
  if (options.noHosts && options.addHost?.length) throw new UsageError('--no-hosts and --add-host cannot be set together')
  for (const server of options.dns ?? []) if (net.isIP(server) === 0) throw new UsageError(`${server} is not an ip address`)
  if (network === 'none' && (options.dns?.length || options.dnsSearch?.length || options.dnsOption?.length))
    throw new UsageError('conflicting options: dns and the network mode: none')
  extraHostEntries(options.addHost ?? [])
}

/** The files for a container named `name` with `hostname` on `network` (create.ts's networkMode). */
export function etcFilesFor(network: string, hostname: string, name: string, options: EtcFileOptions = {}): EtcFiles {
  checkEtcFileOptions(network, options)
  // --add-host entries come first, then the host's file, as in containers/common etchosts
  const base = [...extraHostEntries(options.addHost ?? []), ...parseHostsFile(readOr('/etc/hosts', ''))]
  const hosts = options.noHosts ? undefined : hostsFile(base, containerHostsEntries(ownAddress(network), [hostname, name], hostContainersInternalIP()))
  const dns = {dns: options.dns, dnsSearch: options.dnsSearch, dnsOption: options.dnsOption}
  const resolvConf =
    network === 'slirp4netns' ? slirp4netnsResolvConf({ipv6: true, ...dns}) : network === 'none' ? undefined : sharedNetworkResolvConf(dns)
  // Podman writes the hostname without a newline
  return {hosts, hostname, resolvConf}
}

/** Podman's default hostname: the host's on the host's network, else the container ID's first 12 characters. */
export function defaultHostname(network: string, id: string): string {
  return network === 'host' ? os.hostname() : id.slice(0, 12)
}

export function writeEtcFiles(userdata: string, files: EtcFiles): OciMount[] {
  const contents: [string, string | undefined][] = [
    ['hosts', files.hosts],
    ['hostname', files.hostname],
    ['resolv.conf', files.resolvConf],
  ]
  return contents.flatMap(([name, content]) => {
    if (content === undefined) return []
    const file = path.join(userdata, name)
    fs.writeFileSync(file, content, {mode: 0o644})
    return [{destination: `/etc/${name}`, type: 'bind', source: file, options: ['rbind', 'rprivate']}]
  })
}
