// `--userns`: the container's user namespace as Podman sets it up (pkg/namespaces UsernsMode,
// pkg/util getRootlessKeepIDMapping). Supported: "" and "host" (the rootless default: the user
// is root, the subordinate ranges follow) and keep-id[:uid=UID,gid=GID,size=SIZE], parsed by
// specgen/userns.ts.
//
// Podman computes the keep-id maps in the coordinates of its own rootless namespace (0 = the
// user, 1.. = the subordinate ranges) and runs the container in a namespace nested inside it.
// tspod has no intermediate namespace, so the same maps are composed with the rootless maps
// into host ids: the kernel sees exactly the ids Podman's nested namespace ends up with.
import {TspodError} from '../../errors'
import type {UsernsMode} from '../../specgen/container-spec'
import {sameIdMapping} from '../../userns/idmap'
import {OciIdMapping} from '../oci-spec'

export interface KeepIdResult {
  uidMappings: OciIdMapping[]
  gidMappings: OciIdMapping[]
  /** the container ids the host user's uid and gid appear as */
  uid: number
  gid: number
}

/** Podman's keep-id maps, in the ids of the rootless namespace (0 = the user, 1.. = its ranges). */
function keepIdInRootlessIds(id: number, rangeSize: number, maxSize: number | undefined): OciIdMapping[] {
  const max = maxSize !== undefined && maxSize > 0 ? Math.min(rangeSize, maxSize - 1) : rangeSize
  const map: OciIdMapping[] = []
  if (rangeSize > 0 && id !== 0) map.push({containerID: 0, hostID: 1, size: Math.min(id, max)})
  map.push({containerID: id, hostID: 0, size: 1})
  if (max > id) map.push({containerID: id + 1, hostID: id + 1, size: max - id})
  return map
}

/** Rewrite maps whose hostIDs are ids of the rootless namespace into host ids through its maps. */
function compose(inner: OciIdMapping[], rootless: OciIdMapping[]): OciIdMapping[] {
  const out: OciIdMapping[] = []
  for (const m of inner) {
    let done = 0
    while (done < m.size) {
      const id = m.hostID + done
      const outer = rootless.find((r) => id >= r.containerID && id < r.containerID + r.size)
      if (!outer) throw new TspodError(`id ${id} is outside the rootless user namespace`)
      const size = Math.min(m.size - done, outer.containerID + outer.size - id)
      out.push({containerID: m.containerID + done, hostID: outer.hostID + (id - outer.containerID), size})
      done += size
    }
  }
  return out
}

/** The ids of the rootless namespace past 0: the subordinate ranges (0 when there are none). */
function rangeSize(rootless: OciIdMapping[]): number {
  return rootless.filter((m) => m.containerID > 0).reduce((sum, m) => sum + m.size, 0)
}

/**
 * --userns=keep-id for a rootless user: the user's own uid/gid (or uid=/gid=) inside, container
 * ids below it on the first subordinate ids, those above it on the rest of the range. Without
 * subordinate ranges only the user's own ids are mapped.
 */
export function keepIdMappings(
  mode: Extract<UsernsMode, {kind: 'keep-id'}>,
  rootless: {uidMappings: OciIdMapping[]; gidMappings: OciIdMapping[]},
  hostUser: {uid: number; gid: number},
): KeepIdResult {
  const uid = mode.uid ?? hostUser.uid
  const gid = mode.gid ?? hostUser.gid
  const uidMap = keepIdInRootlessIds(uid, rangeSize(rootless.uidMappings), mode.size)
  const gidMap = keepIdInRootlessIds(gid, rangeSize(rootless.gidMappings), mode.size)
  return {uidMappings: compose(uidMap, rootless.uidMappings), gidMappings: compose(gidMap, rootless.gidMappings), uid, gid}
}

/**
 * The inverse of the composition above: maps whose hostIDs are host ids, rewritten into the ids
 * of the rootless namespace. An external runtime (crun, runc) runs inside that namespace, so a
 * keep-id container's maps must reach it in these ids, as Podman hands them to crun.
 */
export function toRootlessIds(hostMappings: OciIdMapping[], rootless: OciIdMapping[]): OciIdMapping[] {
  const inverse = rootless.map((m) => ({containerID: m.hostID, hostID: m.containerID, size: m.size}))
  return compose(hostMappings, inverse)
}

/** True when the maps are the rootless namespace's own (no keep-id): an external runtime needs no user namespace of its own. */
export function isRootlessMapping(mappings: OciIdMapping[] | undefined, rootless: OciIdMapping[]): boolean {
  return mappings === undefined || sameIdMapping(mappings, rootless)
}
