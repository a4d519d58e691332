// `tspod info`: the host and store facts, in Podman's JSON shape (camelCase keys, so Go
// templates written for Podman such as {{.Host.Kernel}} or {{.Store.GraphRoot}} work).
import {execFileSync} from 'node:child_process'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainerRecords} from '../runtime/container/records'
import {findInPath} from '../runtime/executables'
import {identifyOciRuntime} from '../runtime/oci-runtime/resolve'
import {maxUserNamespaces, readCgroupInfo, readDistribution} from '../runtime/host'
import {goArchitecture} from '../storage/image/manifest/platform'
import {StorageConfig} from '../storage/config/storage-conf'
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
  version: Record<string, unknown>
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
      cpus: os.cpus().length,
      memTotal: os.totalmem(),
      memFree: os.freemem(),
      uptime: `${Math.floor(os.uptime())}s`,
      cgroupVersion: cgroup.version,
      cgroupControllers: cgroup.controllers,
      security: {rootless: user.uid !== 0},
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

/** The OCI runtime of new containers (tspod's native one unless --runtime names another), and the rootless network. */
function runtimeSection(runtime: string | undefined) {
  const slirp = findInPath(['slirp4netns'])
  const external = runtime === undefined ? undefined : identifyOciRuntime(runtime)
  const ociRuntime = external
    ? {name: external.name, package: '', path: external.path, version: external.version ? `${external.name} version ${external.version}` : ''}
    : {name: 'tspod', package: `tspod ${VERSION}`, path: path.join(PACKAGE_ROOT, 'bin', 'run.js'), version: `tspod native runtime ${VERSION}`}
  return {
    ociRuntime,
    networkBackend: 'slirp4netns',
    slirp4netns: {executable: slirp ?? '', version: slirp ? firstLine(slirp, ['--version']) : ''},
  }
}

function firstLine(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, {encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore']}).split('\n')[0]
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

function storeSection(config: StorageConfig, probe: OverlayProbeResult, images: number, containers: ContainerCounts) {
  const graphOptions: Record<string, string> = {}
  if (config.overlay.mountProgram) graphOptions['overlay.mount_program'] = config.overlay.mountProgram
  if (config.overlay.mountOpt) graphOptions['overlay.mountopt'] = config.overlay.mountOpt
  if (config.overlay.ignoreChownErrors) graphOptions['overlay.ignore_chown_errors'] = 'true'
  return {
    configFile: config.configFile ?? '',
    graphDriverName: config.driver,
    graphRoot: config.graphRoot,
    runRoot: config.runRoot,
    graphOptions,
    graphStatus: {'Native Overlay Diff': String(probe.native), 'Using metacopy': 'false'},
    nativeOverlay: probe,
    imageStore: {number: images},
    containerStore: containers,
  }
}

export async function collectInfo(config: StorageConfig, runtime?: string): Promise<Info> {
  const user = currentUser()
  const {mapping, section: host} = hostSection(user)
  const store = await Store.open(config)
  let images: number
  let containers: ContainerCounts
  try {
    images = store.images.list().length
    const states = ContainerRecords.open(store).list().map((c) => c.state.status)
    const running = states.filter((s) => s === 'running' || s === 'stopping').length
    containers = {number: states.length, paused: 0, running, stopped: states.length - running}
  } finally {
    store.close()
  }
  const probe = await probeNativeOverlay(config.graphRoot, mapping)
  return {
    host: {...host, ...runtimeSection(runtime)},
    store: storeSection(config, probe, images, containers),
    version: {Version: VERSION, NodeVersion: process.version, OsArch: `linux/${goArchitecture()}`},
  }
}
