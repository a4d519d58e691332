// The container's side of `cp`: a child confined to the container's root, as its root user, runs
// the container's own `sh` and `tar`. The container is hostile, so nothing of it runs with a view
// of the host: a running container is entered by joining its user and mount namespaces (its
// volumes and tmpfs mounts are seen, and its root is the child's); a stopped one gets its rootfs
// mounted in a new user and mount namespace, pivot_root into it, the host's root detached. Every
// container path is then resolved by the kernel inside that root. What comes back is only a tar
// stream and a line of text, both checked by the host side (copy.ts).
import * as fs from 'node:fs'
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'

import {TspodError} from '../../errors'
import type {ChildStep, StdioSpec} from '../../native'
import type {Store} from '../../storage/store/store'
import {NamespacedChild, spawnInNamespaces} from '../../userns/spawn'
import {rootfsSteps} from '../plan'
import {MS} from '../rootfs-mount'
import {Container} from './config'
import {containerLayout} from './launch'
import {isAlive} from './records'
import {isRunning} from './report'

/**
 * $1 the operation, $2 a path in the container. `probe` prints `dir`, `file` or `none` for the
 * path (symlinks followed, in the container's root) and for its parent; `pack` writes a tar of
 * the dir or file named by its last component on stdout (`.`: the dir's contents; a symlink to a
 * file is followed, as Podman follows the source path); `unpack` extracts
 * stdin's tar into the dir.
 */
const SCRIPT = `kind() { if [ -d "$1" ]; then echo dir; elif [ -e "$1" ] || [ -L "$1" ]; then echo file; else echo none; fi; }
case "$1" in
probe) echo "$(kind "$2") $(kind "$3")" ;;
pack) cd "$2" || exit 3; if [ -d "$3" ]; then exec tar cf - "$3"; else exec tar chf - "$3"; fi ;;
unpack) cd "$2" || exit 3; exec tar xf - ;;
*) exit 2 ;;
esac
`

function containerPath(c: Container): string {
  const env = (c.config.spec.process.env ?? []).find((e) => e.startsWith('PATH='))
  return env ?? 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
}

function stoppedRootSteps(store: Store, c: Container): ChildStep[] {
  const layout = containerLayout(store, c)
  if (layout.mountedBy) throw new TspodError(`copying from or to the stopped container ${c.config.name} needs its rootfs, mounted by fuse-overlayfs: start the container first`)
  fs.mkdirSync(layout.mergedDir, {recursive: true, mode: 0o700})
  return [
    {kind: 'mount', name: 'make `/` private', source: 'none', path: '/', flags: MS.REC | MS.PRIVATE},
    ...rootfsSteps(layout),
    {kind: 'chdir', name: 'chdir to the rootfs', path: layout.mergedDir},
    {kind: 'pivot_root', name: 'pivot_root', path: '.', source: '.'},
    {kind: 'umount_detach', name: 'unmount the old root', path: '.'},
    {kind: 'chdir', name: 'chdir to `/`', path: '/'},
  ]
}

/** Spawn the confined child for one operation; stdio as given (stderr is always a pipe). */
export async function spawnConfined(store: Store, c: Container, args: string[], stdio: [StdioSpec, StdioSpec]): Promise<NamespacedChild> {
  const command = {file: '/bin/sh', argv: ['sh', '-c', SCRIPT, 'sh', ...args], env: [containerPath(c), 'LC_ALL=C']}
  const running = isRunning(c.state) && isAlive(c.state.pid, c.state.pidStart)
  if (running) {
    const namespaces = (c.config.spec.linux?.namespaces ?? []).some((ns) => ns.type === 'user') ? (['user', 'mount'] as const) : (['mount'] as const)
    return spawnInNamespaces({namespaces: [], join: {pid: c.state.pid, namespaces: [...namespaces]}, command, stdio: [...stdio, 'pipe']})
  }
  return spawnInNamespaces({
    namespaces: store.mapping ? ['user', 'mount'] : ['mount'],
    mapping: store.mapping,
    steps: stoppedRootSteps(store, c),
    command,
    stdio: [...stdio, 'pipe'],
  })
}

export async function collect(stream: Readable | undefined): Promise<string> {
  if (!stream) return ''
  let text = ''
  stream.on('data', (d: Buffer) => (text += d.toString()))
  await finished(stream).catch(() => undefined)
  return text
}

export type PathKind = 'dir' | 'file' | 'none'

/** What the path is in the container, and what its parent is. */
export async function probeContainerPath(store: Store, c: Container, containerFile: string, parent: string): Promise<{kind: PathKind; parent: PathKind}> {
  const devNull = fs.openSync('/dev/null', 'r')
  let child: NamespacedChild
  try {
    child = await spawnConfined(store, c, ['probe', containerFile, parent], [devNull, 'pipe'])
  } finally {
    fs.closeSync(devNull)
  }
  const [out, err, exit] = await Promise.all([collect(child.stdout), collect(child.stderr), child.exited])
  const [kind, parentKind] = out.trim().split(' ')
  const valid = (k: string | undefined): k is PathKind => k === 'dir' || k === 'file' || k === 'none'
  if (exit.code !== 0 || !valid(kind) || !valid(parentKind))
    throw new TspodError(`looking up ${JSON.stringify(containerFile)} in container ${c.config.name}: ${err.trim().split('\n')[0] || 'the container has no working /bin/sh'}`)
  return {kind, parent: parentKind}
}
