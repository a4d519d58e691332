// Copying a tree with everything it holds (owners, modes, times, hardlinks, device nodes,
// xattrs): the vfs driver's layers start as their parent's copy, and its containers' roots as
// their image's top layer's. `cp -a` does it; rootless stores run it as root of the store's user
// namespace, whose files belong to subordinate ids the host user cannot read or give.
import {spawnSync} from 'node:child_process'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {UserNamespaceMapping} from '../../userns/idmap'
import {spawnInNamespaces} from '../../userns/spawn'
import {collect} from './remove-tree'

const CP_ARGS = ['-a', '--reflink=auto', '--no-target-directory', '--']

function copyFailed(src: string, dest: string, stderr: string, status: string): TspodError {
  return new TspodError(`copying ${src} to ${dest}: ${stderr.trim().split('\n')[0] || `cp ${status}`}`)
}

/** Copy `src`'s tree into the existing dir `dest`, in this process's ids (real root, or a worker in the namespace). */
export function copyTree(src: string, dest: string): void {
  const cp = spawnSync('cp', [...CP_ARGS, src, dest], {env: {PATH: '/usr/bin:/bin', LC_ALL: 'C'}, encoding: 'utf8'})
  if (cp.error) throw new TspodError(`copying ${src}: ${cp.error.message}`)
  if (cp.status !== 0) throw copyFailed(src, dest, cp.stderr, `exit status ${cp.status}`)
}

/** Copy `src`'s tree into the existing dir `dest` as root of the store's user namespace (directly as real root). */
export async function copyTreeAsMappedRoot(src: string, dest: string, mapping: UserNamespaceMapping | undefined): Promise<void> {
  if (!mapping) return copyTree(src, dest)
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping,
    command: {file: '/bin/cp', argv: ['cp', ...CP_ARGS, path.resolve(src), path.resolve(dest)], env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
    stdio: ['inherit', 'inherit', 'pipe'],
  })
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== 0) throw copyFailed(src, dest, await stderr, exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`)
}
