// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf, as Podman 4 writes them for
// each network mode: into its userdata dir when it is created, bind-mounted read-write, and
// written again at each start from the settings of that moment (Podman's init does the same).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {ExtraHost} from '../../specgen/container-spec'
import {readContainersConf} from '../../storage/config/containers-conf'
import {TspodError} from '../../errors'
import {HostsEntry, containerHostsEntries, hostContainersInternalIP, hostsFile, parseHostsFile} from '../network/hosts-entries'
import {DnsOptions, bridgeResolvConf, pastaResolvConf, sharedNetworkResolvConf, slirp4netnsResolvConf, withConfDns} from '../network/resolv-conf'
import type {NetworkStatus} from '../network/netavark/netavark'
import type {Store} from '../../storage/store/store'
import type {Container} from './config'
import {containerDirs} from './paths'
import {spawnInNamespaces} from '../../userns/spawn'
import {collect} from '../../storage/store/remove-tree'
import {slirp4netnsAddresses} from '../network/slirp4netns-network'
import type {OciMount} from '../oci-spec'

/** --add-host, --no-hosts and the DNS flags, parsed (specgen/hosts.ts). */
export interface EtcFileOptions extends DnsOptions {
  extraHosts?: ExtraHost[]
  noHosts?: boolean
  /** slirp4netns' cidr= option: the network its addresses come from */
  slirp4netnsCidr?: string
  /** pasta's options (--network pasta:OPTIONS): an -a/--address there is the container's address */
  pastaOptions?: string[]
  /** the image's layer dirs, top first: where base_hosts_file = "image" reads /etc/hosts */
  imageLayerDirs?: string[]
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
 * --add-host entries, then the base file containers.conf's base_hosts_file names, as in
 * containers/common etchosts: the host's /etc/hosts when unset (none when it is missing),
 * "image" the image's own, "none" no base, else that file.
 */
function baseHostsEntries(extraHosts: ExtraHost[], imageLayerDirs: string[]): HostsEntry[] {
  const extra: HostsEntry[] = extraHosts.map((h) => ({ip: h.ip, names: [h.name]}))
  const setting = readContainersConf().baseHostsFile
  let text: string
  if (setting === undefined) text = readOr('/etc/hosts', '')
  else if (setting === 'none') text = ''
  else if (setting === 'image') text = imageLayerDirs.map((d) => readOr(path.join(d, 'etc/hosts'), '\0')).find((t) => t !== '\0') ?? ''
  else {
    try {
      text = fs.readFileSync(setting, 'utf8')
    } catch (err) {
      throw new TspodError(`failed to create new hosts file: open ${setting}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, {path: setting})
    }
  }
  return [...extra, ...parseHostsFile(text)]
}

/** host.containers.internal's address: containers.conf's host_containers_internal_ip ("none": no entry), else the host's. */
function hostsInternalIP(): string | undefined {
  const setting = readContainersConf().hostContainersInternalIp
  if (setting === 'none') return undefined
  return setting ?? hostContainersInternalIP()
}

/** The address pasta gives the container: its -a/--address option, else the host's own (pasta copies it). */
function pastaAddress(options: string[]): string | undefined {
  for (let i = 0; i < options.length; i++) {
    const m = /^(?:-a|--address)(?:=(.*))?$/.exec(options[i])
    if (m) return m[1] ?? options[i + 1]
    if (options[i].startsWith('-a') && options[i].length > 2) return options[i].slice(2)
  }
  return hostContainersInternalIP()
}

/**
 * The container's address for its own names: slirp4netns' 10.0.2.100, pasta's (as Podman 5),
 * 127.0.0.1 in a network namespace of its own without a network (none), none on the host's
 * network or a joined one.
 */
function ownAddress(network: string, options: EtcFileOptions): string | undefined {
  if (network === 'slirp4netns') return slirp4netnsAddresses(options.slirp4netnsCidr).containerIP
  if (network === 'pasta') return pastaAddress(options.pastaOptions ?? [])
  return network === 'none' ? '127.0.0.1' : undefined
}

/** The files for a container named `name` with `hostname` on `network` (create.ts's networkMode). */
export function etcFilesFor(network: string, hostname: string, name: string, options: EtcFileOptions = {}): EtcFiles {
  const hosts = options.noHosts
    ? undefined
    : hostsFile(baseHostsEntries(options.extraHosts ?? [], options.imageLayerDirs ?? []), containerHostsEntries(ownAddress(network, options), [hostname, name], hostsInternalIP()))
  const dns = withConfDns(readContainersConf(), options)
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

/**
 * The files written into the userdata dir and their bind mounts; a file the user mounts
 * something of their own over (`userDestinations`) is written but not mounted, so theirs stays.
 */
export function writeEtcFiles(userdata: string, files: EtcFiles, userDestinations: ReadonlySet<string> = new Set()): OciMount[] {
  const contents: [string, string | undefined][] = [
    ['hosts', files.hosts],
    ['hostname', files.hostname],
    ['resolv.conf', files.resolvConf],
  ]
  return contents.flatMap(([name, content]) => {
    if (content === undefined) return []
    const file = path.join(userdata, name)
    fs.writeFileSync(file, content, {mode: 0o644})
    if (userDestinations.has(`/etc/${name}`)) return []
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

/**
 * Write `file` again. Under --userns=keep-id, nomap or auto it belongs to the container's root (a
 * subordinate id) and is not the user's to open: a new copy (the user's, its mode kept, readable
 * in the container as before) then replaces it in the user's userdata dir.
 */
/**
 * Write `content` over `file` unless it already holds it. A file the container's root owns under
 * a mapping where that root is not the user (keep-id and the like) is closed to the user: it is
 * replaced as root of the store's user namespace, keeping its owner and mode, so the container
 * sees the same owner as before.
 */
async function replaceFile(store: Store, file: string, content: string): Promise<void> {
  if (fs.readFileSync(file, 'utf8') === content) return
  try {
    fs.writeFileSync(file, content)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES' || !store.mapping) throw err
  }
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping: store.mapping,
    command: {file: '/bin/sh', argv: ['sh', '-c', REPLACE_KEEPING_OWNER, 'sh', path.resolve(file)], env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin!.on('error', () => undefined) // a child that died early shows in its exit status
  child.stdin!.end(content)
  child.stdout!.resume()
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== 0) throw new TspodError(`${file}: writing it as the container's root: ${(await stderr).trim().split('\n')[0] || `exit status ${exit.code}`}`)
}

const REPLACE_KEEPING_OWNER = 'cat > "$1.new" && chown --reference="$1" -- "$1.new" && chmod --reference="$1" -- "$1.new" && mv -f -- "$1.new" "$1"'

/**
 * At each start of a container off named networks that does not join another's network:
 * /etc/hosts and /etc/resolv.conf written again, as at create, from the host's files and
 * containers.conf as they are now (its --dns, --add-host and the like are kept in its spec).
 * Only the files it was given are written; a joined container's are its donor's.
 */
export async function rewriteEtcFiles(store: Store, container: Container, imageLayerDirs: string[]): Promise<void> {
  const spec = container.config.containerSpec
  if (spec.network.kind === 'bridge' || spec.network.kind === 'container') return
  const userdata = containerDirs(store, container.config.id).userdata
  const hostname = readOr(path.join(userdata, 'hostname'), container.config.spec.hostname ?? defaultHostname(container.config.network, container.config.id))
  const files = etcFilesFor(container.config.network, hostname, container.config.name, {
    ...spec,
    slirp4netnsCidr: spec.network.kind === 'slirp4netns' ? spec.network.options?.cidr : undefined,
    pastaOptions: spec.network.kind === 'pasta' ? spec.network.options : undefined,
    imageLayerDirs,
  })
  for (const [name, content] of [['hosts', files.hosts], ['resolv.conf', files.resolvConf]] as const) {
    const file = path.join(userdata, name)
    if (content !== undefined && fs.existsSync(file)) await replaceFile(store, file, content)
  }
}

/** At each start on named networks: /etc/hosts with the address it got, /etc/resolv.conf with aardvark-dns first. */
export async function writeBridgeEtcFiles(store: Store, container: Container, status: Record<string, NetworkStatus>, imageLayerDirs: string[] = []): Promise<void> {
  const spec = container.config.containerSpec
  const userdata = containerDirs(store, container.config.id).userdata
  const hostname = container.config.spec.hostname ?? container.config.id.slice(0, 12)
  const names = [hostname, container.config.name]
  const rewrite = async (name: string, content: string): Promise<void> => {
    const file = path.join(userdata, name)
    if (fs.existsSync(file)) await replaceFile(store, file, content)
  }
  if (!spec.noHosts) {
    await rewrite('hosts', hostsFile(baseHostsEntries(spec.extraHosts ?? [], imageLayerDirs), containerHostsEntries(bridgeAddresses(status), names, hostsInternalIP())))
  }
  const servers = Object.values(status).flatMap((s) => s.dns_server_ips ?? [])
  const search = [...new Set(Object.values(status).flatMap((s) => s.dns_search_domains ?? []))]
  await rewrite('resolv.conf', bridgeResolvConf(servers, search, withConfDns(readContainersConf(), spec)))
}
