// The default mounts of mounts.conf (mounts-conf.ts) as Podman makes them: each host file or dir
// copied into the container's own dir and that copy bind-mounted, so the container may change
// its copy and never the host's. Unlike containers/common, which reads through every symlink, a
// symlink inside a copied tree is copied as a symlink: it resolves in the container's root, and
// no file outside the named tree is read. Every path of the copy is made component by component
// without following a symlink, so one entry's copy cannot lead another's out of the copy root.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {OciMount} from '../oci-spec'
import type {DefaultMountEntry} from './mounts-conf'

export interface DefaultMountsCopy {
  mounts: OciMount[]
  /** every file, dir and symlink copied (for giving them to the container's root); the dirs above the copies stay the user's, as the userdata dir */
  paths: string[]
  /** Podman's warnings: a host path that does not exist, or a file whose mounts were all dropped */
  warnings: string[]
}

/** Go's words for an errno, as Podman's warnings show it. */
const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'file exists',
}

class CopyError extends Error {}

function failure(err: unknown, op: string, file: string): CopyError {
  const code = (err as NodeJS.ErrnoException).code ?? ''
  return new CopyError(`${op} ${file}: ${ERRNO_TEXT[code] ?? (err as Error).message}`)
}

function attempt<T>(op: string, file: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw failure(err, op, file)
  }
}

/**
 * Copy each entry's host path under `copyRoot` (made here) and return the bind mounts of the
 * copies. An entry whose host path does not exist is skipped with a warning; any other failure
 * (a file the user cannot read) drops every mount of the file, with one warning, as
 * containers/common does. `taken`: destinations the container has already (its own mounts win).
 */
export function copyDefaultMounts(confFile: string, entries: DefaultMountEntry[], copyRoot: string, taken: Set<string> = new Set()): DefaultMountsCopy {
  const warnings: string[] = []
  const copied: string[] = []
  const mounts: OciMount[] = []
  const seen = new Set(taken)
  try {
    for (const entry of entries) {
      if (seen.has(entry.container)) continue
      let st: fs.Stats
      try {
        st = fs.statSync(entry.host)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          warnings.push(`Path ${JSON.stringify(entry.host)} from ${JSON.stringify(confFile)} doesn't exist, skipping`)
          continue
        }
        throw failure(err, 'stat', entry.host)
      }
      if (!st.isDirectory() && !st.isFile()) throw new CopyError(`unsupported file type for: ${JSON.stringify(entry.host)}`)
      const parts = entry.container.split('/').filter(Boolean)
      makeDirs(path.dirname(copyRoot), [path.basename(copyRoot), ...parts.slice(0, -1)])
      const copy = path.join(copyRoot, ...parts)
      // the host path itself may be a symlink the host's admin wrote: it is read through, as Podman's
      const source = attempt('stat', entry.host, () => fs.realpathSync(entry.host))
      if (st.isFile()) copyFile(source, copy, st.mode & 0o777, copied)
      else {
        try {
          copyDir(source, copy, st.mode & 0o777, copied)
        } catch (err) {
          throw err instanceof CopyError ? new CopyError(`getting host subscription data: failed to read subscriptions from ${JSON.stringify(source)}: ${err.message}`) : err
        }
      }
      mounts.push({destination: entry.container, type: 'bind', source: copy, options: ['rbind', 'rprivate']})
      seen.add(entry.container)
    }
  } catch (err) {
    if (!(err instanceof CopyError)) throw err
    // what was copied stays in the container's dir (removed with it), unmounted
    return {mounts: [], paths: [], warnings: [...warnings, `Failed to mount subscriptions, skipping entry in ${confFile}: ${err.message}`]}
  }
  return {mounts, paths: copied, warnings}
}

/** The dirs `parts` under `base`, each made (mode 0700) unless it is a dir already; a symlink is never followed. */
function makeDirs(base: string, parts: string[]): void {
  let dir = base
  for (const part of parts) {
    dir = path.join(dir, part)
    let st: fs.Stats | undefined
    try {
      st = fs.lstatSync(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw failure(err, 'lstat', dir)
    }
    if (st && !st.isDirectory()) throw new CopyError(`create container dir ${dir}: not a directory`)
    if (!st) attempt('mkdir', dir, () => fs.mkdirSync(dir, {mode: 0o700}))
  }
}

/** A new file at `to` (never through a symlink, never over a file) with `from`'s bytes and `mode` (no set-id bits). */
function copyFile(from: string, to: string, mode: number, made: string[]): void {
  const data = attempt('open', from, () => fs.readFileSync(from))
  const fd = attempt('open', to, () => fs.openSync(to, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600))
  made.push(to)
  try {
    fs.writeSync(fd, data)
    fs.fchmodSync(fd, mode)
  } finally {
    fs.closeSync(fd)
  }
}

/** `from`'s tree at `to`: dirs, files and symlinks (as links); other kinds of files are left out. */
function copyDir(from: string, to: string, mode: number, made: string[]): void {
  attempt('mkdir', to, () => fs.mkdirSync(to, {mode: 0o700}))
  made.push(to)
  const names = attempt('open', from, () => fs.readdirSync(from))
  for (const name of names) {
    const source = path.join(from, name)
    const target = path.join(to, name)
    let st: fs.Stats
    try {
      st = fs.lstatSync(source)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue // removed meanwhile
      throw failure(err, 'lstat', source)
    }
    if (st.isSymbolicLink()) {
      const link = attempt('readlink', source, () => fs.readlinkSync(source))
      attempt('symlink', target, () => fs.symlinkSync(link, target))
      made.push(target)
    } else if (st.isDirectory()) copyDir(source, target, st.mode & 0o777, made)
    else if (st.isFile()) copyFile(source, target, st.mode & 0o777, made)
  }
  // last: a dir the host keeps read-only still had to be filled
  attempt('chmod', to, () => fs.chmodSync(to, mode))
}
