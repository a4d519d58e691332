// Removing trees a rootless store writes: their files may belong to subordinate ids, which the
// host user cannot delete alone. (Kept apart from the unpack code so that removing a container
// does not load the tar machinery.)
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'

import {TspodError} from '../../errors'
import {UserNamespaceMapping} from '../../userns/idmap'
import {spawnInNamespaces} from '../../userns/spawn'

/** All of a child's output on `stream`, as text. */
export async function collect(stream: Readable): Promise<string> {
  let text = ''
  stream.on('data', (d: Buffer) => (text += d.toString()))
  await finished(stream).catch(() => undefined)
  return text
}

const PERMISSION_ERRORS = new Set(['EACCES', 'EPERM'])
const REMOVE_ATTEMPTS = 3

/**
 * Remove `entry` (not following symlinks, not crossing into another filesystem) as the host
 * user, making its own dirs searchable first (overlay leaves work/work at mode 000). False when
 * something in it is not the user's to remove; what could be removed is gone by then.
 */
function removeAsUser(entry: string, device?: number): boolean {
  let st: fs.Stats
  try {
    st = fs.lstatSync(entry)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw err
  }
  try {
    if (!st.isDirectory()) {
      fs.unlinkSync(entry)
      return true
    }
    if (device !== undefined && st.dev !== device) return false
    if (st.uid === process.getuid!() && (st.mode & 0o700) !== 0o700) fs.chmodSync(entry, 0o700)
    // a writer that was still finishing (a stopped container's monitor) may add an entry between
    // the listing and the rmdir: list again, a few times
    for (let attempt = 1; ; attempt++) {
      let removed = true
      for (const name of fs.readdirSync(entry)) removed = removeAsUser(path.join(entry, name), st.dev) && removed
      if (!removed) return false
      try {
        fs.rmdirSync(entry)
        return true
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt >= REMOVE_ATTEMPTS) throw err
      }
    }
  } catch (err) {
    if (PERMISSION_ERRORS.has((err as NodeJS.ErrnoException).code ?? '')) return false
    throw err
  }
}

/**
 * Remove trees holding files that may be owned by subordinate ids, which the host user cannot
 * delete alone. What the user can remove itself goes first, in process; anything left is removed
 * by `rm -rf` run as root of the user namespace (like `podman unshare rm -rf`). Without a
 * mapping (real root) trees are removed directly.
 */
export async function removeAsMappedRoot(dirs: string[], mapping: UserNamespaceMapping | undefined): Promise<void> {
  if (dirs.length === 0) return
  let absolute = dirs.map((d) => path.resolve(d))
  if (!mapping) {
    for (const dir of absolute) fs.rmSync(dir, {recursive: true, force: true})
    return
  }
  absolute = absolute.filter((dir) => !removeAsUser(dir))
  if (absolute.length === 0) return
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping,
    command: {
      file: '/bin/rm',
      argv: ['rm', '-rf', '--one-file-system', '--', ...absolute],
      env: ['PATH=/usr/bin:/bin', 'LC_ALL=C'],
    },
    stdio: ['inherit', 'inherit', 'pipe'],
  })
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== 0) {
    const first = (await stderr).trim().split('\n')[0]
    throw new TspodError(`removing ${absolute.join(', ')}: ${first || `rm exit status ${exit.code}`}`)
  }
}
