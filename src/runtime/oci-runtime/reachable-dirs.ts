// A container with a user namespace of its own (--userns=nomap, auto, keep-id) run by an external
// runtime: the runtime mounts its rootfs and binds as the container's root, a subordinate id
// that is neither the owner of the user's 0700 store dirs nor in their group, and whose
// capabilities do not count on them (the user's ids are not mapped there). Podman makes every dir
// on the way searchable by all (--x--x--x added, libpod's makeAccessible on the run dir, the
// mount point, the static dir and the volume path); tspod does the same for the same dirs.
import * as fs from 'node:fs'
import * as path from 'node:path'

/**
 * Add --x--x--x to `dir` and each dir above it that lacks it, up to `/`, unless it is owned by
 * the container's root (`rootUid`:`rootGid`, host ids). Dirs that are not the caller's to chmod
 * are left as they are: the permission preflight names them if the runtime cannot pass them.
 */
export function makeSearchable(dir: string, rootUid: number, rootGid: number): void {
  const uid = process.getuid?.()
  for (let current = path.resolve(dir); current !== path.dirname(current); current = path.dirname(current)) {
    let st: fs.Stats
    try {
      st = fs.statSync(current)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    if (st.uid === rootUid && st.gid === rootGid) continue
    if ((st.mode & 0o111) === 0o111 || (uid !== undefined && uid !== 0 && st.uid !== uid)) continue
    fs.chmodSync(current, (st.mode & 0o7777) | 0o111)
  }
}
