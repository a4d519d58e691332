// `diff`: what a read-write layer (a container's upper dir, or an image's top layer) changed
// over the layers below it, as containers/storage's overlay driver reports it: a whiteout (a 0/0
// device or a `.wh.` file) is a deletion, an entry no lower layer has is an addition, one a lower
// layer has is a change (a dir only when its mode, owner or mtime differ: a dir's size is the file
// system's business), and the parent dir of an addition or deletion counts as changed.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, wrap} from '../../errors'
import {native} from '../../native'
import {OPAQUE_XATTRS, statRootfsPath} from '../../runtime/spec/rootfs-files'

/** Paths the runtime makes in a container's upper dir for its own mounts (libpod's initInodes), which `diff` leaves out. */
export const RUNTIME_MADE_PATHS = new Set([
  '/dev',
  '/etc/hostname',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/proc',
  '/run',
  '/run/notify',
  '/run/.containerenv',
  '/run/secrets',
  '/run/podman-init',
  '/sys',
])

export type ChangeKind = 'A' | 'C' | 'D'

export interface Change {
  kind: ChangeKind
  /** the path inside the container, "/etc/passwd" */
  path: string
}

function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0
}

/** AUFS-style whiteouts, as a layer keeps them where it cannot make 0/0 devices: `.wh.NAME` deletes NAME, `.wh..wh..opq` makes its dir opaque. */
const WHITEOUT_PREFIX = '.wh.'
const OPAQUE_MARKER = '.wh..wh..opq'

function isOpaque(hostPath: string): boolean {
  return OPAQUE_XATTRS.some((name) => native().getxattr(hostPath, name)?.toString('utf8') === 'y') || fs.existsSync(path.join(hostPath, OPAQUE_MARKER))
}

/** containers/storage's sameFsTime: equal to the nanosecond, or in the same second when one side has no nanoseconds. */
function sameTime(a: bigint, b: bigint): boolean {
  const second = 1_000_000_000n
  return a === b || (a / second === b / second && (a % second === 0n || b % second === 0n))
}

function sameDir(a: fs.BigIntStats, b: fs.BigIntStats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && sameTime(a.mtimeNs, b.mtimeNs)
}

/** The changes of `upper` over `lowers` (top first), sorted by path. */
export function layerChanges(upper: string, lowers: string[]): Change[] {
  const changes: Change[] = []
  const changedDirs = new Set<string>()
  const inLower = (inside: string) => (lowers.length > 0 ? statRootfsPath(lowers, inside, {followSymlinks: false}) : undefined)
  const walk = (dir: string, inside: string): void => {
    let names: string[]
    try {
      names = fs.readdirSync(dir).sort()
    } catch (err) {
      throw wrap(err, `reading ${inside} of the read-write layer (${dir})`)
    }
    for (const name of names) {
      if (name === OPAQUE_MARKER) continue
      const hostPath = path.join(dir, name)
      const at = path.posix.join(inside, name.startsWith(WHITEOUT_PREFIX) ? name.slice(WHITEOUT_PREFIX.length) : name)
      const st = fs.lstatSync(hostPath)
      let change: Change | undefined
      if (isWhiteout(st) || name.startsWith(WHITEOUT_PREFIX)) {
        change = {kind: 'D', path: at}
      } else if (st.isDirectory() && isOpaque(hostPath) && inLower(at)) {
        // a dir removed and made again hides everything below it
        change = {kind: 'D', path: at}
      } else {
        const lower = inLower(at)
        if (!lower) change = {kind: 'A', path: at}
        else if (!(st.isDirectory() && lower.type === 'directory' && sameDir(fs.lstatSync(hostPath, {bigint: true}), fs.lstatSync(lower.hostPath, {bigint: true})))) change = {kind: 'C', path: at}
      }
      if (st.isDirectory() && change) changedDirs.add(at)
      if (change && change.kind !== 'C' && inside !== '/' && !changedDirs.has(inside)) {
        changes.push({kind: 'C', path: inside})
        changedDirs.add(inside)
      }
      if (change) changes.push(change)
      if (st.isDirectory()) walk(hostPath, at)
    }
  }
  if (!fs.existsSync(upper)) throw new TspodError(`read-write layer ${upper} does not exist`)
  walk(upper, '/')
  const seen = new Set<string>()
  return changes
    .filter((c) => {
      const key = `${c.kind}${c.path}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
