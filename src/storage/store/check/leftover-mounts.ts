// Mounts left below tspod's dirs in this mount namespace (tspod's rootless mounts live in
// private namespaces and never show here), and which of them the user can undo without root:
// shared by `system check` and `doctor`.
import {execFile} from 'node:child_process'
import * as fs from 'node:fs'
import {promisify} from 'node:util'

import {MountEntry} from '../preflight/mountinfo'

const execFileAsync = promisify(execFile)

export function fusermountProgram(): string | undefined {
  for (const p of ['/usr/bin/fusermount3', '/bin/fusermount3', '/usr/bin/fusermount', '/bin/fusermount']) if (fs.existsSync(p)) return p
  return undefined
}

/** Mounts a rootless user may undo: FUSE mounts it made itself; as root (uid undefined), any. */
export function unmountableBy(uid: number | undefined, m: MountEntry): boolean {
  if (uid === undefined) return true
  return m.fsType.startsWith('fuse') && m.superOptions.includes(`user_id=${uid}`) && fusermountProgram() !== undefined
}

/** Unmount `m`: fusermount -u when rootless, umount as root. */
export async function unmount(m: MountEntry, rootless: boolean): Promise<void> {
  if (rootless) await execFileAsync(fusermountProgram()!, ['-u', m.mountPoint], {timeout: 10_000})
  else await execFileAsync('umount', [m.mountPoint], {timeout: 10_000})
}
