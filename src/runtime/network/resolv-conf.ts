// /etc/resolv.conf for a container in its own network namespace behind slirp4netns, as Podman 4
// writes it (libpod generateResolvConf + containers/common resolvconf): slirp4netns' DNS
// forwarder first, then the host's nameservers minus the loopback ones the container cannot
// reach (and minus IPv6 ones without IPv6), then the host's search domains and options.
import * as fs from 'node:fs'

import {SLIRP4NETNS_NETWORK} from './slirp4netns-network'

/** pasta's --dns-forward address (pasta.ts passes it) */
export const PASTA_DNS_FORWARD = '169.254.1.1'

const HOST_RESOLV_CONF = '/etc/resolv.conf'
/** where the real servers are when the host's only nameserver is a local stub resolver */
const STUB_RESOLVER_FILES: Record<string, string> = {
  '127.0.0.53': '/run/systemd/resolve/resolv.conf', // systemd-resolved
  '127.0.0.1': '/run/NetworkManager/no-stub-resolv.conf', // NetworkManager's dnsmasq
}
/** what Podman falls back to when no usable nameserver is left */
const DEFAULT_IPV4_DNS = ['8.8.8.8', '8.8.4.4']
const DEFAULT_IPV6_DNS = ['2001:4860:4860::8888', '2001:4860:4860::8844']

const IPV4 = String.raw`(?:[0-9]{1,3}\.){3}[0-9]{1,3}`
const IPV6 = String.raw`(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?`
const NAMESERVER = new RegExp(String.raw`^\s*nameserver\s*(${IPV4}|${IPV6})\s*$`)
const LOOPBACK = new RegExp(String.raw`^(?:127\.(?:[0-9]{1,3}\.){2}[0-9]{1,3}|::1)$`)
const IPV6_ONLY = new RegExp(String.raw`^${IPV6}$`)

/** Lines without their comments, as containers/common reads them. */
function contentLines(text: string): string[] {
  return text.split('\n').map((line) => (line.includes('#') ? line.slice(0, line.indexOf('#')) : line))
}

function nameserversOf(text: string): string[] {
  return contentLines(text).flatMap((line) => NAMESERVER.exec(line)?.[1] ?? [])
}

/** The words of the last `keyword` line (search, options): later lines replace earlier ones. */
function lastListOf(text: string, keyword: string): string[] {
  let words: string[] = []
  for (const line of contentLines(text)) {
    const fields = line.trim().split(/\s+/)
    if (fields[0] === keyword) words = fields.slice(1)
  }
  return words
}

/**
 * The host's resolver configuration as seen for a container with its own network: /etc/resolv.conf,
 * or the real servers behind a local stub resolver (systemd-resolved, NetworkManager).
 */
export function hostResolvConf(readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): string {
  let content = ''
  try {
    content = readFile(HOST_RESOLV_CONF)
  } catch {
    return ''
  }
  const servers = nameserversOf(content)
  const stubFile = servers.length === 1 ? STUB_RESOLVER_FILES[servers[0]] : undefined
  if (stubFile) {
    try {
      return readFile(stubFile)
    } catch {
      // the detection is a guess: keep /etc/resolv.conf
    }
  }
  return content
}

/** --dns, --dns-search and --dns-option: each replaces what the host's file would give. */
export interface DnsOptions {
  dns?: string[]
  dnsSearch?: string[]
  dnsOption?: string[]
}

/** containers.conf's [containers] DNS keys (ContainersConf's) */
export interface ConfDns {
  dnsServers?: string[]
  dnsSearches?: string[]
  dnsOptions?: string[]
}

/**
 * The DNS settings a container's resolv.conf is written with: containers.conf's dns_servers,
 * dns_searches and dns_options, then its own --dns, --dns-search and --dns-option, joined as
 * Podman 4.3 joins them (generateResolvConf); a list left empty is none given (the network's
 * or the host's are used).
 */
export function withConfDns(conf: ConfDns, own: DnsOptions): DnsOptions {
  const join = (fromConf: string[] | undefined, given: string[] | undefined): string[] | undefined => {
    const all = [...(fromConf ?? []), ...(given ?? [])]
    return all.length > 0 ? all : undefined
  }
  return {dns: join(conf.dnsServers, own.dns), dnsSearch: join(conf.dnsSearches, own.dnsSearch), dnsOption: join(conf.dnsOptions, own.dnsOption)}
}

export interface ResolvConfOptions extends DnsOptions {
  /** the host's resolver configuration; default hostResolvConf() */
  hostResolvConf?: string
  /** whether the container has IPv6 (slirp4netns --enable-ipv6): keeps the host's IPv6 nameservers */
  ipv6?: boolean
}

/** containers/common's layout: search, then the nameservers, then options; a search with "." among it is none. */
function formatResolvConf(search: string[], servers: string[], opts: string[]): string {
  let out = ''
  if (search.length > 0 && !search.includes('.')) out += `search ${search.join(' ')}\n`
  for (const server of servers) out += `nameserver ${server}\n`
  if (opts.length > 0) out += `options ${opts.join(' ')}\n`
  return out
}

/** The container's /etc/resolv.conf content with slirp4netns networking. */
export function slirp4netnsResolvConf(options: ResolvConfOptions & {slirp4netnsDns?: string} = {}): string {
  const host = options.hostResolvConf ?? hostResolvConf()
  const ipv6 = options.ipv6 ?? false
  let servers = nameserversOf(host).filter((s) => !LOOPBACK.test(s) && (ipv6 || !IPV6_ONLY.test(s)))
  if (servers.length === 0) servers = ipv6 ? [...DEFAULT_IPV4_DNS, ...DEFAULT_IPV6_DNS] : DEFAULT_IPV4_DNS
  return formatResolvConf(
    options.dnsSearch ?? lastListOf(host, 'search'),
    options.dns ?? [options.slirp4netnsDns ?? SLIRP4NETNS_NETWORK.dns, ...servers],
    options.dnsOption ?? lastListOf(host, 'options'),
  )
}

/** With pasta: its DNS forwarder first, then the host's nameservers it can reach (not loopback ones). */
export function pastaResolvConf(options: ResolvConfOptions = {}): string {
  const host = options.hostResolvConf ?? hostResolvConf()
  const servers = nameserversOf(host).filter((s) => !LOOPBACK.test(s))
  return formatResolvConf(
    options.dnsSearch ?? lastListOf(host, 'search'),
    options.dns ?? [PASTA_DNS_FORWARD, ...servers],
    options.dnsOption ?? lastListOf(host, 'options'),
  )
}

/** On the host's network (or a joined one): the host's file, or with DNS options given, rebuilt from it with them. */
export function sharedNetworkResolvConf(options: ResolvConfOptions = {}): string {
  const host = options.hostResolvConf ?? hostResolvConf()
  if (!options.dns && !options.dnsSearch && !options.dnsOption) return host
  return formatResolvConf(options.dnsSearch ?? lastListOf(host, 'search'), options.dns ?? nameserversOf(host), options.dnsOption ?? lastListOf(host, 'options'))
}

/** On named networks: the DNS servers and search domains netavark gives (aardvark-dns), then the host's. */
export function bridgeResolvConf(dnsServers: string[], searchDomains: string[], options: ResolvConfOptions = {}): string {
  const host = options.hostResolvConf ?? hostResolvConf()
  const servers = nameserversOf(host).filter((s) => !LOOPBACK.test(s))
  return formatResolvConf(
    options.dnsSearch ?? [...searchDomains, ...lastListOf(host, 'search')],
    options.dns ?? [...dnsServers, ...(servers.length > 0 ? servers : DEFAULT_IPV4_DNS)],
    options.dnsOption ?? lastListOf(host, 'options'),
  )
}
