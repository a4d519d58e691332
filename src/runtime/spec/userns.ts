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

/** --userns=nomap: the container's ids on the subordinate ranges only; the user's own id stays out. */
export function nomapMappings(rootless: OciIdMapping[]): OciIdMapping[] {
  const size = rangeSize(rootless)
  if (size === 0) throw new TspodError('nomap: the user has no subordinate ids (/etc/subuid, /etc/subgid) to map')
  return compose([{containerID: 0, hostID: 1, size}], rootless)
}

/** containers/storage's auto_userns_min_size and auto_userns_max_size defaults. */
export const AUTO_USERNS_MIN_SIZE = 1024
export const AUTO_USERNS_MAX_SIZE = 65536
/** the overflow id ("nobody"), which containers/storage leaves out of an image's highest id */
const OVERFLOW_ID = 65534

/** The size containers/storage gives an auto namespace without size=: the image's highest id + 1, at least the minimum. */
export function autoUsernsSize(imageIds: number[]): number {
  const highest = Math.max(0, ...imageIds.filter((id) => id !== OVERFLOW_ID))
  return Math.min(AUTO_USERNS_MAX_SIZE, Math.max(AUTO_USERNS_MIN_SIZE, highest + 1))
}

type Interval = [number, number]

/** [from, to) intervals of `within` that none of `out` covers, in order. */
function subtract(within: Interval, out: Interval[]): Interval[] {
  const free: Interval[] = []
  let start = within[0]
  for (const [from, to] of [...out].sort((a, b) => a[0] - b[0])) {
    if (to <= start) continue
    if (from >= within[1]) break
    if (from > start) free.push([start, from])
    start = Math.max(start, to)
  }
  if (start < within[1]) free.push([start, within[1]])
  return free
}

/**
 * --userns=auto, in the ids of the rootless namespace as containers/storage picks them: the
 * container ids 0..size-1 that `additional` (uidmapping=/gidmapping=, given in rootless ids) does
 * not map, in order, on the subordinate ids (1.. of the rootless namespace) that neither another
 * auto container's maps (`taken`, host ids) nor `additional` use; then `additional` itself.
 * Composed into host ids.
 */
export function autoMappings(size: number, rootless: OciIdMapping[], taken: OciIdMapping[][], additional: OciIdMapping[] = []): OciIdMapping[] {
  const total = Math.max(size, ...additional.map((m) => m.containerID + m.size))
  const end = 1 + rangeSize(rootless)
  const used: Interval[] = [
    ...taken.flatMap((maps) => toRootlessIds(maps, rootless)).map((m): Interval => [m.hostID, m.hostID + m.size]),
    ...additional.map((m): Interval => [m.hostID, m.hostID + m.size]),
  ]
  const free = subtract([1, end], used)
  const wanted = subtract([0, total], additional.map((m): Interval => [m.containerID, m.containerID + m.size]))
  const need = wanted.reduce((sum, [from, to]) => sum + to - from, 0)
  const have = free.reduce((sum, [from, to]) => sum + to - from, 0)
  if (total === 0 || need > have)
    throw new TspodError(`not enough unused IDs in user namespace: --userns=auto needs ${need} of the ${end - 1} subordinate ids, ${have} of them unused by other containers`)
  const out: OciIdMapping[] = []
  let f = 0
  for (const [from, to] of wanted) {
    let id = from
    while (id < to) {
      const [hostFrom, hostTo] = free[f]
      const n = Math.min(to - id, hostTo - hostFrom)
      out.push({containerID: id, hostID: hostFrom, size: n})
      id += n
      free[f] = [hostFrom + n, hostTo]
      if (free[f][0] === hostTo) f++
    }
  }
  return compose([...out, ...additional], rootless)
}
