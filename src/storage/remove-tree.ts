// Removing trees a rootless store writes: their files may belong to subordinate ids, which the
// host user cannot delete alone. (Kept apart from the unpack code so that removing a container
// does not load the tar machinery.)
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'

import {TspodError} from '../errors'
import {UserNamespaceMapping} from '../userns/idmap'
import {spawnInNamespaces} from '../userns/spawn'

/** All of a child's output on `stream`, as text. */
export async function collect(stream: Readable): Promise<string> {
  let text = ''
  stream.on('data', (d: Buffer) => (text += d.toString()))
  await finished(stream).catch(() => undefined)
  return text
}

/**
 * Remove trees holding files owned by subordinate ids, which the host user cannot delete alone:
 * `rm -rf` runs as root of the user namespace (like `podman unshare rm -rf`). Without a mapping
 * (real root) they are removed directly.
 */
export async function removeAsMappedRoot(dirs: string[], mapping: UserNamespaceMapping | undefined): Promise<void> {
  if (dirs.length === 0) return
  const absolute = dirs.map((d) => path.resolve(d))
  if (!mapping) {
    for (const dir of absolute) fs.rmSync(dir, {recursive: true, force: true})
    return
  }
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
