// --sysctl KEY=VALUE and containers.conf's default_sysctls, as Podman 4.3.1 takes them
// (pkg/util ValidateSysctls; pkg/specgen/generate's merge into the spec).
import {UsageError} from '../errors'

/** The namespaced sysctls a container may set: these keys, and any key under these prefixes. */
const ALLOWED_KEYS = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'])
const ALLOWED_PREFIXES = ['net.', 'fs.mqueue.']

/** containers/common's default_sysctls when containers.conf sets none: ICMP echo sockets for the container's root group. */
export const DEFAULT_SYSCTLS = ['net.ipv4.ping_group_range=0 0']

/** KEY=VALUE items checked as Podman does; a later item sets its key again. */
export function parseSysctls(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const value of values) {
    // Podman splits at every '=' and keeps the first two parts, so a second '=' fails its re-join check
    const parts = value.split('=')
    if (parts.length < 2) throw new UsageError(`${value} is invalid, sysctl values must be in the form of KEY=VALUE`)
    const [key, setting] = parts
    if (`${key.trim()}=${setting.trim()}` !== value) throw new UsageError(`'${value}' is invalid, extra spaces found`)
    if (!ALLOWED_KEYS.has(key) && !ALLOWED_PREFIXES.some((p) => key.startsWith(p))) throw new UsageError(`sysctl '${key}' is not allowed`)
    out.set(key, setting)
  }
  return out
}

/** How the container has each namespace a sysctl lives in. */
export interface SysctlNamespaces {
  /** the network namespace: its own, the host's, or joined (another container's, a pod's) */
  network: 'own' | 'host' | 'joined'
  ipc: 'own' | 'host' | 'joined'
  uts: 'own' | 'host' | 'joined'
}

type Namespace = keyof SysctlNamespaces

const NAMESPACE_TITLE: Record<Namespace, string> = {network: 'Network', ipc: 'IPC', uts: 'UTS'}

/** The namespace a sysctl key belongs to, when it is one Podman checks. */
function namespaceOf(key: string): Namespace | undefined {
  if (key.startsWith('net.')) return 'network'
  if (key.startsWith('fs.mqueue.')) return 'ipc'
  if (key.startsWith('kernel.domainname') || key.startsWith('kernel.hostname')) return 'uts'
  return undefined
}

const PING_GROUP_RANGE = 'net.ipv4.ping_group_range'

/** The two gids of a ping_group_range value; undefined when it is not two whole numbers. */
function groupRange(value: string): [number, number] | undefined {
  const ids = value.trim().split(/\s+/).map(Number)
  return ids.length === 2 && ids.every((id) => Number.isSafeInteger(id) && id >= 0) ? [ids[0], ids[1]] : undefined
}

/**
 * The gid of a ping_group_range value the container's user namespace does not map: the kernel
 * takes both ends as ids of the writer's namespace and refuses an unmapped one (EINVAL).
 */
function unmappedGroup(key: string, value: string, hasGroup: (gid: number) => boolean): number | undefined {
  if (key !== PING_GROUP_RANGE) return undefined
  return groupRange(value)?.find((gid) => !hasGroup(gid))
}

/**
 * linux.sysctl of the spec: containers.conf's defaults, each left out (with an info line) when the
 * container does not own its namespace (the host's, or one it joins, whose owner has it set),
 * then the user's --sysctl over them; a --sysctl for a namespace of the host fails. hasGroup says
 * whether the container's user namespace maps a gid (all, without one): a default
 * ping_group_range naming a group the container cannot have (gid 0 under --userns=keep-id with a
 * single-id map) is left out, as it could allow no process of the container; the user's own fails.
 */
export function mergeSysctls(
  defaults: Map<string, string>,
  own: Map<string, string>,
  namespaces: SysctlNamespaces,
  hasGroup: (gid: number) => boolean = () => true,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of defaults) {
    const ns = namespaceOf(key)
    if ((ns === undefined || namespaces[ns] === 'own') && unmappedGroup(key, value, hasGroup) === undefined) out[key] = value
  }
  for (const [key, value] of own) {
    const ns = namespaceOf(key)
    if (ns && namespaces[ns] === 'host') throw new UsageError(`sysctl ${key}=${value} can't be set since ${NAMESPACE_TITLE[ns]} Namespace set to host: invalid argument`)
    const gid = unmappedGroup(key, value, hasGroup)
    if (gid !== undefined) throw new UsageError(`sysctl ${key}=${value} can't be set since the container's user namespace does not map gid ${gid}: invalid argument`)
    out[key] = value
  }
  return out
}

/**
 * The sysctls as a process of an outer user namespace must write them for the container: the gids
 * of ping_group_range are read in the writer's namespace, and the container's map (container id
 * to outer id) says which they are there. An empty range or an unmapped id is left as given.
 */
export function sysctlsForOuterWriter(sysctls: Record<string, string>, gidMap: readonly {containerID: number; hostID: number; size: number}[]): Record<string, string> {
  const value = sysctls[PING_GROUP_RANGE]
  if (value === undefined) return sysctls
  const ids = value.trim().split(/\s+/).map(Number)
  if (ids.length !== 2 || !ids.every(Number.isInteger) || ids[0] > ids[1]) return sysctls
  const outer = ids.map((id) => gidMap.find((m) => id >= m.containerID && id < m.containerID + m.size))
  if (outer.some((m) => m === undefined)) return sysctls
  return {...sysctls, [PING_GROUP_RANGE]: ids.map((id, i) => id - outer[i]!.containerID + outer[i]!.hostID).join(' ')}
}
