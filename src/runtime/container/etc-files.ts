// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf, as Podman 4 writes them for
// each network mode: into its userdata dir when it is created, bind-mounted read-write.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {ExtraHost} from '../../specgen/container-spec'
import {HostsEntry, containerHostsEntries, hostContainersInternalIP, hostsFile, parseHostsFile} from '../network/hosts-entries'
import {DnsOptions, bridgeResolvConf, pastaResolvConf, sharedNetworkResolvConf, slirp4netnsResolvConf} from '../network/resolv-conf'
import type {NetworkStatus} from '../network/netavark/netavark'
import type {Store} from '../../storage/store/store'
import type {Container} from './config'
import {containerDirs} from './paths'
import {slirp4netnsAddresses} from '../network/slirp4netns-network'
import type {OciMount} from '../oci-spec'

/** --add-host, --no-hosts and the DNS flags, parsed (specgen/hosts.ts). */
export interface EtcFileOptions extends DnsOptions {
  extraHosts?: ExtraHost[]
  noHosts?: boolean
  /** slirp4netns' cidr= option: the network its addresses come from */
  slirp4netnsCidr?: string
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
 * The container's address for its own names: slirp4netns' 10.0.2.100, with pasta the host's
 * address that pasta copies into the container (as Podman 5 lists pasta's), 127.0.0.1 in a
 * network namespace of its own without a network (none), none on the host's network or a joined one.
 */
function ownAddress(network: string, slirp4netnsCidr: string | undefined): string | undefined {
  if (network === 'slirp4netns') return slirp4netnsAddresses(slirp4netnsCidr).containerIP
  if (network === 'pasta') return hostContainersInternalIP()
  return network === 'none' ? '127.0.0.1' : undefined
}

/** The files for a container named `name` with `hostname` on `network` (create.ts's networkMode). */
export function etcFilesFor(network: string, hostname: string, name: string, options: EtcFileOptions = {}): EtcFiles {
  // --add-host entries come first, then the host's file, as in containers/common etchosts
  const extra: HostsEntry[] = (options.extraHosts ?? []).map((h) => ({ip: h.ip, names: [h.name]}))
  const base = [...extra, ...parseHostsFile(readOr('/etc/hosts', ''))]
  const hosts = options.noHosts ? undefined : hostsFile(base, containerHostsEntries(ownAddress(network, options.slirp4netnsCidr), [hostname, name], hostContainersInternalIP()))
  const dns = {dns: options.dns, dnsSearch: options.dnsSearch, dnsOption: options.dnsOption}
  const resolvConf =
    network === 'slirp4netns'
      ? slirp4netnsResolvConf({ipv6: true, ...dns, slirp4netnsDns: slirp4netnsAddresses(options.slirp4netnsCidr).dns})
      : network === 'pasta'
        ? pastaResolvConf(dns)
        : network === 'none'
          ? undefined
          : sharedNetworkResolvConf(dns)
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

/**
 * A container that joins another's network namespace (a pod's member, --network container:X)
 * sees that container's /etc/hosts and /etc/resolv.conf, the same files, as Podman's does: the
 * pod's --add-host and --dns apply to its members. Its /etc/hostname stays its own.
 */
export function joinedEtcMounts(donorUserdata: string, noHosts: boolean): OciMount[] {
  return (noHosts ? ['resolv.conf'] : ['hosts', 'resolv.conf'])
    .map((name) => ({name, source: path.join(donorUserdata, name)}))
    .filter(({source}) => fs.existsSync(source))
    .map(({name, source}) => ({destination: `/etc/${name}`, type: 'bind', source, options: ['rbind', 'rprivate']}))
}

/** The addresses a container got on its named networks (netavark's status), IPv4 first. */
export function bridgeAddresses(status: Record<string, NetworkStatus>): string[] {
  const ips = Object.values(status).flatMap((s) => Object.values(s.interfaces ?? {}).flatMap((i) => (i.subnets ?? []).map((n) => n.ipnet.split('/')[0])))
  return [...ips.filter((ip) => !ip.includes(':')), ...ips.filter((ip) => ip.includes(':'))]
}

/** At each start on named networks: /etc/hosts with the address it got, /etc/resolv.conf with aardvark-dns first. */
export function writeBridgeEtcFiles(store: Store, container: Container, status: Record<string, NetworkStatus>): void {
  const spec = container.config.containerSpec
  const userdata = containerDirs(store, container.config.id).userdata
  const hostname = container.config.spec.hostname ?? container.config.id.slice(0, 12)
  const names = [hostname, container.config.name]
  const rewrite = (name: string, content: string): void => {
    const file = path.join(userdata, name)
    if (fs.existsSync(file)) fs.writeFileSync(file, content)
  }
  if (!spec.noHosts) {
    const extra: HostsEntry[] = (spec.extraHosts ?? []).map((h) => ({ip: h.ip, names: [h.name]}))
    const base = [...extra, ...parseHostsFile(readOr('/etc/hosts', ''))]
    rewrite('hosts', hostsFile(base, containerHostsEntries(bridgeAddresses(status)[0], names, hostContainersInternalIP())))
  }
  const servers = Object.values(status).flatMap((s) => s.dns_server_ips ?? [])
  const search = [...new Set(Object.values(status).flatMap((s) => s.dns_search_domains ?? []))]
  rewrite('resolv.conf', bridgeResolvConf(servers, search, {dns: spec.dns, dnsSearch: spec.dnsSearch, dnsOption: spec.dnsOption}))
}
