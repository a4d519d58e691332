// Which owner a layer file needs so that a container with another id mapping sees the owner the
// store's default mapping shows. Ids are those of the store's user namespace, where layers are
// written: its id n is the container id n under the default rootless mapping (0 = the user,
// 1.. = the subordinate ranges), so a file owned by n there must become owned by the namespace
// id that the container's mapping gives container id n.
import {TspodError} from '../../../errors'
import type {IdMapping} from '../../../userns/idmap'

/** What the kernel shows for an id the namespace does not map (/proc/sys/kernel/overflowuid). */
export const OVERFLOW_ID = 65534

/** Namespace ids from..from+size-1 become to..to+size-1. */
export interface IdRange {
  from: number
  to: number
  size: number
}

export interface IdShift {
  ranges: IdRange[]
  /** the owner for ids the container cannot see; null when there is none to give */
  overflow: number | null
}

function storeIdOf(store: IdMapping[], hostID: number): {range: IdMapping; id: number} | undefined {
  const range = store.find((r) => hostID >= r.hostID && hostID < r.hostID + r.size)
  return range && {range, id: range.containerID + (hostID - range.hostID)}
}

function lookup(ranges: IdRange[], id: number): number | undefined {
  const r = ranges.find((x) => id >= x.from && id < x.from + x.size)
  return r && r.to + (id - r.from)
}

/**
 * The shift for a container whose `target` maps container ids to host ids, in a store written
 * through `store` (namespace id → host id). A container id the target maps outside the store's
 * namespace cannot be given to a file from inside it: refused.
 */
export function planIdShift(target: IdMapping[], store: IdMapping[]): IdShift {
  const ranges: IdRange[] = []
  for (const m of target) {
    let done = 0
    while (done < m.size) {
      const hostID = m.hostID + done
      const inside = storeIdOf(store, hostID)
      if (!inside)
        throw new TspodError(`container id ${m.containerID + done} maps to host id ${hostID}, outside the store's user namespace: cannot give layer files that owner`)
      const size = Math.min(m.size - done, inside.range.hostID + inside.range.size - hostID)
      ranges.push({from: m.containerID + done, to: inside.id, size})
      done += size
    }
  }
  return {ranges, overflow: lookup(ranges, OVERFLOW_ID) ?? unseenStoreId(ranges, store) ?? null}
}

/** A namespace id no container id maps to: the container sees a file it owns as the overflow id. */
function unseenStoreId(ranges: IdRange[], store: IdMapping[]): number | undefined {
  for (const r of store) {
    let id = r.containerID
    while (id < r.containerID + r.size) {
      const hit = ranges.find((x) => id >= x.to && id < x.to + x.size)
      if (!hit) return id
      id = hit.to + hit.size
    }
  }
  return undefined
}

/** The owner for a file now owned by namespace id `id` (a uid or a gid, with that kind's shift). */
export function shiftId(shift: IdShift, id: number, kind: 'uid' | 'gid', file: string): number {
  const to = lookup(shift.ranges, id) ?? shift.overflow
  if (to === null) throw new TspodError(`${file}: ${kind} ${id} has no owner in the container's user namespace`)
  return to
}
