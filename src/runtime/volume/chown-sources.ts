// The `U` volume option (-v SRC:DST:U, --mount …,U): before each start, the mount's source (a
// host dir or a named volume's data) is given to the container's process user, as Podman's
// ChangeHostPathOwnership does: recursively, unless the source itself already has that owner
// (then nothing below it is touched). Run as the store's mapped root, so any id of the
// container can be given; the ids are those of the process user in the store's namespace.
import {execFile} from 'node:child_process'
import * as path from 'node:path'
import {promisify} from 'node:util'

import {TspodError} from '../../errors'
import {spawnInNamespaces} from '../../userns/spawn'
import type {UserNamespaceMapping} from '../../userns/idmap'
import {collect} from '../../storage/store/remove-tree'
import type {MountSpec} from '../../specgen/container-spec'
import type {ProcessUser} from './prepare'

const SCRIPT = `owner=$1; shift
for src in "$@"; do
  [ "$(stat -c %u:%g -- "$src")" = "$owner" ] || chown -R -h -- "$owner" "$src"
done`

/** The sources of the mounts that carry U: bind sources as given, named volumes by their data dir. */
export function sourcesToChown(mounts: MountSpec[], volumeSource: (name: string) => string): string[] {
  return mounts.flatMap((m) => (!m.options.includes('U') ? [] : m.type === 'bind' ? [m.source] : m.type === 'volume' ? [volumeSource(m.name)] : []))
}

export async function chownSources(mapping: UserNamespaceMapping | undefined, sources: string[], user: ProcessUser): Promise<void> {
  if (sources.length === 0) return
  const owner = `${user.uid}:${user.gid}`
  const argv = ['sh', '-c', SCRIPT, 'sh', owner, ...sources.map((s) => path.resolve(s))]
  if (!mapping) {
    try {
      await promisify(execFile)('/bin/sh', argv.slice(1))
    } catch (err) {
      throw new TspodError(`changing the owner of ${sources.join(', ')} to ${owner}: ${String((err as {stderr?: string}).stderr ?? (err as Error).message).trim()}`)
    }
    return
  }
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping,
    command: {file: '/bin/sh', argv, env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
    stdio: ['inherit', 'inherit', 'pipe'],
  })
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== 0) throw new TspodError(`changing the owner of ${sources.join(', ')} to ${owner}: ${(await stderr).trim().split('\n')[0] || `exit status ${exit.code}`}`)
}
