// config.json for an external runtime, Podman's rootless way: the runtime runs inside tspod's
// user namespace (where the overlay is already mounted), so the spec has no user namespace and
// no id maps — the runtime is already "root" of the mapped namespace. A container mapped
// otherwise (--userns=keep-id, nomap, auto) gets a user namespace nested in that one, with its
// maps in that namespace's ids, as Podman gives crun. A user namespace joined by path (a pod's, a
// --network container:X donor's) is the one the runtime itself runs in, so it leaves the spec too;
// the other namespaces joined by path (a named network's netns, a donor's) stay for the runtime to
// join. Everything else (mounts with their bind sources, process, hostname, capabilities,
// rlimits, masked and read-only paths, annotations such as keep-groups) is passed on unchanged.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {IdMapping} from '../../userns/idmap'
import {sysctlsForOuterWriter} from '../../specgen/sysctls'
import {OciDeviceCgroupRule, OciMount, OciSpec} from '../oci-spec'
import {isRootlessMapping, toRootlessIds} from '../spec/userns'

export const CONFIG_FILE = 'config.json'

/** RLIM_INFINITY as uint64; a JS number cannot hold it, so it is written out as text. */
const RLIM_INFINITY_TEXT = '18446744073709551615'
const RLIM_INFINITY_MARK = '\u0000rlim-infinity\u0000'

const HOST_SYS = {destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind']}

export interface ExternalSpecOptions {
  /** the network namespace is the helper's, set up by tspod */
  ownNetwork?: boolean
  /** the maps of the helper's user namespace (the store's); undefined as real root */
  rootless?: {uidMap: IdMapping[]; gidMap: IdMapping[]}
}

/** Whether a container mapped this way needs a user namespace of its own inside the store's. */
export function nestedUserNamespace(uidMappings: IdMapping[], gidMappings: IdMapping[], rootless: {uidMap: IdMapping[]; gidMap: IdMapping[]}): boolean {
  return !(isRootlessMapping(uidMappings, rootless.uidMap) && isRootlessMapping(gidMappings, rootless.gidMap))
}

/** The user namespace the spec joins by path: the runtime is started in it instead of one of tspod's making. */
export function joinedUserNamespace(spec: OciSpec): string | undefined {
  return spec.linux?.namespaces?.find((ns) => ns.type === 'user' && ns.path)?.path
}

export function externalRuntimeSpec(spec: OciSpec, rootfs: string, tty: boolean, options: ExternalSpecOptions = {}): OciSpec {
  const copy = structuredClone(spec) as OciSpec
  copy.root = {...copy.root, path: path.resolve(rootfs)}
  copy.process = {...copy.process, terminal: tty}
  const linux = copy.linux
  if (linux) {
    const rootless = options.rootless
    const nested = nestedFor(copy, options)
    const inherited = new Set([...(nested ? [] : ['user']), ...(options.ownNetwork ? ['network'] : [])])
    linux.namespaces = (linux.namespaces ?? []).filter((ns) => !inherited.has(ns.type))
    // The net.* sysctls of a network namespace the runtime does not make are tspod's helper's to
    // write (helperSysctls): runc refuses them in the namespace it runs in (tspod's own), and a
    // nested user namespace cannot write in one its parent owns (a named network's), which Podman
    // avoids by letting crun make that one and configuring it after.
    if (linux.sysctl && helperWritesNetSysctls(copy, options, nested)) {
      for (const key of Object.keys(netSysctls(linux.sysctl))) delete linux.sysctl[key]
      if (Object.keys(linux.sysctl).length === 0) delete linux.sysctl
    }
    if (nested) {
      linux.uidMappings = toRootlessIds(linux.uidMappings!, rootless!.uidMap)
      linux.gidMappings = toRootlessIds(linux.gidMappings!, rootless!.gidMap)
      // a network namespace tspod made or joins belongs to the outer user namespace: the nested
      // one cannot mount a sysfs for it, so /sys is the host's, read-only (Podman's canMountSys)
      const outerNetwork = options.ownNetwork || linux.namespaces.some((ns) => ns.type === 'network' && ns.path)
      if (outerNetwork) copy.mounts = copy.mounts?.map((m) => (m.type === 'sysfs' ? HOST_SYS : m))
    } else {
      delete linux.uidMappings
      delete linux.gidMappings
    }
    if (!rootless) linux.resources = {...linux.resources, devices: deviceCgroupRules(copy.mounts ?? [])}
  }
  return copy
}

function netSysctls(sysctl: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(sysctl).filter(([key]) => key.startsWith('net.')))
}

/** The network namespace the spec joins by path (a named network's, a donor's). */
export function joinedNetworkNamespace(spec: OciSpec): string | undefined {
  return spec.linux?.namespaces?.find((ns) => ns.type === 'network' && ns.path)?.path
}

function nestedFor(spec: OciSpec, options: ExternalSpecOptions): boolean {
  const {uidMappings, gidMappings} = spec.linux ?? {}
  return joinedUserNamespace(spec) === undefined && options.rootless !== undefined && uidMappings !== undefined && gidMappings !== undefined && nestedUserNamespace(uidMappings, gidMappings, options.rootless)
}

/** tspod's network namespace (the runtime runs in it), or a joined one below a nested user namespace. */
function helperWritesNetSysctls(spec: OciSpec, options: ExternalSpecOptions, nested: boolean): boolean {
  return options.ownNetwork === true || (nested && joinedNetworkNamespace(spec) !== undefined)
}

/**
 * The net.* sysctls tspod's helper writes, before the runtime runs, in the network namespace it
 * made (ownNetwork) or joins (helperNetworkNamespace), in the ids of its own user namespace:
 * those externalRuntimeSpec takes out of the runtime's spec.
 */
export function helperSysctls(spec: OciSpec, options: ExternalSpecOptions): Record<string, string> {
  const linux = spec.linux
  if (!linux?.sysctl) return {}
  const nested = nestedFor(spec, options)
  if (!helperWritesNetSysctls(spec, options, nested)) return {}
  const sysctls = netSysctls(linux.sysctl)
  // the runtime would write them in the container's user namespace: the helper's is the outer one
  return nested ? sysctlsForOuterWriter(sysctls, toRootlessIds(linux.gidMappings!, options.rootless!.gidMap)) : sysctls
}

/**
 * The network namespace the helper joins to write them: one joined by path below a nested user
 * namespace (it owns none of its own then); undefined when it writes in its own or writes none.
 */
export function helperNetworkNamespace(spec: OciSpec, options: ExternalSpecOptions): string | undefined {
  if (options.ownNetwork || Object.keys(helperSysctls(spec, options)).length === 0) return undefined
  return joinedNetworkNamespace(spec)
}

/**
 * As real root the runtime makes /dev itself, with mknod, so its /dev is not nodev: the device
 * cgroup is what stops a container with CAP_MKNOD opening a node it makes, as in Podman's specs
 * (deny all; the runtime allows its default devices). Devices bound in with --device are allowed.
 */
function deviceCgroupRules(mounts: OciMount[]): OciDeviceCgroupRule[] {
  const rules: OciDeviceCgroupRule[] = [{allow: false, access: 'rwm'}]
  for (const mount of mounts) {
    if (mount.type !== 'bind' || !mount.source) continue
    let st: fs.Stats
    try {
      st = fs.statSync(mount.source)
    } catch {
      continue
    }
    if (!st.isBlockDevice() && !st.isCharacterDevice()) continue
    const major = Math.floor(st.rdev / 256) & 0xfff
    const minor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00)
    rules.push({allow: true, type: st.isBlockDevice() ? 'b' : 'c', major, minor, access: 'rwm'})
  }
  return rules
}

/** The spec as JSON, with rlimits at or past 2^64 - 1 (or Infinity) written as RLIM_INFINITY. */
export function specJson(spec: OciSpec): string {
  const text = JSON.stringify(
    spec,
    function (key, value) {
      if ((key === 'soft' || key === 'hard') && typeof value === 'number' && value >= 2 ** 64 - 1) return RLIM_INFINITY_MARK
      return value
    },
    2,
  )
  return text.split(JSON.stringify(RLIM_INFINITY_MARK)).join(RLIM_INFINITY_TEXT)
}

/** Write `<bundleDir>/config.json` (owner-only: it holds the container's environment). */
export function writeBundleConfig(bundleDir: string, spec: OciSpec): string {
  const file = path.join(bundleDir, CONFIG_FILE)
  fs.writeFileSync(file, specJson(spec), {mode: 0o600})
  fs.chmodSync(file, 0o600)
  return file
}
