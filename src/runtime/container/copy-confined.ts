// The container's side of `cp`: a child confined to the container, as its root user, runs the
// container's own `sh` and `tar`. The container is hostile and may have replaced both, so what
// runs is confined as the container's own processes are: a running container is entered by
// joining all its namespaces (its volumes and tmpfs mounts are seen, its root is the child's, and
// the child is in its pid and network namespaces, so it can neither signal nor ptrace a host
// process nor reach the host's loopback); a stopped one gets its rootfs mounted in new user,
// mount, pid, network, ipc and uts namespaces, pivot_root into it, the host's root detached. In
// both the container's seccomp filter applies and its capabilities are bounded by the
// container's bounding set. Every container path is then resolved by the kernel inside that
// root. What comes back is only a tar stream and a line of text, both checked by the host side
// (copy.ts).
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {finished} from 'node:stream/promises'

import {TspodError} from '../../errors'
import type {ChildStep, StdioSpec} from '../../native'
import type {Store} from '../../storage/store/store'
import {NamespacedChild, spawnInNamespaces} from '../../userns/spawn'
import type {NamespaceName} from '../../native'
import type {UserNamespaceMapping} from '../../userns/idmap'
import type {OciSpec} from '../oci-spec'
import {processSteps, rootfsSteps} from '../plan'
import {MS, mountSteps} from '../rootfs-mount'
import {Container, hasProcesses} from './config'
import {joinedNamespaces} from './exec'
import {containerLayout} from './launch'
import {seccompCacheDir} from './paths'
import {isAlive} from './records'

/**
 * $1 the operation, then paths in the container. `probe` prints one line per path: `dir`, `file`
 * (symlinks followed, in the container's root), `dangling` (a symlink to nothing) or `none`;
 * `resolve` prints where a chain of symlinks ends; `pack` writes a tar of the dir or file named
 * by its last component on stdout (`.`: the dir's contents; a symlink to a file is followed, as
 * Podman follows the source path); `unpack` extracts stdin's tar into the dir; `remove` deletes
 * a path (what --overwrite replaces).
 */
const SCRIPT = `kind() { if [ -d "$1" ]; then echo dir; elif [ -e "$1" ]; then echo file; elif [ -L "$1" ]; then echo dangling; else echo none; fi; }
resolve() { p=$1; n=0; while [ -L "$p" ] && [ $n -lt 40 ]; do t=$(readlink "$p") || exit 4; case "$t" in /*) p=$t ;; *) p="\${p%/*}/$t" ;; esac; n=$((n+1)); done; printf '%s\\n' "$p"; }
op=$1; shift
case "$op" in
probe) for p in "$@"; do kind "$p"; done ;;
resolve) resolve "$1" ;;
pack) cd "$1" || exit 3; if [ -d "$2" ]; then exec tar cf - "$2"; else exec tar chf - "$2"; fi ;;
unpack) cd "$1" || exit 3; exec tar xf - ;;
remove) exec rm -rf -- "$1" ;;
*) exit 2 ;;
esac
`

function containerPath(c: Container): string {
  const env = (c.config.spec.process.env ?? []).find((e) => e.startsWith('PATH='))
  return env ?? 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
}

function stoppedRootSteps(store: Store, c: Container, focus: string): ChildStep[] {
  const layout = containerLayout(store, c)
  if (layout.mountedBy) throw new TspodError(`copying from or to the stopped container ${c.config.name} needs its rootfs, mounted by fuse-overlayfs: start the container first`)
  fs.mkdirSync(layout.mergedDir, {recursive: true, mode: 0o700})
  return [
    {kind: 'mount', name: 'make `/` private', source: 'none', path: '/', flags: MS.REC | MS.PRIVATE},
    ...rootfsSteps(layout),
    {kind: 'chdir', name: 'chdir to the rootfs', path: layout.mergedDir},
    ...bindMountSteps(store, c, focus),
    {kind: 'pivot_root', name: 'pivot_root', path: '.', source: '.'},
    {kind: 'umount_detach', name: 'unmount the old root', path: '.'},
    {kind: 'chdir', name: 'chdir to `/`', path: '/'},
  ]
}

/**
 * The volume or bind mount of a stopped container that holds `focus` (the deepest one, as
 * Podman resolves a path through the container's mounts), bound where the container has it, so
 * that a copy lands where the running container would see it. Only that one: binding the others
 * would make mount points in the volumes above it. Its tmpfs mounts do not exist until it runs.
 */
function bindMountSteps(store: Store, c: Container, focus: string): ChildStep[] {
  const inside = (dest: string) => {
    const d = path.posix.normalize(dest).replace(/\/+$/, '') || '/'
    return focus === d || focus.startsWith(d === '/' ? '/' : `${d}/`)
  }
  const binds = (c.config.spec.mounts ?? []).filter(
    (m) => (m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind')) && inside(m.destination),
  )
  const deepest = binds.sort((a, b) => path.posix.normalize(b.destination).length - path.posix.normalize(a.destination).length)[0]
  if (!deepest) return []
  return mountSteps(deepest, {pidNamespace: true, gidMapped: () => true})
}

/**
 * The child's process steps: the container's root user (in a running container's user namespace
 * the child enters with the ids its host user maps to, not 0 with --userns=keep-id), so that tar
 * sets the owners, under the container's seccomp filter, rlimits and no_new_privs, with every
 * capability of the container's bounding set and none beyond it.
 */
function helperSteps(store: Store, spec: OciSpec, mapping: UserNamespaceMapping | undefined): ChildStep[] {
  const bounding = spec.process.capabilities?.bounding ?? []
  const helper: OciSpec = {
    ...spec,
    process: {
      ...spec.process,
      terminal: false,
      user: {uid: 0, gid: 0, additionalGids: [], umask: spec.process.user.umask},
      capabilities: {bounding, effective: bounding, permitted: bounding, inheritable: [], ambient: []},
    },
  }
  return processSteps(helper, mapping, {seccompCacheDir: seccompCacheDir(store)})
}

/** The id mapping's setgroups policy as the running container's user namespace has it. */
function joinedMapping(store: Store, pid: number): UserNamespaceMapping | undefined {
  const setgroups = fs.readFileSync(`/proc/${pid}/setgroups`, 'utf8').trim() === 'allow' ? 'allow' : 'deny'
  return store.mapping ? {...store.mapping, setgroups} : {mode: 'subid', uidMap: [], gidMap: [], setgroups}
}

/** The namespaces a stopped container's copy runs in: the container's own kinds, fresh. */
const STOPPED_NAMESPACES: NamespaceName[] = ['mount', 'pid', 'net', 'ipc', 'uts']

/** Spawn the confined child for one operation; stdio as given (stderr is always a pipe). */
export async function spawnConfined(store: Store, c: Container, args: string[], stdio: [StdioSpec, StdioSpec]): Promise<NamespacedChild> {
  const command = {file: '/bin/sh', argv: ['sh', '-c', SCRIPT, 'sh', ...args], env: [containerPath(c), 'LC_ALL=C']}
  // the container path the operation is about
  const focus = path.posix.normalize(args[0] === 'pack' ? path.posix.join(args[1], args[2]) : args[1] ?? '/')
  const spec = c.config.spec
  // a paused container's namespaces are joined as a running one's (its stopped processes need not run)
  const running = hasProcesses(c.state) && isAlive(c.state.pid, c.state.pidStart)
  if (running) {
    const userns = (spec.linux?.namespaces ?? []).some((ns) => ns.type === 'user')
    const mapping = userns ? joinedMapping(store, c.state.pid) : undefined
    const join = {pid: c.state.pid, namespaces: joinedNamespaces(spec, c.config.containerSpec)}
    return spawnInNamespaces({namespaces: [], join, steps: helperSteps(store, spec, mapping), command, stdio: [...stdio, 'pipe']})
  }
  return spawnInNamespaces({
    namespaces: store.mapping ? ['user', ...STOPPED_NAMESPACES] : STOPPED_NAMESPACES,
    mapping: store.mapping,
    steps: [...stoppedRootSteps(store, c, focus), ...helperSteps(store, spec, store.mapping)],
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

export type PathKind = 'dir' | 'file' | 'dangling' | 'none'

/** Run one operation of the script and return its stdout; a failure is an error naming `what`. */
async function runOperation(store: Store, c: Container, args: string[], what: string): Promise<string> {
  const devNull = fs.openSync('/dev/null', 'r')
  let child: NamespacedChild
  try {
    child = await spawnConfined(store, c, args, [devNull, 'pipe'])
  } finally {
    fs.closeSync(devNull)
  }
  const [out, err, exit] = await Promise.all([collect(child.stdout), collect(child.stderr), child.exited])
  if (exit.code !== 0) throw new TspodError(`${what} in container ${c.config.name}: ${err.trim().split('\n')[0] || 'the container has no working /bin/sh'}`)
  return out
}

/** What each path is in the container (symlinks followed in its root). */
export async function probeContainerPaths(store: Store, c: Container, paths: string[]): Promise<PathKind[]> {
  const out = await runOperation(store, c, ['probe', ...paths], `looking up ${JSON.stringify(paths[0])}`)
  const kinds = out.split('\n').slice(0, paths.length)
  const valid = (k: string | undefined): k is PathKind => k === 'dir' || k === 'file' || k === 'dangling' || k === 'none'
  if (kinds.length !== paths.length || !kinds.every(valid))
    throw new TspodError(`looking up ${JSON.stringify(paths[0])} in container ${c.config.name}: the container has no working /bin/sh`)
  return kinds
}

/** What the path is in the container, and what its parent is. */
export async function probeContainerPath(store: Store, c: Container, containerFile: string, parent: string): Promise<{kind: PathKind; parent: PathKind}> {
  const [kind, parentKind] = await probeContainerPaths(store, c, [containerFile, parent])
  return {kind, parent: parentKind}
}

/** Where a symlink (a chain of them) in the container ends, as a path in the container. */
export async function resolveContainerLink(store: Store, c: Container, link: string): Promise<string> {
  const out = await runOperation(store, c, ['resolve', link], `resolving ${JSON.stringify(link)}`)
  return path.posix.normalize(out.replace(/\n$/, ''))
}

/** Remove a path in the container (what --overwrite replaces). */
export async function removeContainerPath(store: Store, c: Container, target: string): Promise<void> {
  await runOperation(store, c, ['remove', target], `removing ${JSON.stringify(target)}`)
}
