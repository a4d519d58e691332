// /proc/self/mountinfo (proc(5)): which mount holds a path, with which options, and which
// mounts sit below a dir. Mount points escape space, tab, newline and backslash as \ooo.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../../errors'

export interface MountEntry {
  id: number
  parentId: number
  /** "major:minor" */
  device: string
  /** the dir of the source filesystem that is mounted (bind mounts) */
  root: string
  mountPoint: string
  /** per-mount options: rw, noexec, nosuid, nodev, relatime... */
  options: string[]
  /** optional fields such as shared:1 */
  propagation: string[]
  fsType: string
  source: string
  /** per-superblock options (for FUSE: user_id=, group_id=) */
  superOptions: string[]
}

export const MOUNTINFO_FILE = '/proc/self/mountinfo'

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
}

export function parseMountInfo(text: string, file = MOUNTINFO_FILE): MountEntry[] {
  const mounts: MountEntry[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    const fields = line.split(' ')
    const sep = fields.indexOf('-', 6)
    if (fields.length < 10 || sep < 0 || fields.length < sep + 4)
      throw new TspodError(`${file}:${index + 1}: malformed line "${line}"`, {path: file})
    mounts.push({
      id: Number(fields[0]),
      parentId: Number(fields[1]),
      device: fields[2],
      root: unescape(fields[3]),
      mountPoint: unescape(fields[4]),
      options: fields[5].split(','),
      propagation: fields.slice(6, sep),
      fsType: fields[sep + 1],
      source: unescape(fields[sep + 2]),
      superOptions: fields[sep + 3].split(','),
    })
  })
  return mounts
}

export function readMountInfo(file = MOUNTINFO_FILE): MountEntry[] {
  try {
    return parseMountInfo(fs.readFileSync(file, 'utf8'), file)
  } catch (err) {
    if (err instanceof TspodError) throw err
    throw new TspodError(`reading ${file}: ${(err as Error).message}`, {code: (err as NodeJS.ErrnoException).code, path: file, cause: err})
  }
}

function isWithin(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(dir + '/')
}

/** The mount that holds `p` (an absolute path, symlinks already resolved): the longest mount
 * point above it; of several on the same point, the last one mounted (it hides the others). */
export function mountFor(p: string, mounts: MountEntry[]): MountEntry | undefined {
  const target = path.resolve(p)
  let best: MountEntry | undefined
  for (const m of mounts) {
    if (!isWithin(target, m.mountPoint)) continue
    if (!best || m.mountPoint.length >= best.mountPoint.length) best = m
  }
  return best
}

/** Mounts whose mount point lies strictly below `dir`, deepest first (the order to unmount). */
export function mountsBelow(dir: string, mounts: MountEntry[]): MountEntry[] {
  const base = path.resolve(dir)
  return mounts
    .filter((m) => m.mountPoint !== base && isWithin(m.mountPoint, base))
    .reverse()
    .sort((a, b) => b.mountPoint.split('/').length - a.mountPoint.split('/').length)
}
