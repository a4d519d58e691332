// Mounting and unmounting in this process's own mount namespace (the `unshare` session's): the
// native child is spawned in no new namespace, so what its steps mount stays after it exits.
import * as fs from 'node:fs'

import type {ChildStep} from '../../native'
import type {Store} from '../../storage/store/store'
import {spawnInNamespaces} from '../../userns/spawn'
import {unshareSessionUid} from '../../userns/user'
import {stepName} from '../rootfs-mount'

/** Run mount steps here; a failing step throws with its name. */
export async function runMountSteps(steps: ChildStep[]): Promise<void> {
  const child = await spawnInNamespaces({namespaces: [], steps})
  await child.exited
}

/** /proc/self/mountinfo escapes space, tab, newline and backslash in octal. */
function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

/** Something is mounted on `dir` in this mount namespace. */
export function isMountPoint(dir: string): boolean {
  const table = fs.readFileSync('/proc/self/mountinfo', 'utf8')
  return table.split('\n').some((line) => line.split(' ')[4] !== undefined && unescapeMountinfo(line.split(' ')[4]) === dir)
}

/** Unmount `dir` if it is mounted here (a mount someone else undid is not an error). */
export async function unmountPoint(dir: string): Promise<void> {
  if (!isMountPoint(dir)) return
  await runMountSteps([{kind: 'umount', name: stepName(`unmount \`${dir}\``), path: dir}])
}

/**
 * The store's layers were written in the rootless user's namespace (their whiteouts are
 * user.overlay.* xattrs, read with userxattr), also when tspod runs inside `unshare` as its root.
 */
export function layersWrittenRootless(store: Store): boolean {
  return store.mapping !== undefined || unshareSessionUid() !== undefined
}
