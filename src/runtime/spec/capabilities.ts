// Process capabilities as Podman computes them (containers/common pkg/capabilities and
// securityConfigureGenerator in pkg/specgen/generate/security_linux.go): the default set with
// --cap-add/--cap-drop applied, limited to what the tspod process's own bounding set holds.
import * as fs from 'node:fs'

import {UsageError} from '../../errors'
import {OciCapabilities} from '../oci-spec'

/** Capability names by number (linux/capability.h); the kernel's cap_last_cap says how many exist. */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
]

export const ALL = 'ALL'

/** The capabilities the running kernel knows (numbers 0..cap_last_cap), sorted by name. */
export function supportedCapabilities(lastCap: number = readLastCap()): string[] {
  return CAPABILITY_NAMES.slice(0, lastCap + 1).sort()
}

export function readLastCap(file = '/proc/sys/kernel/cap_last_cap'): number {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim())
    return Number.isInteger(n) ? n : CAPABILITY_NAMES.length - 1
  } catch {
    return CAPABILITY_NAMES.length - 1
  }
}

/** Names of the bits set in a capability mask as /proc/PID/status prints it (CapBnd: 000001ffffffffff). */
export function capabilitiesFromMask(hex: string, supported: string[]): string[] {
  const mask = BigInt(`0x${hex}`)
  return CAPABILITY_NAMES.filter((name, bit) => supported.includes(name) && (mask >> BigInt(bit)) & 1n).sort()
}

function readStatusMask(field: string, file: string): string | undefined {
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))
  return line?.slice(field.length + 1).trim()
}

/** The tspod process's bounding set: the most any container it starts can hold. */
export function readBoundingSet(supported: string[], file = '/proc/self/status'): string[] {
  const mask = readStatusMask('CapBnd', file)
  return mask ? capabilitiesFromMask(mask, supported) : [...supported]
}

/** The capabilities the tspod process holds now (CapEff). */
export function readEffectiveSet(supported: string[], file = '/proc/self/status'): string[] {
  const mask = readStatusMask('CapEff', file)
  return mask ? capabilitiesFromMask(mask, supported) : []
}

/** Upper-case, add the CAP_ prefix, keep ALL; an unknown name is an error (Podman's wording). */
export function normalizeCapabilities(caps: string[], supported: string[]): string[] {
  const out = caps.map((cap) => {
    let c = cap.toUpperCase()
    if (c === ALL) return c
    if (!c.startsWith('CAP_')) c = `CAP_${c}`
    if (!supported.includes(c)) throw new UsageError(`${JSON.stringify(c)}: unknown capability`)
    return c
  })
  return [...new Set(out)].sort()
}

export interface HostCapabilities {
  /** what the kernel supports */
  supported: string[]
  /** the tspod process's bounding set */
  bounding: string[]
}

/** containers/common MergeCapabilities: `base` with `adds` added and `drops` removed, sorted. */
export function mergeCapabilities(base: string[], adds: string[], drops: string[], host: HostCapabilities): string[] {
  let start = normalizeCapabilities(base, host.supported)
  if (adds.length === 0 && drops.length === 0) return start
  const capDrop = normalizeCapabilities(drops, host.supported)
  let capAdd = normalizeCapabilities(adds, host.supported)
  if (capDrop.includes(ALL)) {
    if (capAdd.includes(ALL)) throw new UsageError('adding all caps and removing all caps not allowed')
    return capAdd
  }
  if (capAdd.includes(ALL)) {
    start = [...host.bounding]
    capAdd = []
  }
  for (const cap of capAdd) {
    if (capDrop.includes(cap)) throw new UsageError(`capability ${JSON.stringify(cap)} cannot be dropped and added`)
  }
  const caps = start.filter((c) => !capDrop.includes(c))
  for (const cap of capAdd) if (!caps.includes(cap)) caps.push(cap)
  return caps.sort()
}

export interface CapabilityRequest {
  /** Podman's default_capabilities */
  defaults: string[]
  capAdd?: string[]
  capDrop?: string[]
  /** the user spec in effect (--user or the image's User) */
  user: string
  /** --userns=keep-id chose the user (no --user, no image User): Podman treats it as non-root, even uid 0 */
  keepIdUser?: boolean
  host: HostCapabilities
}

/** True for the users Podman treats as root: none given, "root" or "0" (a group part is ignored). */
export function isRootUserSpec(user: string): boolean {
  const name = user.split(':')[0]
  return name === '' || name === 'root' || name === '0'
}

/**
 * process.capabilities: root gets the merged set as bounding, effective and permitted; any
 * other user keeps the merged set only as bounding and holds just its --cap-add capabilities,
 * also as ambient and inheritable so they survive the exec. Inheritable is otherwise empty, as
 * the kernel does.
 */
export function processCapabilities(request: CapabilityRequest): OciCapabilities {
  const {host} = request
  const inBounding = (caps: string[]): string[] => caps.filter((c) => host.bounding.includes(c))
  const bounding = inBounding(mergeCapabilities(request.defaults, request.capAdd ?? [], request.capDrop ?? [], host))
  if (isRootUserSpec(request.user) && !request.keepIdUser) return {bounding, effective: [...bounding], permitted: [...bounding], inheritable: [], ambient: []}
  const userCaps = inBounding(mergeCapabilities([], request.capAdd ?? [], [], host))
  return {bounding, effective: userCaps, permitted: [...userCaps], inheritable: [...userCaps], ambient: [...userCaps]}
}
