// `tspod info`: the host and store facts, in Podman's shape: its sections (host, store,
// registries, plugins, version), keys and types, so Go templates written for Podman such as
// {{.Host.Kernel}} or {{.Store.GraphRoot}} work. Where tspod's parts differ from Podman's (its
// monitor in conmon's place, its native runtime, its builder) the value says which part it is.
// tspod's own facts (the rootless user, its subordinate ids and tools, the overlay probe) are
// kept beside Podman's keys.
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainerRecords} from '../runtime/container/records'
import {findInPath} from '../runtime/executables'
import {NETWORK_DRIVERS} from '../runtime/network/netavark/create'
import {findPasta, rootlessNetworkDefault} from '../runtime/network/pasta'
import {chosenRuntime, identifyOciRuntime} from '../runtime/oci-runtime/resolve'
import {maxUserNamespaces, readCgroupInfo, readDistribution} from '../runtime/host'
import {goArchitecture} from '../storage/image/manifest/platform'
import {StorageConfig, configFilePath, ignoreChownErrors} from '../storage/config/storage-conf'
import {loadContainersConf} from '../storage/config/containers-conf'
import {RegistriesConfig} from '../storage/image/config/registries-conf'
import {configuredProfile} from '../runtime/seccomp/container-profile'
import {DEFAULT_CAPABILITIES} from '../runtime/spec/defaults'
import {MONITOR_BINARY} from '../runtime/container/detach'
import {OverlayProbeResult, probeNativeOverlay} from '../storage/store/driver/overlay-probe'
import {Store} from '../storage/store/store'
import {IdMapping, MappingTool, findMappingTool, planUserNamespaceMapping} from '../userns/idmap'
import {PACKAGE_ROOT, VERSION} from '../package-info'
import {HostUser, currentUser} from '../userns/user'


interface PodmanIdMap {
  container_id: number
  host_id: number
  size: number
}

function podmanIdMap(map: IdMapping[]): PodmanIdMap[] {
  return map.map((m) => ({container_id: m.containerID, host_id: m.hostID, size: m.size}))
}

function toolInfo(tool: MappingTool) {
  return {path: tool.path ?? '', setuid: tool.setuid, fileCapabilities: tool.fileCaps}
}

export interface Info {
  host: Record<string, unknown>
  store: Record<string, unknown>
  registries: Record<string, unknown>
  plugins: Record<string, unknown>
  version: Record<string, unknown>
}

/**
 * The buildah release whose Containerfile behaviour tspod's own builder follows (the one Podman
 * 4.3.1 is built with), tagged with tspod's version: tspod has no buildah library.
 */
const BUILDAH_COMPATIBLE = '1.28.2'

/** Podman's form of the time since boot: "3h 14m 0.00s (Approximately 0.12 days)". */
export function podmanUptime(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return `${h}h ${m}m ${s.toFixed(2)}s (Approximately ${(seconds / 86400).toFixed(2)} days)`
}

/** CPU time since boot by kind, in percent (/proc/stat's first line, as Podman reads it). */
function cpuUtilization(): {userPercent: number; systemPercent: number; idlePercent: number} {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
    const total = fields.reduce((a, b) => a + b, 0)
    const pct = (n: number) => Math.round((n / total) * 10000) / 100
    return {userPercent: pct(fields[0] + fields[1]), systemPercent: pct(fields[2]), idlePercent: pct(fields[3])}
  } catch {
    return {userPercent: 0, systemPercent: 0, idlePercent: 0}
  }
}

function meminfo(key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/meminfo', 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** The distribution package that installed `file`, as Podman names it: name_version_arch ('' when none). */
function packageOf(file: string): string {
  try {
    const owner = execFileSync('dpkg-query', ['-S', file], {encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore']})
    const name = owner.split(':')[0].trim()
    return execFileSync('dpkg-query', ['-W', '-f', '${Package}_${Version}_${Architecture}', name], {encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return ''
  }
}

function securitySection(rootless: boolean) {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8').trim()
    } catch {
      return ''
    }
  }
  return {
    apparmorEnabled: read('/sys/module/apparmor/parameters/enabled') === 'Y',
    capabilities: DEFAULT_CAPABILITIES.join(','),
    rootless,
    seccompEnabled: true,
    seccompProfilePath: configuredProfile(loadContainersConf()) ?? '',
    selinuxEnabled: fs.existsSync('/sys/fs/selinux/enforce'),
  }
}

function hostSection(user: HostUser) {
  const mapping = planUserNamespaceMapping(user)
  const cgroup = readCgroupInfo()
  const rangesOf = (map: IdMapping[]) => map.slice(1).map((m) => ({start: m.hostID, count: m.size}))
  return {
    mapping,
    section: {
      arch: goArchitecture(),
      os: 'linux',
      kernel: os.release(),
      hostname: os.hostname(),
      distribution: readDistribution(),
      buildahVersion: `${BUILDAH_COMPATIBLE}-tspod${VERSION}`,
      cgroupManager: 'cgroupfs',
      cgroupVersion: cgroup.version,
      cgroupControllers: cgroup.controllers,
      conmon: {
        package: `tspod-monitor_${VERSION} (tspod's conmon)`,
        path: MONITOR_BINARY,
        version: `tspod-monitor version ${VERSION}, in conmon's role`,
      },
      cpus: os.cpus().length,
      cpuUtilization: cpuUtilization(),
      eventLogger: 'file',
      linkmode: 'dynamic',
      logDriver: 'k8s-file',
      memFree: os.freemem(),
      memTotal: os.totalmem(),
      security: securitySection(user.uid !== 0),
      serviceIsRemote: false,
      swapFree: meminfo('SwapFree'),
      swapTotal: meminfo('SwapTotal'),
      uptime: podmanUptime(os.uptime()),
      user: {name: user.name, uid: user.uid, gid: user.gid, groups: user.groups},
      idMappings: {uidmap: podmanIdMap(mapping.uidMap), gidmap: podmanIdMap(mapping.gidMap)},
      subordinateIds: {
        mode: mapping.mode,
        setgroups: mapping.setgroups,
        subuid: mapping.mode === 'subid' ? rangesOf(mapping.uidMap) : [],
        subgid: mapping.mode === 'subid' ? rangesOf(mapping.gidMap) : [],
        ...(mapping.reason ? {reason: mapping.reason} : {}),
      },
      idMapTools: {newuidmap: toolInfo(findMappingTool('newuidmap')), newgidmap: toolInfo(findMappingTool('newgidmap'))},
      maxUserNamespaces: maxUserNamespaces() ?? 0,
    },
  }
}

/** The OCI runtime of new containers (tspod's native one unless --runtime or containers.conf names another), and the rootless network. */
function runtimeSection(runtime: string | undefined) {
  const slirp = findInPath(['slirp4netns'])
  const pasta = findPasta()
  const choice = rootlessNetworkDefault()
  const chosen = chosenRuntime(runtime)
  const external = chosen === undefined ? undefined : identifyOciRuntime(chosen)
  const ociRuntime = external
    ? {name: external.name, package: packageOf(external.path), path: external.path, version: output(external.path, ['--version'])}
    : {name: 'tspod', package: `tspod_${VERSION}`, path: path.join(PACKAGE_ROOT, 'bin', 'run.js'), version: `tspod native runtime ${VERSION}`}
  return {
    ociRuntime,
    // named networks are netavark's; slirp4netns (or pasta) is the rootless default and links the rootless netns out
    networkBackend: 'netavark',
    // the network of containers run without --network, and why (Podman 5's rootlessNetworkCmd)
    rootlessNetworkCmd: choice.cmd,
    rootlessNetworkCmdReason: choice.reason,
    pasta: {executable: pasta ?? '', package: pasta ? packageOf(pasta) : '', version: pasta ? output(pasta, ['--version']).split('\n')[0] : ''},
    slirp4netns: {executable: slirp ?? '', package: slirp ? packageOf(slirp) : '', version: slirp ? output(slirp, ['--version']) : ''},
  }
}

function output(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, {encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return ''
  }
}

interface ContainerCounts {
  number: number
  paused: number
  running: number
  stopped: number
}

/** The name Podman gives a filesystem type (containers-storage's FsNames). */
const FS_NAMES: Record<number, string> = {
  0xef53: 'extfs',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x65735546: 'fuseblk',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
  0xf2f52010: 'f2fs',
}

function storeSection(config: StorageConfig, probe: OverlayProbeResult | undefined, images: number, containers: ContainerCounts) {
  const graphOptions: Record<string, string> = {}
  if (config.driver === 'overlay') {
    if (config.overlay.mountProgram) graphOptions['overlay.mount_program'] = config.overlay.mountProgram
    if (config.overlay.mountOpt) graphOptions['overlay.mountopt'] = config.overlay.mountOpt
    if (config.overlay.forceMask) graphOptions['overlay.force_mask'] = config.overlay.forceMask
  }
  if (ignoreChownErrors(config)) graphOptions[`${config.driver}.ignore_chown_errors`] = 'true'
  const fsStats = fs.statfsSync(config.graphRoot)
  const graphStatus: Record<string, string> = probe
    ? {
        'Backing Filesystem': FS_NAMES[fsStats.type] ?? `0x${fsStats.type.toString(16)}`,
        'Native Overlay Diff': String(probe.native),
        'Supports d_type': 'true',
        'Using metacopy': 'false',
      }
    : {}
  return {
    // as Podman's: the storage.conf read, whether it exists or not
    configFile: config.configFile ?? configFilePath(),
    containerStore: containers,
    graphDriverName: config.driver,
    graphOptions,
    graphRoot: config.graphRoot,
    graphRootAllocated: fsStats.blocks * fsStats.bsize,
    graphRootUsed: (fsStats.blocks - fsStats.bfree) * fsStats.bsize,
    graphStatus,
    // where tspod keeps an image's blobs while it copies them
    imageCopyTmpDir: path.join(config.graphRoot, 'tmp'),
    imageStore: {number: images},
    runRoot: config.runRoot,
    volumePath: config.volumePath,
    ...(probe ? {nativeOverlay: probe} : {}),
  }
}

/** Podman's registries section: one entry per [[registry]] by prefix, and the search list. */
function registriesSection(conf: RegistriesConfig): Record<string, unknown> {
  const section: Record<string, unknown> = {}
  for (const r of conf.registries)
    section[r.prefix] = {
      Prefix: r.prefix,
      Location: r.location,
      Insecure: r.insecure,
      Mirrors: r.mirrors.length > 0 ? r.mirrors.map((m) => ({Location: m.location, Insecure: m.insecure, PullFromMirror: m.pullFromMirror ?? ''})) : null,
      Blocked: r.blocked,
      MirrorByDigestOnly: r.mirrorByDigestOnly,
      PullFromMirror: '',
    }
  if (conf.unqualifiedSearchRegistries.length > 0) section.search = conf.unqualifiedSearchRegistries
  return section
}

export async function collectInfo(given: StorageConfig, registries: RegistriesConfig, runtime?: string, eventLogger = 'file'): Promise<Info> {
  const user = currentUser()
  const {mapping, section: host} = hostSection(user)
  const store = await Store.open(given)
  const config = store.config
  let images: number
  let containers: ContainerCounts
  try {
    images = store.images.list().length
    const states = ContainerRecords.open(store).list().map((c) => c.state.status)
    const running = states.filter((s) => s === 'running' || s === 'stopping').length
    const paused = states.filter((s) => s === 'paused').length
    containers = {number: states.length, paused, running, stopped: states.length - running - paused}
  } finally {
    store.close()
  }
  const probe = config.driver === 'overlay' ? await probeNativeOverlay(config.graphRoot, mapping) : undefined
  return {
    host: {...host, eventLogger, ...runtimeSection(runtime)},
    store: storeSection(config, probe, images, containers),
    registries: registriesSection(registries),
    plugins: {authorization: null, log: ['k8s-file', 'json-file', 'none'], network: [...NETWORK_DRIVERS], volume: ['local']},
    version: {
      APIVersion: VERSION,
      Version: VERSION,
      GoVersion: `node${process.versions.node}`,
      GitCommit: '',
      BuiltTime: 'Thu Jan  1 00:00:00 1970',
      Built: 0,
      OsArch: `linux/${goArchitecture()}`,
      Os: 'linux',
    },
  }
}
