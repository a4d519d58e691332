// An OCI runtime spec turned into the ordered, flat list of steps tspod's native child runs
// before it execs the container process (crun's init_status idea: every decision here, none in C).
//
// The order matters for rootless storage under a directory reachable only through a
// supplementary group (field note 1, docs: shared/reference/userns-overlay.md): the rootfs is
// mounted, made private and pivoted into while the process still holds the caller's groups;
// only then are the container's groups set. After pivot_root no path walk crosses the
// group-only parent again, so such a store runs without --group-add keep-groups.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'
import {ChildStep, NamespaceName} from '../native'
import {overlayMountOptions} from '../storage/store/driver/overlay'
import {Command} from '../userns/spawn'
import {IdMapping, UserNamespaceMapping} from '../userns/idmap'
import {KEEP_ORIGINAL_GROUPS_ANNOTATION, OciIdMapping, OciMount, OciSpec} from './oci-spec'
import {sysctlsForOuterWriter} from '../specgen/sysctls'
import {seccompStep} from './seccomp/compile'
import {toRootlessIds} from './spec/userns'
import {MS, containerPath, devSteps, maskSteps, mountSteps, readonlySteps, stepName} from './rootfs-mount'

export interface RootfsLayout {
  /** the image's layer dirs, top layer first */
  lowerDirs: string[]
  upperDir: string
  workDir: string
  /** where the overlay is mounted: the container's root */
  mergedDir: string
  /** mount overlay with userxattr (whiteouts as user.overlay.* xattrs) and use the host's /sys */
  rootless: boolean
  /**
   * Who mounts the overlay on mergedDir: the child itself, with the kernel's overlay (absent),
   * or fuse-overlayfs before the child is released (storage.conf's mount_program; see
   * fuse-overlay.ts), in which case the child's steps start from the mount already there.
   */
  mountedBy?: 'fuse-overlayfs'
}

export interface ContainerPlan {
  /** the namespaces to create */
  namespaces: NamespaceName[]
  /** namespaces to join instead, by path (the user namespace first when one is joined) */
  joins: NamespaceJoin[]
  /** the id maps to write for the user namespace (absent without one) */
  mapping?: UserNamespaceMapping
  steps: ChildStep[]
  command: Required<Command>
}

export interface NamespaceJoin {
  namespace: NamespaceName
  path: string
}

/** The smallest page size Linux runs with: mount(2) copies at most one page of option data. */
export const MOUNT_DATA_LIMIT = 4096 - 1

/** Capability numbers (linux/capability.h). */
export const CAPABILITIES: Record<string, number> = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14,
  CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16,
  CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22,
  CAP_SYS_NICE: 23,
  CAP_SYS_RESOURCE: 24,
  CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26,
  CAP_MKNOD: 27,
  CAP_LEASE: 28,
  CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31,
  CAP_MAC_OVERRIDE: 32,
  CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34,
  CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36,
  CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
  CAP_CHECKPOINT_RESTORE: 40,
}

/** Resource numbers (asm-generic/resource.h; x86, arm and most others). */
export const RLIMITS: Record<string, number> = {
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
}

const NAMESPACES: Record<string, NamespaceName> = {
  user: 'user',
  mount: 'mount',
  pid: 'pid',
  uts: 'uts',
  ipc: 'ipc',
  network: 'net',
  cgroup: 'cgroup',
}

const DEFAULT_UMASK = 0o022

/** The highest capability this kernel knows; capabilities past it are left out, as crun does. */
function lastCapability(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim())
  } catch {
    return CAPABILITIES.CAP_CHECKPOINT_RESTORE
  }
}

function capabilityNumbers(names: string[] | undefined, last: number): number[] {
  const numbers = (names ?? []).map((name) => {
    const n = CAPABILITIES[name.toUpperCase()]
    if (n === undefined) throw new TspodError(`unknown cap: \`${name}\``)
    return n
  })
  return [...new Set(numbers)].filter((n) => n <= last).sort((a, b) => a - b)
}

/** rlimit values are uint64 in JSON; 2^64 - 1 (RLIM_INFINITY) arrives here rounded up. */
function limitValue(n: number): number {
  return n >= 2 ** 64 - 1 ? Infinity : n
}

function planNamespaces(spec: OciSpec): {names: NamespaceName[]; joins: NamespaceJoin[]} {
  const names: NamespaceName[] = []
  const joins: NamespaceJoin[] = []
  for (const ns of spec.linux?.namespaces ?? []) {
    const name = NAMESPACES[ns.type]
    if (!name) throw new TspodError(`unknown namespace type "${ns.type}"`)
    if (names.includes(name) || joins.some((j) => j.namespace === name)) continue
    if (ns.path) joins.push({namespace: name, path: ns.path})
    else names.push(name)
  }
  if (!names.includes('mount')) throw new TspodError('the container needs a mount namespace (linux.namespaces)')
  const joinedType = spec.linux?.namespaces?.find((ns) => ns.path)?.type
  // real root may join namespaces of its own user namespace (a root container without one); anyone else needs the owner's
  if (joins.length > 0 && !joins.some((j) => j.namespace === 'user') && (names.includes('user') || process.geteuid?.() !== 0))
    throw new TspodError(`joining the ${joinedType} namespace at \`${joins[0].path}\` needs the user namespace that owns it (linux.namespaces)`)
  return {names, joins}
}

function toIdMap(list: OciIdMapping[]): IdMapping[] {
  return list.map((m) => ({containerID: m.containerID, hostID: m.hostID, size: m.size}))
}

/**
 * The spec's id maps. A single map of the caller's own ids (size 1) is written directly, which
 * the kernel only allows with setgroups denied; anything else goes through newuidmap/newgidmap,
 * which leave setgroups allowed (field note 5: the policy is always set explicitly).
 */
function planMapping(spec: OciSpec): UserNamespaceMapping {
  const uidMap = toIdMap(spec.linux?.uidMappings ?? [])
  const gidMap = toIdMap(spec.linux?.gidMappings ?? [])
  if (uidMap.length === 0 || gidMap.length === 0)
    throw new TspodError('a user namespace needs linux.uidMappings and linux.gidMappings')
  const own = (map: IdMapping[], id: number): boolean => map.length === 1 && map[0].size === 1 && map[0].hostID === id
  if (own(uidMap, process.getuid!()) && own(gidMap, process.getgid!()))
    return {mode: 'single', uidMap, gidMap, setgroups: 'deny'}
  return {mode: 'subid', uidMap, gidMap, setgroups: 'allow'}
}

function idMapped(map: IdMapping[] | undefined, id: number): boolean {
  if (!map) return true // no user namespace: every host id exists
  return map.some((m) => id >= m.containerID && id < m.containerID + m.size)
}

function commonParent(dirs: string[]): string {
  const split = dirs.map((d) => path.resolve(d).split('/'))
  const first = split[0]
  let n = 0
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++
  return first.slice(0, n).join('/') || '/'
}

/**
 * The overlay mount of the rootfs. When the options do not fit in a page, the paths are given
 * relative to their common parent, which the child changes into first (containers-storage does
 * the same, with its short l/ links).
 *
 * nodev: run as real root, an image's device nodes are real ones (`b 8 0` is the host's disk),
 * and tspod has no device cgroup to stop their use as Podman has; the container's devices are
 * host nodes bound in (devSteps, --device), whose mounts keep the host /dev's flags.
 */
export function overlaySteps(layout: RootfsLayout): ChildStep[] {
  const name = stepName(`mount overlay to \`${layout.mergedDir}\``)
  const absolute = overlayMountOptions(layout, {rootless: layout.rootless})
  const mount = (data: string): ChildStep => ({
    kind: 'mount',
    name,
    source: 'overlay',
    fstype: 'overlay',
    path: layout.mergedDir,
    flags: MS.NODEV,
    data,
  })
  if (absolute.length <= MOUNT_DATA_LIMIT) return [mount(absolute)]
  const parent = commonParent([...layout.lowerDirs, layout.upperDir, layout.workDir])
  const relative = overlayMountOptions(layout, {rootless: layout.rootless, dirOf: (d) => path.relative(parent, path.resolve(d)) || '.'})
  if (relative.length > MOUNT_DATA_LIMIT)
    throw new TspodError(
      `cannot mount layer, mount label too large ${relative.length} > page size ${MOUNT_DATA_LIMIT + 1}`,
    )
  return [{kind: 'chdir', name: stepName(`chdir to \`${parent}\``), path: parent}, mount(relative)]
}

/**
 * The mount of the container's root on mergedDir: the overlay of its layers, or, for a layout
 * without lower dirs (the vfs driver's full copy), a bind mount of the upper dir, which is the
 * whole root.
 */
export function rootfsSteps(layout: RootfsLayout): ChildStep[] {
  if (layout.lowerDirs.length > 0) return overlaySteps(layout)
  return [{kind: 'mount', name: stepName(`bind \`${layout.upperDir}\` to \`${layout.mergedDir}\``), source: layout.upperDir, path: layout.mergedDir, flags: MS.BIND | MS.REC}]
}

function rootfsPropagation(spec: OciSpec): number {
  const value = spec.linux?.rootfsPropagation ?? 'rprivate'
  const table: Record<string, number> = {
    private: MS.PRIVATE | MS.REC,
    rprivate: MS.PRIVATE | MS.REC,
    slave: MS.SLAVE | MS.REC,
    rslave: MS.SLAVE | MS.REC,
    shared: MS.SHARED | MS.REC,
    rshared: MS.SHARED | MS.REC,
  }
  const flags = table[value]
  if (flags === undefined) throw new TspodError(`invalid rootfsPropagation "${value}"`)
  return flags
}

export interface PlanOptions {
  /** where compiled seccomp programs are kept between runs (the run root's seccomp/ dir) */
  seccompCacheDir?: string
  /** the store's rootless namespace, for a container whose maps leave the user out (see nestedUserns) */
  storeMapping?: UserNamespaceMapping
}

/** The maps of a nest_userns step: "inside outside size" lines. */
function mapText(map: IdMapping[]): string {
  return map.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('')
}

/**
 * A container whose maps leave out the user's own ids (--userns=nomap, auto) cannot reach the
 * store from its namespace (its dirs are the user's, mode 0700), as Podman's crun cannot: the
 * child starts in the store's rootless namespace, mounts the rootfs there, and only then enters
 * a namespace of the container's maps below it (a nest_userns step, maps in rootless ids).
 */
interface NestedUserns {
  outer: UserNamespaceMapping
  step: ChildStep
  /** the container's maps in the ids of the outer namespace */
  uidMap: IdMapping[]
  gidMap: IdMapping[]
}

function nestedUserns(spec: OciSpec, storeMapping: UserNamespaceMapping | undefined): NestedUserns | undefined {
  const uidMap = toIdMap(spec.linux?.uidMappings ?? [])
  const gidMap = toIdMap(spec.linux?.gidMappings ?? [])
  if (storeMapping?.mode !== 'subid' || uidMap.length === 0 || gidMap.length === 0) return undefined
  if (idMappedOnHost(uidMap, process.getuid!()) && idMappedOnHost(gidMap, process.getgid!())) return undefined
  const inner = {uid: toRootlessIds(uidMap, storeMapping.uidMap), gid: toRootlessIds(gidMap, storeMapping.gidMap)}
  return {
    outer: storeMapping,
    step: {kind: 'nest_userns', name: "create the container's user namespace", source: mapText(inner.uid), data: mapText(inner.gid)},
    uidMap: inner.uid,
    gidMap: inner.gid,
  }
}

/** What the child does before it nests the container's user namespace, in the outer namespace's ids. */
function nestedSpec(spec: OciSpec, nest: NestedUserns): OciSpec {
  const sysctl = spec.linux?.sysctl
  return {
    ...spec,
    mounts: mountsForNesting(spec.mounts ?? [], nest),
    ...(sysctl && spec.linux ? {linux: {...spec.linux, sysctl: sysctlsForOuterWriter(sysctl, nest.gidMap)}} : {}),
  }
}

/**
 * Mounted before the nesting, a tmpfs or devpts would take its owner and its uid=/gid= from the
 * outer namespace: they are given in its ids, the container's root by default for a tmpfs, so
 * that the container sees them as it would have mounted them itself.
 */
function mountsForNesting(mounts: OciMount[], nest: NestedUserns): OciMount[] {
  const outer = (map: IdMapping[], id: number): number => {
    const m = map.find((r) => id >= r.containerID && id < r.containerID + r.size)
    if (!m) throw new TspodError(`id ${id} of a mount option is not mapped in the container's user namespace`)
    return m.hostID + id - m.containerID
  }
  return mounts.map((m) => {
    if (m.type !== 'tmpfs' && m.type !== 'devpts') return m
    const options = (m.options ?? []).map((o) => {
      const [key, value] = o.split('=', 2)
      if ((key === 'uid' || key === 'gid') && value !== undefined && /^\d+$/.test(value))
        return `${key}=${outer(key === 'uid' ? nest.uidMap : nest.gidMap, Number(value))}`
      return o
    })
    if (m.type === 'tmpfs')
      for (const key of ['uid', 'gid'] as const)
        if (!options.some((o) => o.startsWith(`${key}=`))) options.push(`${key}=${outer(key === 'uid' ? nest.uidMap : nest.gidMap, 0)}`)
    return {...m, options}
  })
}

function idMappedOnHost(map: IdMapping[], hostId: number): boolean {
  return map.some((m) => hostId >= m.hostID && hostId < m.hostID + m.size)
}

/**
 * The process half of a container plan: session, terminal, rlimits, seccomp, groups, ids, umask,
 * caps (also for exec).
 *
 * The seccomp filter is loaded before the ids and capabilities change, as runc does without
 * no_new_privileges: the child still holds CAP_SYS_ADMIN in its user namespace, which lets it
 * load a filter without setting no_new_privs, so setuid programs (sudo) keep working inside.
 * Every syscall the child makes afterwards (setgroups, setresuid, capset, prctl, execve,
 * execveat) is one the default profile allows.
 */
export function processSteps(spec: OciSpec, mapping: UserNamespaceMapping | undefined, options: PlanOptions = {}): ChildStep[] {
  const proc = spec.process
  const steps: ChildStep[] = [{kind: 'setsid', name: 'setsid'}]
  // process.terminal: a pty from the container's own devpts, its master sent to tspod
  if (proc.terminal)
    steps.push({kind: 'console', name: 'open the container terminal', rows: proc.consoleSize?.height, cols: proc.consoleSize?.width})
  for (const limit of proc.rlimits ?? []) {
    const resource = RLIMITS[limit.type]
    if (resource === undefined) throw new TspodError(`unknown rlimit \`${limit.type}\``)
    steps.push({
      kind: 'rlimit',
      name: stepName(`setrlimit \`${limit.type}\``),
      resource,
      soft: limitValue(limit.soft),
      hard: limitValue(limit.hard),
    })
  }
  const seccomp = spec.linux?.seccomp
  if (seccomp) steps.push(seccompStep(seccomp, options.seccompCacheDir))
  // crun's can_setgroups(): keep-groups skips setgroups(2); with setgroups denied in the
  // namespace it cannot run, so the process keeps its groups there too.
  const keep = spec.annotations?.[KEEP_ORIGINAL_GROUPS_ANNOTATION]
  if (keep !== undefined && keep !== '0') steps.push({kind: 'setgroups', name: 'setgroups', groups: 'keep'})
  else if (mapping?.setgroups !== 'deny')
    steps.push({kind: 'setgroups', name: 'setgroups', groups: [...(proc.user.additionalGids ?? [])]})
  steps.push(
    {kind: 'setresgid', name: 'setresgid', id: proc.user.gid},
    {kind: 'setresuid', name: 'setresuid', id: proc.user.uid},
    {kind: 'umask', name: 'umask', mode: proc.user.umask ?? DEFAULT_UMASK},
  )
  if (proc.capabilities) {
    const last = lastCapability()
    const caps = proc.capabilities
    steps.push({
      kind: 'caps',
      name: 'set capabilities',
      bounding: capabilityNumbers(caps.bounding, last),
      effective: capabilityNumbers(caps.effective, last),
      permitted: capabilityNumbers(caps.permitted, last),
      inheritable: capabilityNumbers(caps.inheritable, last),
      ambient: capabilityNumbers(caps.ambient, last),
    })
  }
  if (proc.noNewPrivileges) steps.push({kind: 'no_new_privs', name: 'set no_new_privs'})
  return steps
}

/** The container's mounts, relative to its root (the child's cwd at that point). */
function rootfsMountSteps(spec: OciSpec, layout: RootfsLayout, namespaces: NamespaceName[], mapping?: UserNamespaceMapping): ChildStep[] {
  const mounts = spec.mounts ?? []
  const destinations = mounts.map((m) => containerPath(m.destination, 'mount destination'))
  const devIndex = mounts.findIndex((m, i) => destinations[i] === '/dev')
  const freshDev = devIndex >= 0 && mounts[devIndex].type === 'tmpfs'
  const devpts = mounts.some((m, i) => destinations[i] === '/dev/pts' && m.type === 'devpts')
  const ctx = {
    pidNamespace: namespaces.includes('pid'),
    gidMapped: (gid: number) => idMapped(mapping?.gidMap, gid),
  }
  const steps: ChildStep[] = []
  mounts.forEach((m, i) => {
    // The devices of a fresh /dev are host nodes bound onto files of its tmpfs, so the tmpfs
    // itself needs none: nodev keeps a node made there (CAP_MKNOD) from being opened.
    const mount = i === devIndex && freshDev ? {...m, options: [...(m.options ?? []), 'nodev']} : m
    steps.push(...mountSteps(mount, ctx))
    // Devices go right after /dev, so that later spec mounts under /dev can replace them.
    if (i === devIndex) steps.push(...devSteps({freshDev, devpts}))
  })
  if (devIndex < 0) steps.push(...devSteps({freshDev: false, devpts: false}))
  // through the container's own /proc, before /proc/sys is made read-only
  steps.push(...sysctlSteps(spec.linux?.sysctl ?? {}))
  steps.push(...maskSteps(spec.linux?.maskedPaths ?? []), ...readonlySteps(spec.linux?.readonlyPaths ?? []))
  return steps
}

const SYSCTL_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/

/**
 * linux.sysctl: each value written to /proc/sys/KEY (dots as slashes), as crun does. The child is
 * still root of the container's user namespace, so the value's ids (ping_group_range) are the
 * container's, and the namespaces it owns accept the write.
 */
export function sysctlSteps(sysctl: Record<string, string>): ChildStep[] {
  // a key from a spec (kube YAML, containers.conf) is a name below /proc/sys, never a way out of it
  const badKey = Object.keys(sysctl).find((key) => !SYSCTL_KEY.test(key))
  if (badKey !== undefined) throw new TspodError(`sysctl ${JSON.stringify(badKey)} is not a sysctl name: dot-separated words of letters, digits, "_" and "-"`)
  return Object.entries(sysctl).map(([key, value]) => ({
    kind: 'write',
    name: stepName(`set sysctl \`${key}\``),
    path: `/proc/sys/${key.replaceAll('.', '/')}`,
    data: value,
    inRoot: true,
  }))
}

/** Turn a runtime spec and the rootfs layout into the child's namespaces, id maps, steps and command. */
export function planContainer(spec: OciSpec, layout: RootfsLayout, options: PlanOptions = {}): ContainerPlan {
  const proc = spec.process
  if (!proc) throw new TspodError('the spec has no process')
  if (!proc.args?.length) throw new TspodError('process.args must name the program to run')
  const cwd = containerPath(proc.cwd ?? '/', 'process.cwd')
  const merged = path.resolve(layout.mergedDir)
  if (spec.root?.path && path.resolve(spec.root.path) !== merged)
    throw new TspodError(`root.path \`${spec.root.path}\` is not the rootfs mount point \`${merged}\``)

  const {names: namespaces, joins} = planNamespaces(spec)
  const joined = joins.map((j) => j.namespace)
  if (layout.rootless && !namespaces.includes('user') && !joined.includes('user'))
    throw new TspodError('a rootless container needs a user namespace (linux.namespaces)')
  const nest = namespaces.includes('user') ? nestedUserns(spec, options.storeMapping) : undefined
  const mapping = namespaces.includes('user') ? (nest?.outer ?? planMapping(spec)) : undefined
  // a joined user namespace maps ids as the spec says (the donor's are the same store's): the steps follow them
  const idMaps = mapping ?? (joined.includes('user') ? planMapping(spec) : undefined)
  if (spec.hostname !== undefined && !namespaces.includes('uts'))
    throw new TspodError('unable to set hostname without a private UTS namespace')

  const steps: ChildStep[] = [
    {kind: 'mount', name: 'make `/` private', source: 'none', path: '/', flags: rootfsPropagation(spec)},
    ...(layout.mountedBy ? [] : rootfsSteps({...layout, mergedDir: merged})),
    {kind: 'mount', name: stepName(`bind \`${merged}\``), source: merged, path: merged, flags: MS.BIND | MS.REC},
    {kind: 'mount', name: stepName(`make \`${merged}\` private`), source: 'none', path: merged, flags: MS.PRIVATE},
    {kind: 'chdir', name: stepName(`chdir to \`${merged}\``), path: merged},
    ...rootfsMountSteps(nest ? nestedSpec(spec, nest) : spec, layout, [...namespaces, ...joined], idMaps),
    // pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only the container's.
    {kind: 'pivot_root', name: 'pivot_root', path: '.', source: '.'},
    {kind: 'umount_detach', name: 'unmount the old root', path: '.'},
    {kind: 'chdir', name: 'chdir to `/`', path: '/'},
  ]
  if (spec.root?.readonly)
    steps.push({
      kind: 'mount',
      name: 'remount `/` read-only',
      source: 'none',
      path: '/',
      flags: MS.BIND | MS.REMOUNT | MS.RDONLY,
      keepLockedFlags: true,
    })
  if (spec.hostname !== undefined) steps.push({kind: 'sethostname', name: 'sethostname', path: spec.hostname})
  // a new network namespace starts with lo down (planNamespaces refuses joined ones)
  if (namespaces.includes('net')) steps.push({kind: 'loopback_up', name: 'bring up lo'})
  if (nest) steps.push(nest.step)
  steps.push(...processSteps(spec, idMaps, options))

  return {
    namespaces,
    joins,
    mapping,
    steps,
    command: {file: proc.args[0], argv: [...proc.args], env: [...(proc.env ?? [])], cwd},
  }
}
