// The permission preflight for a container run by an external runtime (issue #6).
//
// tspod's native runtime mounts the rootfs and pivots into it before it sets the container's
// groups, so a store dir reachable only through a supplementary group works there. crun does it
// the other way round: it calls setgroups (dropping the caller's groups) and only then makes the
// rootfs' parent private and mounts it, which fails with "Permission denied" on such a dir
// (crun#1483; reproduced in test/runtime/oci-runtime). crun before 1.10 also opens bind-mount
// sources after setgroups. So, unless the groups are kept (--group-add=keep-groups, or a single
// mapping whose setgroups is denied), such a dir stops the run here with the dir and the fixes.
// runc mounts the rootfs and the binds before it sets the groups: for runc these are warnings.
import * as path from 'node:path'

import {TspodError} from '../../errors'
import type {AccessWalk, NestedRoot} from '../../storage/store/preflight/access-walk'
import type {AccessFinding} from '../../storage/store/preflight/finding-text'
import {PreflightPath, checkPaths, findingsOf} from '../../storage/store/preflight/preflight'
import type {IdMapping, UserNamespaceMapping} from '../../userns/idmap'
import {HostUser, currentUser} from '../../userns/user'
import type {OciMount} from '../oci-spec'
import type {RootfsLayout} from '../plan'
import {namespacePath, rootfsPreflightPaths} from '../preflight-paths'
import {nestedUserNamespace} from './bundle'
import {OciRuntimeInfo, versionAtLeast} from './resolve'

export interface OciRuntimeAccessInput {
  runtime: OciRuntimeInfo
  layout: RootfsLayout
  mounts: OciMount[]
  mapping?: UserNamespaceMapping
  /** the container's id maps (host ids); with a mapping other than the store's, the runtime works in a nested user namespace */
  containerMaps?: {uidMappings?: IdMapping[]; gidMappings?: IdMapping[]}
  keepGroups: boolean
  user?: HostUser
}

export interface OciRuntimeAccess {
  walks: AccessWalk[]
  /** findings that do not stop the run, one line each */
  warnings: string[]
}

const BIND_ROLE = 'bind mount source'

/** The first crun that opens bind-mount sources before setgroups when it runs in a user namespace (commit 122f8aed). */
const CRUN_BINDS_BEFORE_SETGROUPS = '1.10'

function bindSources(mounts: OciMount[]): OciMount[] {
  const binds = mounts.filter(
    (m) => (m.type === 'bind' || m.options?.some((o) => o === 'bind' || o === 'rbind')) && m.source && path.isAbsolute(m.source),
  )
  // the runtime binds /dev, /proc and /sys from the host itself: nothing of the user's there
  return binds.filter((m) => !/^\/(dev|proc|sys)(\/|$)/.test(m.source!))
}

/** Whether this runtime drops the supplementary groups before it reaches a path of this role. */
function dropsGroupsBefore(runtime: OciRuntimeInfo, role: string): boolean {
  if (runtime.kind === 'runc') return false
  if (role !== BIND_ROLE) return true
  return !(runtime.kind === 'crun' && versionAtLeast(runtime.version, CRUN_BINDS_BEFORE_SETGROUPS))
}

function describeRuntime(runtime: OciRuntimeInfo): string {
  return runtime.version ? `${runtime.name} ${runtime.version}` : runtime.name
}

function fatalMessage(finding: AccessFinding, runtime: OciRuntimeInfo): string {
  const why = finding.role === BIND_ROLE ? 'before it mounts the bind-mount sources' : "before it mounts the container's rootfs"
  return (
    `${finding.message}: ${describeRuntime(runtime)} sets the container's groups ${why}; ` +
    `fix: ${finding.fix}; or run it without --runtime (tspod's own runtime mounts the rootfs before it sets the groups)`
  )
}

function warningText(finding: AccessFinding, runtime: OciRuntimeInfo): string {
  if (finding.kind === 'supplementary-group-only') {
    const why = finding.message.split('; inside the user namespace')[0]
    return `${why}; ${describeRuntime(runtime)} mounts the rootfs and the volumes before it sets the container's groups, so this run works, but crun fails here with "Permission denied"; fix: ${finding.fix}`
  }
  return `${finding.message}; fix: ${finding.fix}`
}

const ROOTFS_ROLE = 'container root'

/** The host ids of container id `id` under `map`. */
function hostIdOf(map: IdMapping[], id: number): number | undefined {
  const m = map.find((e) => id >= e.containerID && id < e.containerID + e.size)
  return m && m.hostID + (id - m.containerID)
}

function nestedRootOf(input: OciRuntimeAccessInput): NestedRoot | undefined {
  const maps = input.containerMaps
  if (!input.mapping || !maps?.uidMappings || !maps.gidMappings) return undefined
  if (!nestedUserNamespace(maps.uidMappings, maps.gidMappings, input.mapping)) return undefined
  const uid = hostIdOf(maps.uidMappings, 0)
  const gid = hostIdOf(maps.gidMappings, 0)
  if (uid === undefined || gid === undefined) return undefined
  return {uid, gid, uidMap: maps.uidMappings, gidMap: maps.gidMappings}
}

/**
 * Walk every dir the runtime will need (layers, upper, work, merged, bind-mount sources) the way
 * the kernel will once the runtime has set the container's groups; throw for a dir the runtime
 * cannot reach then, and return the other findings as warnings.
 */
export function checkOciRuntimeAccess(input: OciRuntimeAccessInput): OciRuntimeAccess {
  const {layout} = input
  const paths: PreflightPath[] = [
    ...rootfsPreflightPaths(layout, input.mapping),
    ...bindSources(input.mounts).map((m) => namespacePath(input.mapping, m.source!, m.options?.includes('ro') ? 'read' : 'write', BIND_ROLE)),
  ]
  const user = input.user ?? currentUser()
  const walks = checkPaths(paths, user, {mapping: input.mapping, keepGroups: input.keepGroups})
  // in a nested user namespace the runtime reaches the rootfs and the bind sources as its root
  const nestedRoot = nestedRootOf(input)
  if (nestedRoot) walks.push(...checkPaths(paths.filter((p) => p.role === ROOTFS_ROLE || p.role === BIND_ROLE), user, {mapping: input.mapping, nestedRoot}))
  const findings = findingsOf(walks).filter((f) => f.severity !== 'info')
  const fatal = findings.find(
    (f) =>
      f.kind === 'nested-root-denied' ||
      (f.kind === 'supplementary-group-only' && dropsGroupsBefore(input.runtime, f.role)) ||
      (f.severity === 'error' && f.role === BIND_ROLE),
  )
  if (fatal) {
    const message = fatal.kind === 'supplementary-group-only' ? fatalMessage(fatal, input.runtime) : `${fatal.message}; fix: ${fatal.fix}`
    throw new TspodError(message, {path: fatal.path, code: 'EACCES'})
  }
  return {walks, warnings: [...new Set(findings.map((f) => warningText(f, input.runtime)))]}
}
