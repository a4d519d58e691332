// config.json for `tspod run`: the image config and the parsed ContainerSpec turned into an OCI
// runtime spec the way Podman builds it (pkg/specgen/generate and libpod's generateSpec).
// Everything is computed here, before any process starts, so the runtime never reads image
// files or the environment after it switched to the container user (field note 4).
//
// Files the container needs on top of the image (the /etc/passwd and /etc/group lines Podman
// adds) come back as `files` for the caller to write and bind (container-files.ts).
//
// Not generated: linux.resources and cgroupsPath, the
// /etc/hosts, /etc/hostname, /etc/resolv.conf and /run/.containerenv binds (the caller prepares
// those files and adds them with addMounts), device nodes (the runtime binds the host's).
import {withUlimits} from '../../specgen/ulimits'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../errors'
import {ContainersConf, ImageVolumeMode, readContainersConf} from '../../storage/config/containers-conf'
import {ImageConfig} from '../../storage/image/manifest/image-config'
import {APPARMOR_ANNOTATION, KEEP_ORIGINAL_GROUPS_ANNOTATION, LABEL_ANNOTATION, OciIdMapping, OciMount, OciNamespace, OciSpec, SECCOMP_ANNOTATION} from '../oci-spec'
import {processCapabilities} from './capabilities'
import {resolveCommand} from './command'
import {ContainerFile} from './container-files'
import {
  CONTAINER_INIT_PATH,
  DEFAULT_CAPABILITIES,
  DEFAULT_MASKED_PATHS,
  DEFAULT_NO_NEW_PRIVILEGES,
  DEFAULT_READONLY_PATHS,
  DEFAULT_UMASK,
  READ_ONLY_TMPFS_DIRS,
  READ_ONLY_TMPFS_OPTIONS,
  defaultMounts,
  defaultRlimits,
} from './defaults'
import {deviceMounts, privilegedDeviceMounts} from './devices'
import {buildEnv} from './env'
import {HostFacts, readHostFacts} from './host-facts'
import {MountFlags} from './host-mount-flags'
import {resolveInitBinary} from './init-binary'
import {SeccompSettings, UNCONFINED, containerSeccomp} from '../seccomp/container-profile'
import {applyMasks} from '../../specgen/security-opt'
import type {ContainerSpec, NetworkMode, VolumeMountSpec} from '../../specgen/container-spec'
import {NamespaceMode, defaultNamespaceMode} from '../../specgen/namespaces'
import {HostAccounts, hostAccounts, passwdEntries} from './passwd-entries'
import {readRootfsFile} from './rootfs-files'
import {DEFAULT_STOP_SIGNAL, parseStopSignal} from './stop-signal'
import {resolveUser} from './user'
import {KeepIdResult, autoMappings, autoUsernsSize, keepIdMappings, nomapMappings} from './userns'
import {processMountOptions, validateContainerDir} from '../../specgen/volumes'
import {DEFAULT_SYSCTLS, SysctlNamespaces, mergeSysctls, parseSysctls} from '../../specgen/sysctls'

export const OCI_VERSION = '1.0.2-dev'

/** A named or anonymous volume (-v NAME:/dst, -v /dst, an image VOLUME) for the caller to create and bind. */
export type NamedVolume = Omit<VolumeMountSpec, 'type'>

export interface GenerateSpecInput {
  image: {config: ImageConfig; layerDirs: string[]}
  /** the container as asked for, parsed (specgen) */
  spec: ContainerSpec
  /** absolute path of the container's merged rootfs */
  rootfs: string
  /** the default hostname (Podman: the container id's first 12 characters) when --hostname is unset */
  hostname: string
  rootless: boolean
  /** the container's user namespace; required when rootless */
  uidMappings?: OciIdMapping[]
  gidMappings?: OciIdMapping[]
  /** --userns=auto: the maps (host ids) of the other auto containers, whose ids this one must not take */
  autoUsernsTaken?: {uidMappings: OciIdMapping[]; gidMappings: OciIdMapping[]}[]
  /** containers.conf `init_path`: the init binary for --init when --init-path is not given; else it is searched for */
  initPath?: string
  /** the host user running tspod (keep-id maps it into the container); default this process's uid and gid */
  hostUser?: {uid: number; gid: number}
  /** the host's user database for the /etc/passwd lines Podman copies; default /etc/passwd and /etc/group */
  hostAccounts?: HostAccounts
  /** --privileged's host devices; default every device under /dev */
  hostDevices?: () => OciMount[]
  /** facts about this host and process; read from /proc and /sys when omitted */
  host?: HostFacts
  /** flags of the host mount under a bind source; read from /proc/self/mountinfo when omitted */
  mountFlagsOf?: (realPath: string) => MountFlags
  /** Podman's containers.conf (seccomp_profile); read from Podman's locations when omitted */
  containersConf?: SeccompSettings & Pick<ContainersConf, 'imageVolumeMode' | 'defaultSysctls'>
}

export interface GeneratedSpec {
  spec: OciSpec
  /** named and anonymous volumes (from -v and the image's Volumes) for the caller to create and add with volumeMount/addMounts */
  namedVolumes: NamedVolume[]
  /** create process.cwd in the rootfs when missing (not for -w) */
  createWorkingDir: boolean
  /** --group-add keep-groups: the runtime must not call setgroups */
  keepGroups: boolean
  /** things Podman warns about (a group outside the user namespace) */
  warnings: string[]
  /** files to write and bind into the container (writeContainerFiles, then addMounts): /etc/passwd, /etc/group */
  files: ContainerFile[]
}

function mapped(id: number, mappings: OciIdMapping[] | undefined): boolean {
  if (!mappings || mappings.length === 0) return true
  return mappings.some((m) => id >= m.containerID && id < m.containerID + m.size)
}

function depth(destination: string): number {
  return destination === '/' ? 0 : destination.split('/').length - 1
}

/**
 * Podman's SupersedeUserMounts: an added mount replaces the one at its destination, and an
 * added /dev replaces everything under /dev. Parents are mounted before their children.
 */
function mergeMounts(base: OciMount[], added: OciMount[], reserved: string[] = []): OciMount[] {
  const clean = added.map((m) => ({...m, destination: validateContainerDir(m.destination)}))
  const taken = new Set([...clean.map((m) => m.destination), ...reserved])
  const kept = base.filter((m) => !taken.has(m.destination) && !(taken.has('/dev') && m.destination.startsWith('/dev/')))
  return [...kept, ...clean].sort((a, b) => depth(a.destination) - depth(b.destination))
}

/** The bind mount for a named volume once the caller knows the volume's dir on the host. */
export function volumeMount(volume: NamedVolume, hostDir: string, flagsOf?: (realPath: string) => MountFlags): OciMount {
  if (!path.isAbsolute(hostDir)) throw new TspodError(`volume dir ${hostDir} must be an absolute path`)
  return {destination: volume.destination, type: 'bind', source: hostDir, options: processMountOptions(volume.options, {tmpfs: false, source: hostDir, flagsOf})}
}

/** Add mounts (volume binds, /etc/hosts, ...) to a generated spec: same rules as the user's own mounts. */
export function addMounts(spec: OciSpec, mounts: OciMount[]): OciSpec {
  return {...spec, mounts: mergeMounts(spec.mounts ?? [], mounts)}
}

/** Podman's tmpfs for an image VOLUME under --image-volume tmpfs (pkg/specgen/generate/storage.go). */
const IMAGE_VOLUME_TMPFS_OPTIONS = ['rprivate', 'rw', 'nodev', 'exec']

function userMounts(input: GenerateSpecInput, initPath: string | undefined, imageVolumeMode: ImageVolumeMode): {mounts: OciMount[]; namedVolumes: NamedVolume[]} {
  const {spec} = input
  const mounts = new Map<string, OciMount>()
  const volumes = new Map<string, NamedVolume>()
  for (const m of spec.mounts) {
    if (m.type === 'volume') volumes.set(m.destination, {name: m.name, destination: m.destination, options: m.options})
    else if (m.type === 'bind')
      mounts.set(m.destination, {destination: m.destination, type: 'bind', source: m.source, options: processMountOptions(m.options, {tmpfs: false, source: m.source, flagsOf: input.mountFlagsOf})})
    else mounts.set(m.destination, {destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: processMountOptions(m.options, {tmpfs: true})})
  }
  for (const device of deviceMounts(spec.devices)) {
    if (mounts.has(device.destination) || volumes.has(device.destination)) throw new UsageError(`${device.destination}: duplicate mount destination`)
    mounts.set(device.destination, device)
  }
  if (spec.privileged) {
    for (const device of (input.hostDevices ?? privilegedDeviceMounts)()) if (!mounts.has(device.destination) && !volumes.has(device.destination)) mounts.set(device.destination, device)
  }

  if (initPath !== undefined) {
    if (mounts.has(CONTAINER_INIT_PATH) || volumes.has(CONTAINER_INIT_PATH))
      throw new UsageError(`conflict with mount added by --init to ${JSON.stringify(CONTAINER_INIT_PATH)}: duplicate mount destination`)
    mounts.set(CONTAINER_INIT_PATH, {destination: CONTAINER_INIT_PATH, type: 'bind', source: initPath, options: ['bind', 'ro']})
  }
  if (spec.readOnly && spec.readOnlyTmpfs) {
    for (const dir of READ_ONLY_TMPFS_DIRS) {
      if (!mounts.has(dir) && !volumes.has(dir)) mounts.set(dir, {destination: dir, type: 'tmpfs', source: 'tmpfs', options: [...READ_ONLY_TMPFS_OPTIONS]})
    }
  }
  // the image's VOLUMEs become anonymous volumes (bind), tmpfs mounts or nothing (ignore),
  // unless something else is mounted there
  for (const dir of imageVolumeMode === 'ignore' ? [] : Object.keys(input.image.config.config.Volumes ?? {})) {
    // a relative VOLUME (as Docker's parser leaves `VOLUME ['/a', '/b']`) is taken from /, as Podman does
    const destination = validateContainerDir(path.posix.join('/', dir))
    if (mounts.has(destination) || volumes.has(destination)) continue
    if (imageVolumeMode === 'tmpfs')
      mounts.set(destination, {destination, type: 'tmpfs', source: 'tmpfs', options: processMountOptions(IMAGE_VOLUME_TMPFS_OPTIONS, {tmpfs: true})})
    else volumes.set(destination, {name: '', destination, options: []})
  }
  return {mounts: [...mounts.values()], namedVolumes: [...volumes.values()]}
}

function checkMappings(input: GenerateSpecInput): void {
  const has = (m: OciIdMapping[] | undefined): boolean => (m?.length ?? 0) > 0
  if (input.rootless && (!has(input.uidMappings) || !has(input.gidMappings)))
    throw new TspodError('a rootless container needs uidMappings and gidMappings for its user namespace')
  if (has(input.uidMappings) !== has(input.gidMappings)) throw new TspodError('uidMappings and gidMappings must be given together')
}

interface KeepId extends Partial<KeepIdResult> {
  uid: number
  gid: number
  /** no uid=/gid= given: the user running tspod gets its /etc/passwd line */
  addCurrentUser: boolean
}

/** --userns=keep-id: the maps (rootless) and the ids the user appears as; undefined for the default. */
function keepIdOf(input: GenerateSpecInput, hostUser: {uid: number; gid: number}): KeepId | undefined {
  const mode = input.spec.userns
  if (mode.kind !== 'keep-id') return undefined
  const addCurrentUser = mode.uid === undefined && mode.gid === undefined
  if (input.uidMappings?.length && input.gidMappings?.length)
    return {...keepIdMappings(mode, {uidMappings: input.uidMappings, gidMappings: input.gidMappings}, hostUser), addCurrentUser}
  // without a user namespace (rootful) keep-id only picks the user, as Podman does with the host's full mapping
  if (mode.size !== undefined) throw new UsageError('cannot set max size for user namespace when not running rootless')
  return {uid: mode.uid ?? 0, gid: mode.gid ?? 0, addCurrentUser}
}

/** The highest ids the image's /etc/passwd and /etc/group name (containers/storage also reads its layers' owners, which tspod does not record). */
function imageIds(input: GenerateSpecInput): {uids: number[]; gids: number[]} {
  const ids = (file: string, field: number): number[] =>
    (readRootfsFile(input.image.layerDirs, file)?.toString('utf8') ?? '')
      .split('\n')
      .map((line) => Number(line.split(':')[field]))
      .filter((n) => Number.isInteger(n) && n >= 0)
  return {uids: ids('/etc/passwd', 2), gids: [...ids('/etc/passwd', 3), ...ids('/etc/group', 2)]}
}

/** --userns=nomap and auto: maps of the container's own, inside the user's subordinate ranges (rootless only). */
function ownUserNamespace(input: GenerateSpecInput): {uidMappings: OciIdMapping[]; gidMappings: OciIdMapping[]} | undefined {
  const mode = input.spec.userns
  if (mode.kind !== 'nomap' && mode.kind !== 'auto') return undefined
  if (!input.rootless || !input.uidMappings?.length || !input.gidMappings?.length) throw new UsageError(`${mode.kind} is only supported in rootless mode`)
  if (mode.kind === 'nomap') return {uidMappings: nomapMappings(input.uidMappings), gidMappings: nomapMappings(input.gidMappings)}
  const image = mode.size === undefined ? imageIds(input) : undefined
  const taken = input.autoUsernsTaken ?? []
  return {
    uidMappings: autoMappings(mode.size ?? autoUsernsSize(image!.uids), input.uidMappings, taken.map((t) => t.uidMappings), mode.uidMappings),
    gidMappings: autoMappings(mode.size ?? autoUsernsSize(image!.gids), input.gidMappings, taken.map((t) => t.gidMappings), mode.gidMappings),
  }
}

interface UserDatabaseFiles {
  files: ContainerFile[]
  extraPasswd: string
  extraGroup: string
}

/** The /etc/passwd and /etc/group lines Podman adds, as whole files to bind (unless the user mounts their own). */
function userDatabaseFiles(
  input: GenerateSpecInput,
  request: {user: string; addCurrentUser: boolean; hostUser: {uid: number; gid: number}; workdir: string; mountDestinations: string[]; hostUsers: string[]},
): UserDatabaseFiles {
  const result: UserDatabaseFiles = {files: [], extraPasswd: '', extraGroup: ''}
  if (!request.addCurrentUser && request.user === '' && request.hostUsers.length === 0) return result
  const read = (file: string): string | undefined => readRootfsFile(input.image.layerDirs, file)?.toString('utf8')
  const imagePasswd = read('/etc/passwd')
  const imageGroup = read('/etc/group')
  const entries = passwdEntries({...request, imagePasswd, imageGroup, accounts: input.hostAccounts ?? hostAccounts()})
  const withLines = (text: string | undefined, lines: string): string => (text === undefined || text === '' || text.endsWith('\n') ? (text ?? '') : `${text}\n`) + lines
  if (entries.passwd !== '' && !request.mountDestinations.includes('/etc/passwd')) {
    result.files.push({destination: '/etc/passwd', content: withLines(imagePasswd, entries.passwd), mode: 0o644})
    result.extraPasswd = entries.passwd
  }
  if (entries.group !== '' && !request.mountDestinations.includes('/etc/group')) {
    result.files.push({destination: '/etc/group', content: withLines(imageGroup, entries.group), mode: 0o644})
    result.extraGroup = entries.group
  }
  return result
}

/**
 * Whether the container gets a sysfs of its own (showing its network namespace's interfaces) or
 * the host's /sys read-only, as Podman's canMountSys decides: the host's network is the host's
 * sysfs for a rootless or user-namespaced container, and a user namespace of the container's own
 * cannot mount a sysfs for a network namespace it joins (another container's, a path). Where a
 * mount is tried and the kernel still refuses it, the runtime binds the host's /sys instead.
 */
export function canMountSys(network: NetworkMode, options: {rootless: boolean; newUserns: boolean}): boolean {
  if (network.kind === 'host') return !options.rootless && !options.newUserns
  if (options.newUserns) return ['slirp4netns', 'pasta', 'none', 'bridge'].includes(network.kind)
  return true
}

/** Build config.json for one container. Throws UsageError, in Podman's words, for what only the image or the host at create can refuse (an unknown user, a missing bind source, a mount conflict). */
/** Whose namespaces the container's sysctls would land in (Podman: a path given with ns: is the container's own). */
function sysctlNamespaces(network: ContainerSpec['network'], ipc: NamespaceMode, uts: NamespaceMode): SysctlNamespaces {
  const owner = (kind: string): 'own' | 'host' | 'joined' => (kind === 'host' ? 'host' : kind === 'container' ? 'joined' : 'own')
  return {network: owner(network.kind), ipc: owner(ipc.kind), uts: owner(uts.kind)}
}

export function generateSpec(input: GenerateSpecInput): GeneratedSpec {
  const {spec: request, image} = input
  const imageConfig = image.config.config
  const security = request.security
  if (!path.isAbsolute(input.rootfs)) throw new TspodError(`root.path must be an absolute path, got ${JSON.stringify(input.rootfs)}`)
  checkMappings(input)
  const host = input.host ?? readHostFacts()
  // slirp4netns and none get a network namespace of their own
  const network = request.network
  const ownNetwork = network.kind === 'slirp4netns' || network.kind === 'pasta' || network.kind === 'none'
  const hostUser = input.hostUser ?? {uid: process.getuid!(), gid: process.getgid!()}
  const keepId = keepIdOf(input, hostUser)
  const own = ownUserNamespace(input)
  const uidMappings = keepId?.uidMappings ?? own?.uidMappings ?? input.uidMappings
  const gidMappings = keepId?.gidMappings ?? own?.gidMappings ?? input.gidMappings
  const userns = (uidMappings?.length ?? 0) > 0

  const command = resolveCommand({image: imageConfig, entrypoint: request.entrypoint, args: request.command, workdir: request.workdir})
  const args = request.init ? [CONTAINER_INIT_PATH, '--', ...command.args] : command.args
  const initPath = request.init ? resolveInitBinary({initPath: request.initPath, configured: input.initPath}) : undefined
  const conf = input.containersConf ?? readContainersConf()
  const mountsOf = userMounts(input, initPath, request.imageVolume ?? conf.imageVolumeMode ?? 'bind')

  // keep-id runs the container as the user's own ids unless --user or the image's User says otherwise
  const keepIdUser = keepId !== undefined && !request.user && !imageConfig.User
  const userSpec = request.user || imageConfig.User || (keepIdUser ? `${keepId.uid}:${keepId.gid}` : '')
  const userDb = userDatabaseFiles(input, {
    user: userSpec,
    addCurrentUser: keepId?.addCurrentUser ?? false,
    hostUser,
    workdir: command.cwd,
    mountDestinations: [...mountsOf.mounts.map((m) => m.destination), ...mountsOf.namedVolumes.map((v) => v.destination)],
    hostUsers: request.hostUsers ?? [],
  })
  const user = resolveUser({
    layerDirs: image.layerDirs,
    user: request.user || (keepIdUser ? userSpec : undefined),
    imageUser: imageConfig.User,
    groups: request.groups,
    keepGroups: request.keepGroups,
    gidMappings,
    extraPasswd: userDb.extraPasswd,
    extraGroup: userDb.extraGroup,
  })
  // Podman's SetupUserNS adds keep-id's gid to the process's groups whoever the user is
  const additionalGids = keepId ? [...new Set([keepId.gid, ...user.additionalGids])] : user.additionalGids
  const ipc = request.ipc ?? defaultNamespaceMode('ipc')
  const uts = request.uts ?? defaultNamespaceMode('uts')
  const pid = request.pid ?? defaultNamespaceMode('pid')
  // a hostname is set only in a UTS namespace of the container's own
  const ownUts = uts.kind === 'private'
  const hostname = ownUts ? request.hostname || input.hostname : undefined
  const env = buildEnv({
    imageEnv: imageConfig.Env,
    env: request.env,
    unsetenv: request.unsetenv,
    unsetenvAll: request.unsetenvAll,
    hostname: hostname ?? request.hostname ?? input.hostname,
    home: user.home,
  })
  const capabilities = processCapabilities({
    // --privileged: every capability this process may pass on
    defaults: request.privileged ? [...host.boundingSet] : [...DEFAULT_CAPABILITIES],
    capAdd: request.capAdd,
    capDrop: request.capDrop,
    user: user.spec,
    keepIdUser,
    host: {supported: host.supportedCapabilities, bounding: host.boundingSet},
  })

  const sys = canMountSys(network, {rootless: input.rootless, newUserns: input.rootless ? keepId !== undefined || own !== undefined : userns}) ? 'new' : 'bind'
  if (ipc.kind === 'host')
    for (const dir of ['/dev/shm', '/dev/mqueue']) if (!fs.existsSync(dir)) throw new TspodError(`statfs ${dir}: no such file or directory`)
  const defaults = defaultMounts({
    sys,
    ttyGidMapped: mapped(5, gidMappings),
    mqueue: host.mqueue,
    ...(ipc.kind === 'host' || ipc.kind === 'none' ? {ipc: ipc.kind} : {}),
  })
  const mounts = mergeMounts(defaults, mountsOf.mounts, mountsOf.namedVolumes.map((v) => v.destination))

  // another container's namespaces are joined at each start (launch.ts): they are not in the spec
  const namespaces: OciNamespace[] = []
  const namespace = (type: OciNamespace['type'], mode: NamespaceMode): void => {
    if (mode.kind === 'ns') namespaces.push({type, path: mode.path})
    else if (mode.kind !== 'host' && mode.kind !== 'container') namespaces.push({type})
  }
  namespace('pid', pid)
  if (ownNetwork) namespaces.push({type: 'network'})
  if (network.kind === 'ns') namespaces.push({type: 'network', path: network.path})
  // a named network's namespace is made at each start in the rootless netns, and joined by path
  if (network.kind === 'bridge') namespaces.push({type: 'network'})
  namespace('ipc', ipc)
  namespace('uts', uts)
  namespaces.push({type: 'mount'})
  if (host.cgroupVersion === 'v2') namespaces.push({type: 'cgroup'})
  if (userns) namespaces.push({type: 'user'})

  const sysctl = mergeSysctls(parseSysctls(conf.defaultSysctls ?? DEFAULT_SYSCTLS), new Map(Object.entries(request.sysctls ?? {})), sysctlNamespaces(network, ipc, uts), (gid) =>
    mapped(gid, userns ? gidMappings : undefined),
  )

  const masked = request.privileged ? [] : [...DEFAULT_MASKED_PATHS, ...host.thermalThrottlePaths]
  if (sys === 'bind' && input.rootless && !request.privileged) masked.push('/sys/kernel')
  const readonlyPaths = request.privileged ? [] : [...DEFAULT_READONLY_PATHS]
  const seccomp = containerSeccomp(request.privileged ? UNCONFINED : security.seccomp, conf, capabilities.bounding ?? [])

  const stopSignal = request.stopSignal ?? (imageConfig.StopSignal ? parseStopSignal(imageConfig.StopSignal) : DEFAULT_STOP_SIGNAL)
  const annotations: Record<string, string> = {
    ...request.annotations,
    'io.container.manager': 'libpod',
    'org.opencontainers.image.stopSignal': String(stopSignal),
    'org.systemd.property.KillSignal': String(stopSignal),
  }
  if (request.init) annotations['io.podman.annotations.init'] = 'TRUE'
  if (user.keepGroups) annotations[KEEP_ORIGINAL_GROUPS_ANNOTATION] = '1'
  if (security.label !== undefined) annotations[LABEL_ANNOTATION] = security.label
  if (security.seccomp !== undefined) annotations[SECCOMP_ANNOTATION] = security.seccomp
  if (security.apparmor !== undefined) annotations[APPARMOR_ANNOTATION] = security.apparmor

  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: request.tty,
      user: {uid: user.uid, gid: user.gid, additionalGids, umask: DEFAULT_UMASK},
      args,
      env,
      cwd: command.cwd,
      capabilities,
      rlimits: withUlimits(defaultRlimits({clamp: input.rootless || !host.capSysResource, limits: host.limits}), request.ulimits),
      noNewPrivileges: security.noNewPrivileges ?? DEFAULT_NO_NEW_PRIVILEGES,
    },
    root: {path: input.rootfs, readonly: request.readOnly},
    ...(hostname === undefined ? {} : {hostname}),
    mounts,
    linux: {
      ...(userns ? {uidMappings, gidMappings} : {}),
      namespaces,
      maskedPaths: applyMasks(masked, security, security.mask),
      readonlyPaths: applyMasks(readonlyPaths, security),
      ...(seccomp ? {seccomp} : {}),
      ...(Object.keys(sysctl).length > 0 ? {sysctl} : {}),
    },
    annotations,
  }
  return {
    spec,
    namedVolumes: mountsOf.namedVolumes,
    createWorkingDir: command.createWorkingDir,
    keepGroups: user.keepGroups,
    warnings: user.warnings,
    files: userDb.files,
  }
}
