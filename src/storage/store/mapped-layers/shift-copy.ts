// Copying one layer dir with its owners shifted (see id-shift.ts). Runs as root of the store's
// user namespace (the mapped-layers worker), or as real root. `cp -a` makes the copy: it keeps
// modes, times, symlinks, hardlinks, device nodes (overlay's 0/0 whiteouts, which the
// namespace's root may mknod) and xattrs (overlay's opaque marker among them; those it cannot set
// are skipped, as -a does). Then each inode is chowned once; a chown clears setuid/setgid and
// file capabilities, so those are put back.
import {spawnSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {native} from '../../../native'
import {IdShift, shiftId} from './id-shift'

export interface ShiftedCopyJob {
  /** a layer's diff dir */
  src: string
  /** where its copy goes; must not exist yet */
  dest: string
}

const CAPABILITY_XATTR = 'security.capability'

function copyTree(src: string, dest: string): void {
  const cp = spawnSync('cp', ['-a', '--reflink=auto', '--no-target-directory', '--', src, dest], {
    env: {PATH: '/usr/bin:/bin', LC_ALL: 'C'},
    encoding: 'utf8',
  })
  if (cp.error) throw new TspodError(`copying ${src}: ${cp.error.message}`)
  if (cp.status !== 0) {
    const first = cp.stderr.trim().split('\n')[0]
    throw new TspodError(`copying ${src} to ${dest}: ${first || `cp exit status ${cp.status}`}`)
  }
}

function capabilityOf(file: string, st: fs.Stats): Buffer | null {
  if (!st.isFile()) return null
  try {
    return native().getxattr(file, CAPABILITY_XATTR)
  } catch {
    return null
  }
}

function chownEntry(file: string, st: fs.Stats, uids: IdShift, gids: IdShift): void {
  const uid = shiftId(uids, st.uid, 'uid', file)
  const gid = shiftId(gids, st.gid, 'gid', file)
  if (uid === st.uid && gid === st.gid) return
  const capability = capabilityOf(file, st)
  try {
    fs.lchownSync(file, uid, gid)
    if (!st.isSymbolicLink() && (st.mode & 0o7000) !== 0) fs.chmodSync(file, st.mode & 0o7777)
  } catch (err) {
    throw new TspodError(`${file}: changing owner to ${uid}:${gid}: ${(err as Error).message}`, {cause: err})
  }
  if (capability) {
    try {
      native().setxattr(file, CAPABILITY_XATTR, capability)
    } catch {
      // file capabilities that this namespace's root cannot set again are lost, as with cp
    }
  }
}

/** Chown every inode under `root` once (hardlinks share theirs); returns the entries seen. */
function shiftOwners(root: string, uids: IdShift, gids: IdShift): number {
  const seen = new Set<string>()
  let entries = 0
  const pending = [root]
  while (pending.length > 0) {
    const file = pending.pop()!
    const st = fs.lstatSync(file)
    entries++
    if (st.isDirectory()) for (const name of fs.readdirSync(file)) pending.push(path.join(file, name))
    else if (st.nlink > 1) {
      const inode = `${st.dev}:${st.ino}`
      if (seen.has(inode)) continue
      seen.add(inode)
    }
    chownEntry(file, st, uids, gids)
  }
  return entries
}

/** Copy `job.src` to `job.dest` with every owner shifted; returns the entries copied. */
export function copyLayerShifted(job: ShiftedCopyJob, uids: IdShift, gids: IdShift): number {
  copyTree(job.src, job.dest)
  return shiftOwners(job.dest, uids, gids)
}
