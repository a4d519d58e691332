// containers.conf (containers/common pkg/config), the keys tspod uses. Podman 4.3 reads, each one
// over the last: /usr/share/containers/containers.conf, /etc/containers/containers.conf, the
// *.conf files of /etc/containers/containers.conf.d (sorted), then, rootless,
// $XDG_CONFIG_HOME/containers/containers.conf (else ~/.config/...) and its .d dir. $CONTAINERS_CONF,
// when set, is the only file read.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {Table, readToml} from './storage-conf'

interface Env {
  [key: string]: string | undefined
}

export interface ContainersConf {
  /** the files read, in order */
  files: string[]
  /** [containers] log_size_max: bytes, -1 (the default) for no limit */
  logSizeMax: number
  /** [containers] seccomp_profile: a profile path, or "unconfined"; absent: the default */
  seccompProfile?: string
  /** [containers] userns: the --userns default (e.g. "auto"); absent: host */
  userns?: string
  /** [engine] image_volume_mode: what becomes of an image's VOLUMEs (bind, tmpfs, ignore); absent: bind */
  imageVolumeMode?: ImageVolumeMode
  /** [engine] registry_idle_timeout (tspod's own key; Podman ignores it): a Go duration, and the file that set it */
  registryIdleTimeout?: {text: string; file: string}
  /** [engine] events_logger, events_logfile_path, events_logfile_max_size (bytes; 0: no limit), when set */
  eventsLogger?: string
  eventsLogFilePath?: string
  eventsLogFileMaxSize?: number
  /** [network] default_rootless_network_cmd, and the file that set it; absent: pasta when it works, else slirp4netns */
  defaultRootlessNetworkCmd?: {cmd: 'slirp4netns' | 'pasta'; file: string}
  /** [engine] infra_image: the pods' infra image; absent: the locally built pause image */
  infraImage?: string
  /** [engine] runtime: the OCI runtime of new containers and RUN steps when --runtime is not given (a name or a path) */
  runtime?: string
  /** [engine.runtimes]: for a runtime's name, the paths tried before PATH */
  runtimePaths?: Record<string, string[]>
  /** [containers] http_proxy: the --http-proxy default; absent: true */
  httpProxy?: boolean
  /** [containers] base_hosts_file: the file /etc/hosts starts from; absent: the host's /etc/hosts ("image": the image's, "none": none) */
  baseHostsFile?: string
  /** [containers] host_containers_internal_ip: the address of host.containers.internal; absent: the host's */
  hostContainersInternalIp?: string
  /** [containers] dns_servers, dns_searches, dns_options: before each container's --dns, --dns-search, --dns-option in its resolv.conf; absent when empty */
  dnsServers?: string[]
  dnsSearches?: string[]
  dnsOptions?: string[]
  /** [containers] default_mounts_file: the only mounts.conf read (as --default-mounts-file); absent when empty */
  defaultMountsFile?: string
  /** [containers] default_sysctls: KEY=VALUE items set in each container that owns the namespace; absent: containers/common's default */
  defaultSysctls?: string[]
  /** [engine] detach_keys: the --detach-keys default ("" disables detaching); absent: ctrl-p,ctrl-q */
  detachKeys?: string
}

export const IMAGE_VOLUME_MODES = ['bind', 'tmpfs', 'ignore'] as const
export type ImageVolumeMode = (typeof IMAGE_VOLUME_MODES)[number]

/** containers/common's ValidateImageVolumeMode, in its words. */
export function imageVolumeModeError(mode: string): string | undefined {
  if ((IMAGE_VOLUME_MODES as readonly string[]).includes(mode)) return undefined
  return `invalid image volume mode ${JSON.stringify(mode)} required value: ${IMAGE_VOLUME_MODES.join(', ')}`
}

/** containers/common's default for seccomp_profile. */
export const DEFAULT_SECCOMP_PROFILE = '/usr/share/containers/seccomp.json'

export const DEFAULT_CONTAINERS_CONF = '/usr/share/containers/containers.conf'
export const OVERRIDE_CONTAINERS_CONF = '/etc/containers/containers.conf'
/** containers/common OCIBufSize: a limit below one read of the container's output is refused. */
const MIN_LOG_SIZE_MAX = 8192

function exists(file: string): boolean {
  return fs.existsSync(file)
}

/** The *.conf files of a .d dir, sorted; none when it does not exist. */
function dropIns(dir: string): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return []
    throw new TspodError(`reading ${dir}: ${(err as Error).message}`, {path: dir, cause: err})
  }
  return names
    .filter((n) => n.endsWith('.conf'))
    .sort()
    .map((n) => path.join(dir, n))
    .filter((f) => !fs.statSync(f).isDirectory())
}

export function containersConfFiles(env: Env = process.env, uid: number = process.getuid!()): string[] {
  const only = env.CONTAINERS_CONF
  if (only) {
    if (!exists(only)) throw new TspodError(`finding config on system: CONTAINERS_CONF file: stat ${only}: no such file or directory`, {path: only})
    return [only]
  }
  const files = [DEFAULT_CONTAINERS_CONF, OVERRIDE_CONTAINERS_CONF].filter(exists)
  files.push(...dropIns(`${OVERRIDE_CONTAINERS_CONF}.d`))
  if (uid !== 0) {
    const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.userInfo().homedir, '.config')
    const user = path.join(configHome, 'containers', 'containers.conf')
    if (exists(user)) files.push(user)
    files.push(...dropIns(`${user}.d`))
  }
  return files
}

function integerKey(t: Table | undefined, key: string, file: string): number | undefined {
  const value = t?.[key]
  if (value === undefined) return undefined
  const n = typeof value === 'bigint' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new TspodError(`reading system config "${file}": ${key} must be an integer, not ${JSON.stringify(String(value))}`, {path: file})
  return n
}

/** The keys tspod reads. A file that sets none of them is not parsed (Debian's shipped one sets nothing): no TOML parser loaded for it. */
const KNOWN_KEY = /^\s*(default_rootless_network_cmd|log_size_max|seccomp_profile|registry_idle_timeout|events_logger|events_logfile_path|events_logfile_max_size|image_volume_mode|userns|infra_image|runtime|http_proxy|base_hosts_file|host_containers_internal_ip|dns_servers|dns_searches|dns_options|default_mounts_file|default_sysctls|detach_keys)\s*=/m
/** an [engine.runtimes] table with at least one entry not commented out */
const RUNTIMES_TABLE = /^\s*\[engine\.runtimes\][^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*[\w"-]+\s*=/m

function setsKnownKey(file: string): boolean {
  try {
    const text = fs.readFileSync(file, 'utf8')
    return KNOWN_KEY.test(text) || RUNTIMES_TABLE.test(text)
  } catch {
    return true // readToml says why
  }
}

function booleanKey(t: Table | undefined, key: string, file: string): boolean | undefined {
  const value = t?.[key]
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw new TspodError(`reading system config "${file}": ${key} must be true or false`, {path: file})
  return value
}

function stringListKey(t: Table | undefined, key: string, file: string): string[] | undefined {
  const value = t?.[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new TspodError(`reading system config "${file}": ${key} must be a list of strings`, {path: file})
  return value as string[]
}

function stringKey(t: Table | undefined, key: string, file: string): string | undefined {
  const value = t?.[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TspodError(`reading system config "${file}": ${key} must be a string`, {path: file})
  return value
}

export function loadContainersConf(env: Env = process.env, uid: number = process.getuid!()): ContainersConf {
  return readContainersConf(containersConfFiles(env, uid))
}

/** files, each one over the last (a missing one is skipped). */
export function readContainersConf(files: string[] = containersConfFiles()): ContainersConf {
  let seccompProfile: string | undefined
  let logSizeMax = -1
  let logSizeFile: string | undefined
  let registryIdleTimeout: ContainersConf['registryIdleTimeout']
  const events: Pick<ContainersConf, 'eventsLogger' | 'eventsLogFilePath' | 'eventsLogFileMaxSize'> = {}
  let imageVolumeMode: ImageVolumeMode | undefined
  let userns: string | undefined
  let rootlessNetworkCmd: ContainersConf['defaultRootlessNetworkCmd']
  let infraImage: string | undefined
  let defaultMountsFile: string | undefined
  let runtime: string | undefined
  let detachKeys: string | undefined
  const runtimePaths: Record<string, string[]> = {}
  const hosts: Pick<ContainersConf, 'httpProxy' | 'baseHostsFile' | 'hostContainersInternalIp'> = {}
  const dns: Pick<ContainersConf, 'dnsServers' | 'dnsSearches' | 'dnsOptions'> = {}
  let defaultSysctls: string[] | undefined
  for (const file of files) {
    if (!setsKnownKey(file)) continue
    const doc = readToml(file)
    const table = tableOf(doc?.containers)
    const size = integerKey(table, 'log_size_max', file)
    if (size !== undefined) [logSizeMax, logSizeFile] = [size, file]
    seccompProfile = stringKey(table, 'seccomp_profile', file) ?? seccompProfile
    userns = stringKey(table, 'userns', file) ?? userns
    hosts.httpProxy = booleanKey(table, 'http_proxy', file) ?? hosts.httpProxy
    hosts.baseHostsFile = stringKey(table, 'base_hosts_file', file) ?? hosts.baseHostsFile
    hosts.hostContainersInternalIp = stringKey(table, 'host_containers_internal_ip', file) ?? hosts.hostContainersInternalIp
    dns.dnsServers = stringListKey(table, 'dns_servers', file) ?? dns.dnsServers
    dns.dnsSearches = stringListKey(table, 'dns_searches', file) ?? dns.dnsSearches
    dns.dnsOptions = stringListKey(table, 'dns_options', file) ?? dns.dnsOptions
    defaultMountsFile = stringKey(table, 'default_mounts_file', file) ?? defaultMountsFile
    defaultSysctls = stringListKey(table, 'default_sysctls', file) ?? defaultSysctls
    const idle = stringKey(tableOf(doc?.engine), 'registry_idle_timeout', file)
    if (idle !== undefined) registryIdleTimeout = {text: idle, file}
    const engine = tableOf(doc?.engine)
    events.eventsLogger = stringKey(engine, 'events_logger', file) ?? events.eventsLogger
    events.eventsLogFilePath = stringKey(engine, 'events_logfile_path', file) ?? events.eventsLogFilePath
    events.eventsLogFileMaxSize = eventsLogMaxSize(engine, file) ?? events.eventsLogFileMaxSize
    const cmd = stringKey(tableOf(doc?.network), 'default_rootless_network_cmd', file)
    if (cmd !== undefined) {
      if (cmd !== 'slirp4netns' && cmd !== 'pasta') throw new TspodError(`validating network configs: invalid default_rootless_network_cmd option "${cmd}" (in ${file}): must be "slirp4netns" or "pasta"`, {path: file})
      rootlessNetworkCmd = {cmd, file}
    }
    infraImage = stringKey(engine, 'infra_image', file) ?? infraImage
    runtime = stringKey(engine, 'runtime', file) ?? runtime
    detachKeys = stringKey(engine, 'detach_keys', file) ?? detachKeys
    Object.assign(runtimePaths, runtimesTable(tableOf(engine?.runtimes), file))
    const mode = stringKey(tableOf(doc?.engine), 'image_volume_mode', file)
    if (mode !== undefined) {
      const bad = imageVolumeModeError(mode)
      if (bad) throw new TspodError(`validating engine configs: ${bad} (in ${file})`, {path: file})
      imageVolumeMode = mode as ImageVolumeMode
    }
  }
  if (logSizeMax >= 0 && logSizeMax < MIN_LOG_SIZE_MAX)
    throw new TspodError(`validating containers config: log size max should be negative or >= ${MIN_LOG_SIZE_MAX} (log_size_max = ${logSizeMax} in ${logSizeFile})`, {
      path: logSizeFile,
    })
  const conf: ContainersConf = {files, logSizeMax}
  if (seccompProfile !== undefined) conf.seccompProfile = seccompProfile
  if (registryIdleTimeout !== undefined) conf.registryIdleTimeout = registryIdleTimeout
  for (const [k, v] of Object.entries(events)) if (v !== undefined) Object.assign(conf, {[k]: v})
  if (imageVolumeMode !== undefined) conf.imageVolumeMode = imageVolumeMode
  if (userns !== undefined && userns !== '') conf.userns = userns
  if (rootlessNetworkCmd !== undefined) conf.defaultRootlessNetworkCmd = rootlessNetworkCmd
  if (infraImage !== undefined && infraImage !== '') conf.infraImage = infraImage
  if (runtime !== undefined && runtime !== '') conf.runtime = runtime
  if (defaultMountsFile) conf.defaultMountsFile = defaultMountsFile
  if (detachKeys !== undefined) conf.detachKeys = detachKeys
  if (Object.keys(runtimePaths).length > 0) conf.runtimePaths = runtimePaths
  if (hosts.httpProxy !== undefined) conf.httpProxy = hosts.httpProxy
  if (hosts.baseHostsFile) conf.baseHostsFile = hosts.baseHostsFile
  if (hosts.hostContainersInternalIp) conf.hostContainersInternalIp = hosts.hostContainersInternalIp
  for (const [k, v] of Object.entries(dns)) if (v !== undefined && v.length > 0) Object.assign(conf, {[k]: v})
  // an empty list is kept: it turns the default off
  if (defaultSysctls !== undefined) conf.defaultSysctls = defaultSysctls
  return conf
}

/** [engine.runtimes]: each key a runtime's name, its value the list of paths where it may be. */
function runtimesTable(t: Table | undefined, file: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(t ?? {})) {
    if (!Array.isArray(value) || !value.every((p) => typeof p === 'string'))
      throw new TspodError(`reading system config "${file}": [engine.runtimes] ${name} must be a list of paths, as ${name} = ["/usr/bin/${name}"]`, {path: file})
    paths[name] = value as string[]
  }
  return paths
}

const SIZE_UNITS: Record<string, number> = {'': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15}

/** events_logfile_max_size: bytes, or a size with a unit as go-units FromHumanSize reads it ("1m", "3g", "10kB"). */
function eventsLogMaxSize(t: Table | undefined, file: string): number | undefined {
  const value = t?.events_logfile_max_size
  if (value === undefined) return undefined
  const text = String(value).trim()
  if (text === '') return undefined
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP]?)[iI]?[bB]?$/.exec(text)
  if (!m) throw new TspodError(`reading system config "${file}": events_logfile_max_size: invalid size: '${text}'`, {path: file})
  return Math.trunc(Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()])
}

function tableOf(value: unknown): Table | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : undefined
}
