// The child steps for one OCI mount inside the container's root: mount options as flags, the
// mount point created safely inside the root, and what a user namespace cannot do (device
// nodes, sysfs, cgroups) done with bind mounts of the host's.
//
// Every step that names a path in the container is `inRoot`: the child resolves it with the
// rootfs as its root (openat2 RESOLVE_IN_ROOT), so a symlink in the image pointing outside the
// rootfs (`/data -> /etc`, `/x -> ../../../..`) resolves inside it instead.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as util from 'node:util'

import {TspodError} from '../errors'
import {ChildStep} from '../native'
import {OciMount} from './oci-spec'

/** mount(2) flags: Linux ABI values, the same on every architecture. */
export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
} as const

/** Options that set (or, with `clear`, remove) a mount flag; as in crun's and runc's tables. */
const FLAG_OPTIONS: Record<string, {flag: number; clear?: boolean}> = {
  ro: {flag: MS.RDONLY},
  rw: {flag: MS.RDONLY, clear: true},
  nosuid: {flag: MS.NOSUID},
  suid: {flag: MS.NOSUID, clear: true},
  nodev: {flag: MS.NODEV},
  dev: {flag: MS.NODEV, clear: true},
  noexec: {flag: MS.NOEXEC},
  exec: {flag: MS.NOEXEC, clear: true},
  sync: {flag: MS.SYNCHRONOUS},
  async: {flag: MS.SYNCHRONOUS, clear: true},
  dirsync: {flag: MS.DIRSYNC},
  mand: {flag: MS.MANDLOCK},
  nomand: {flag: MS.MANDLOCK, clear: true},
  noatime: {flag: MS.NOATIME},
  atime: {flag: MS.NOATIME, clear: true},
  nodiratime: {flag: MS.NODIRATIME},
  diratime: {flag: MS.NODIRATIME, clear: true},
  relatime: {flag: MS.RELATIME},
  norelatime: {flag: MS.RELATIME, clear: true},
  strictatime: {flag: MS.STRICTATIME},
  nostrictatime: {flag: MS.STRICTATIME, clear: true},
}

const PROPAGATION_OPTIONS: Record<string, number> = {
  private: MS.PRIVATE,
  rprivate: MS.PRIVATE | MS.REC,
  shared: MS.SHARED,
  rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE,
  rslave: MS.SLAVE | MS.REC,
  unbindable: MS.UNBINDABLE,
  runbindable: MS.UNBINDABLE | MS.REC,
}

/** crun extensions that change what a mount contains; tspod does not implement them. */
const UNSUPPORTED_OPTIONS = new Set(['copy-symlink', 'idmap', 'ridmap', 'rro', 'rrw'])
/** Options that ask for what tspod does anyway. */
const NO_OP_OPTIONS = new Set(['remount', 'defaults', 'notmpcopyup'])

export interface MountOptions {
  /** flags for the mount itself (bind and propagation flags excluded) */
  flags: number
  bind: boolean
  recursive: boolean
  /** 0 when no propagation option was given */
  propagation: number
  /** options the filesystem itself parses (mode=755, size=65536k, newinstance, ...) */
  data: string[]
  /** tmpcopyup (crun's): the new mount starts with a copy of the dir it hides */
  copyUp: boolean
}

export function parseMountOptions(options: string[], destination: string): MountOptions {
  const parsed: MountOptions = {flags: 0, bind: false, recursive: false, propagation: 0, data: [], copyUp: false}
  for (const option of options) {
    const flag = FLAG_OPTIONS[option]
    if (flag) {
      parsed.flags = flag.clear ? parsed.flags & ~flag.flag : parsed.flags | flag.flag
    } else if (option === 'bind' || option === 'rbind') {
      parsed.bind = true
      parsed.recursive ||= option === 'rbind'
    } else if (option in PROPAGATION_OPTIONS) {
      parsed.propagation = PROPAGATION_OPTIONS[option]
    } else if (option === 'tmpcopyup') {
      parsed.copyUp = true
    } else if (UNSUPPORTED_OPTIONS.has(option)) {
      throw new TspodError(`mount option "${option}" for \`${destination}\` is not supported`)
    } else if (!NO_OP_OPTIONS.has(option)) {
      parsed.data.push(option)
    }
  }
  return parsed
}

/**
 * Step names travel in a 64-byte field of the child's report (63 bytes and a NUL): a path in
 * backquotes (the last one) that does not fit keeps its end, which names the file ("mount overlay to `…/merged`").
 */
export function stepName(text: string): string {
  const max = 63
  if (Buffer.byteLength(text) <= max) return text
  const m = /^(.*`)([^`]*)(`[^`]*)$/s.exec(text)
  const [head, quoted, tail] = m ? [m[1], m[2], m[3]] : ['', text, '']
  let kept = quoted
  while (kept.length > 0 && Buffer.byteLength(`${head}…${kept}${tail}`) > max) kept = kept.slice(1)
  const shortened = `${head}…${kept}${tail}`
  return Buffer.byteLength(shortened) <= max ? shortened : Buffer.from(text).subarray(0, max).toString('utf8').replace(/\uFFFD+$/, '')
}

export interface MountContext {
  /** the container has its own pid namespace (a new proc instance needs one) */
  pidNamespace: boolean
  /** whether a gid of the container is mapped in its user namespace */
  gidMapped: (gid: number) => boolean
}

/** Host device nodes bound into the container: a user namespace cannot mknod them. */
export const DEFAULT_DEVICES = ['null', 'zero', 'full', 'tty', 'random', 'urandom']

/** The symlinks a fresh /dev gets, as in crun. */
const DEV_SYMLINKS: [string, string][] = [
  ['/dev/fd', '/proc/self/fd'],
  ['/dev/stdin', '/proc/self/fd/0'],
  ['/dev/stdout', '/proc/self/fd/1'],
  ['/dev/stderr', '/proc/self/fd/2'],
  ['/dev/core', '/proc/kcore'],
]

export function containerPath(destination: string, what: string): string {
  if (!path.posix.isAbsolute(destination)) throw new TspodError(`${what} \`${destination}\` must be an absolute path`)
  const normal = path.posix.normalize(destination)
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
}

function mkdirp(dest: string): ChildStep {
  return {kind: 'mkdirp', name: stepName(`create \`${dest}\``), path: dest, mode: 0o755, inRoot: true}
}

/** Where a bind of `source` goes: a dir for a dir, an empty file for anything else. */
function bindTarget(source: string, dest: string): ChildStep[] {
  let st: fs.Stats
  try {
    st = fs.statSync(source)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const reason = (e.errno !== undefined && util.getSystemErrorMap().get(e.errno)?.[1]) || e.message
    const text = reason.charAt(0).toUpperCase() + reason.slice(1)
    throw new TspodError(`bind mount source \`${source}\`: ${text}`, {code: e.code, errno: e.errno, path: source, cause: err})
  }
  if (st.isDirectory()) return [mkdirp(dest)]
  const parent = path.posix.dirname(dest)
  return [mkdirp(parent), {kind: 'touch', name: stepName(`create \`${dest}\``), path: dest, mode: 0o644, inRoot: true}]
}

/** Bind a host path onto dest, then apply propagation and the other flags with a remount. */
function bindSteps(source: string, dest: string, opts: MountOptions, recursive: boolean): ChildStep[] {
  const name = stepName(`bind mount \`${dest}\``)
  const steps: ChildStep[] = [
    {kind: 'mount', name, source, path: dest, flags: MS.BIND | (recursive ? MS.REC : 0), inRoot: true},
  ]
  if (opts.propagation)
    steps.push({kind: 'mount', name: stepName(`set propagation of \`${dest}\``), source: 'none', path: dest, flags: opts.propagation, inRoot: true})
  if (opts.flags)
    steps.push({
      kind: 'mount',
      name: stepName(`remount \`${dest}\``),
      source: 'none',
      path: dest,
      flags: MS.BIND | MS.REMOUNT | opts.flags,
      inRoot: true,
      keepLockedFlags: true,
    })
  return steps
}

function newMountSteps(type: string, source: string, dest: string, opts: MountOptions): ChildStep[] {
  const steps: ChildStep[] = [
    mkdirp(dest),
    {
      kind: 'mount',
      name: stepName(`mount \`${type}\` to \`${dest}\``),
      source,
      fstype: type,
      path: dest,
      flags: opts.flags,
      data: opts.data.join(','),
      inRoot: true,
      ...(opts.copyUp && type === 'tmpfs' ? {copyUp: true} : {}),
    },
  ]
  if (opts.propagation)
    steps.push({kind: 'mount', name: stepName(`set propagation of \`${dest}\``), source: 'none', path: dest, flags: opts.propagation, inRoot: true})
  return steps
}

/** [create, mount, ...rest] with `alternative` run in place of the mount when it fails with EPERM. */
function withFallback([create, mount, ...rest]: ChildStep[], alternative: ChildStep[]): ChildStep[] {
  if (mount.kind !== 'mount') throw new TspodError(`internal error: ${mount.name} is no mount step`)
  const fallback = {errno: os.constants.errno.EPERM, steps: alternative.length}
  return [create, {...mount, fallback}, ...alternative, ...rest]
}

/** devpts' gid=/uid= must name an id mapped in the namespace, or the mount fails with EINVAL. */
function devptsData(opts: MountOptions, ctx: MountContext): MountOptions {
  const data = opts.data.filter((option) => {
    const m = /^gid=(\d+)$/.exec(option)
    return !m || ctx.gidMapped(Number(m[1]))
  })
  return {...opts, data}
}

/** The steps for one spec mount, in the container's root (the child's cwd). */
export function mountSteps(mount: OciMount, ctx: MountContext): ChildStep[] {
  const dest = containerPath(mount.destination, 'mount destination')
  if (dest === '/') throw new TspodError('mount destination `/` is not allowed: the rootfs is mounted there')
  const type = mount.type ?? (mount.options?.some((o) => o === 'bind' || o === 'rbind') ? 'bind' : 'none')
  const opts = parseMountOptions(mount.options ?? [], dest)
  const source = mount.source ?? type

  if (opts.bind || type === 'bind') {
    if (!path.isAbsolute(source)) throw new TspodError(`bind mount source \`${source}\` for \`${dest}\` must be an absolute path`)
    return [...bindTarget(source, dest), ...bindSteps(source, dest, opts, opts.recursive)]
  }
  switch (type) {
    case 'proc':
      // A container sharing the host's pid namespace sees the host's processes: its /proc is the
      // host's. With a pid namespace of its own it gets a new proc instance or nothing: the
      // host's would show it every host process (see proc-mount-refusal.ts for the failure).
      if (!ctx.pidNamespace) return [mkdirp(dest), ...bindSteps('/proc', dest, {...opts, propagation: 0}, true)]
      return newMountSteps('proc', 'proc', dest, opts)
    case 'sysfs':
      // A sysfs shows the network namespace the child is in (joined before the mounts). The kernel
      // refuses it (EPERM) where that namespace's owner is not a user namespace the child is root
      // of, or the host's /sys is not fully visible; then the host's, read-only, as crun does.
      return withFallback(newMountSteps('sysfs', source, dest, opts), bindSteps('/sys', dest, {...opts, propagation: 0, flags: opts.flags | MS.RDONLY}, true))
    case 'cgroup':
    case 'cgroup2':
      return [mkdirp(dest), ...bindSteps('/sys/fs/cgroup', dest, opts, true)]
    case 'mqueue':
      // mqueue needs an ipc namespace owned by the container's user namespace; otherwise the host's.
      return withFallback(newMountSteps('mqueue', source, dest, opts), bindSteps('/dev/mqueue', dest, {...opts, propagation: 0}, true))
    case 'devpts':
      return newMountSteps('devpts', source, dest, devptsData(opts, ctx))
    default:
      return newMountSteps(type, source, dest, opts)
  }
}

/** After a fresh /dev: the host's device nodes bound onto empty files, and the usual symlinks. */
export function devSteps(options: {freshDev: boolean; devpts: boolean}): ChildStep[] {
  const steps: ChildStep[] = [mkdirp('/dev')]
  for (const device of DEFAULT_DEVICES) {
    const dest = `/dev/${device}`
    steps.push(
      {kind: 'touch', name: `create \`${dest}\``, path: dest, mode: 0o666, inRoot: true},
      {kind: 'mount', name: `bind mount \`${dest}\``, source: dest, path: dest, flags: MS.BIND, inRoot: true},
    )
  }
  if (!options.freshDev) return steps
  const links = options.devpts ? [...DEV_SYMLINKS, ['/dev/ptmx', 'pts/ptmx'] as [string, string]] : DEV_SYMLINKS
  for (const [link, target] of links)
    steps.push({kind: 'symlink', name: `create \`${link}\``, source: target, path: link, inRoot: true})
  return steps
}

/** maskedPaths: /dev/null over files, an empty read-only tmpfs over dirs; missing paths are skipped. */
export function maskSteps(paths: string[]): ChildStep[] {
  return paths.flatMap((p): ChildStep[] => {
    const dest = containerPath(p, 'masked path')
    const name = stepName(`mask \`${dest}\``)
    return [
      {kind: 'mount', name, source: '/dev/null', path: dest, flags: MS.BIND, inRoot: true, optional: true, onlyIf: 'notdir'},
      {kind: 'mount', name, source: 'tmpfs', fstype: 'tmpfs', path: dest, flags: MS.RDONLY, inRoot: true, optional: true, onlyIf: 'dir'},
    ]
  })
}

/** readonlyPaths: bound onto themselves, then remounted read-only; missing paths are skipped. */
export function readonlySteps(paths: string[]): ChildStep[] {
  return paths.flatMap((p): ChildStep[] => {
    const dest = containerPath(p, 'read-only path')
    const name = stepName(`make \`${dest}\` read-only`)
    return [
      {kind: 'mount', name, source: dest, sourceInRoot: true, path: dest, flags: MS.BIND | MS.REC, inRoot: true, optional: true},
      {
        kind: 'mount',
        name,
        source: 'none',
        path: dest,
        flags: MS.BIND | MS.REMOUNT | MS.RDONLY,
        inRoot: true,
        optional: true,
        keepLockedFlags: true,
      },
    ]
  })
}
