// `cp` between the host and a container, by Podman's (and docker's) path rules: a dir into an
// existing dir, `/.` for a dir's contents, a file onto a file, a new name when the destination
// does not exist but its parent does. The container's side is a confined child (copy-confined.ts)
// reading or writing a tar stream; here the stream is checked entry by entry: names are made
// relative and rooted at the copy's name, and on the host nothing is written through a symlink
// (each parent of an entry is walked with lstat under the destination).
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable, Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'

import {TspodError} from '../../errors'
import type {Store} from '../../storage/store/store'
import {Container} from './config'
import {PathKind, collect, probeContainerPath, probeContainerPaths, removeContainerPath, resolveContainerLink, spawnConfined} from './copy-confined'
import {withContainerLock} from './lock'

export interface CopyOptions {
  /** Podman's --archive (default true): files copied into the container get its process user's ids */
  archive: boolean
  /** replace a dir by a file or a file by a dir */
  overwrite: boolean
}

/** `CONTAINER:PATH` → its parts; a host path (or `-`) → undefined. A path with a slash before the colon is a host path. */
export function parseCopyArg(arg: string): {container: string; path: string} | undefined {
  const colon = arg.indexOf(':')
  if (colon <= 0 || arg.slice(0, colon).includes('/')) return undefined
  return {container: arg.slice(0, colon), path: arg.slice(colon + 1)}
}

function endsWithDot(p: string): boolean {
  return p === '.' || p.endsWith('/.')
}

/** A container path made absolute (relative ones are from `/`, as Podman's are from the workdir). */
function absoluteIn(c: Container, p: string): string {
  if (p.startsWith('/')) return p
  return path.posix.join(c.config.spec.process.cwd ?? '/', p) + (p.endsWith('/') ? '/' : '')
}

/** An entry name made relative and free of `..`; undefined for one that leads out. */
function safeRelative(name: string): string | undefined {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.some((p) => p === '..')) return undefined
  return parts.join('/')
}

/** The entry's name with its first component (the packed name) replaced by `as`; '' for `.`. */
function renameRoot(rel: string, packed: string, as: string): string | undefined {
  if (packed === '.') return as ? (rel ? `${as}/${rel}` : as) : rel
  if (rel !== packed && !rel.startsWith(`${packed}/`)) return undefined
  const rest = rel.slice(packed.length)
  return as + rest
}

// ---------- container → host ----------

/** Walk the parents of `rel` under `root`: refuse a symlink, create a missing dir. */
function parentsWithoutSymlinks(root: string, rel: string): void {
  const parts = rel.split('/').slice(0, -1)
  let at = root
  for (const part of parts) {
    at = path.join(at, part)
    const st = fs.lstatSync(at, {throwIfNoEntry: false})
    if (st?.isSymbolicLink()) throw new TspodError(`refusing to write ${JSON.stringify(rel)} through the symlink ${JSON.stringify(at)} from the container's archive`)
    if (st && !st.isDirectory()) throw new TspodError(`error creating ${JSON.stringify('/' + rel)}: ${JSON.stringify(at)} is not a directory`)
    if (!st) fs.mkdirSync(at, {mode: 0o755})
  }
}

async function writeEntry(root: string, rel: string, header: tar.Header, stream: Readable, overwrite: boolean, rename: (name: string) => string | undefined): Promise<void> {
  parentsWithoutSymlinks(root, rel)
  const target = rel ? path.join(root, rel) : root
  const existing = fs.lstatSync(target, {throwIfNoEntry: false})
  const isDir = header.type === 'directory'
  if (existing && rel) {
    if (existing.isDirectory() !== isDir && !overwrite) {
      stream.resume()
      throw new TspodError(`copying to host: copier: put: error creating ${JSON.stringify('/' + rel)}: ${isDir ? 'mkdir' : 'open'} /${rel}: file exists`)
    }
    if (!(existing.isDirectory() && isDir)) fs.rmSync(target, {recursive: true, force: true})
  }
  const mode = (header.mode ?? 0o644) & 0o7777
  if (isDir) {
    if (!existing || !existing.isDirectory()) fs.mkdirSync(target, {mode: mode | 0o700})
    stream.resume()
    return
  }
  if (header.type === 'symlink') {
    fs.symlinkSync(header.linkname ?? '', target)
    stream.resume()
    return
  }
  if (header.type === 'link') {
    const safe = safeRelative(header.linkname ?? '')
    const linked = safe === undefined ? undefined : rename(safe)
    stream.resume()
    if (!linked) throw new TspodError(`refusing the hard link ${JSON.stringify(rel)} to ${JSON.stringify(header.linkname)}: it leads out of the copy`)
    // written as a copy of a regular file already written by this copy, reached without symlinks
    parentsWithoutSymlinks(root, linked)
    const from = path.join(root, linked)
    if (!fs.lstatSync(from, {throwIfNoEntry: false})?.isFile())
      throw new TspodError(`refusing the hard link ${JSON.stringify(rel)} to ${JSON.stringify(header.linkname)}: not a regular file of the copy`)
    fs.copyFileSync(from, target, fs.constants.COPYFILE_EXCL)
    return
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    stream.resume()
    return
  }
  // O_NOFOLLOW|O_EXCL: never write through whatever is at the name
  const fd = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode)
  await pipeline(stream, fs.createWriteStream('', {fd}))
  fs.chmodSync(target, mode)
  if (header.mtime) fs.utimesSync(target, header.mtime, header.mtime)
}

/** An entry's name from the container's archive, relative and renamed from `packed` to `as`; undefined when it leads out of the copy. */
function entryName(name: string, packed: string, as: string): string | undefined {
  const rel = safeRelative(name)
  return rel === undefined ? undefined : renameRoot(rel, packed, as)
}

function refusedEntry(name: string): TspodError {
  return new TspodError(`refusing the entry ${JSON.stringify(name)} of the container's archive: it leads out of the copy`)
}

/** Unpack a tar stream from the container under `root`, the packed name `packed` renamed `as`. */
async function unpackOnHost(source: Readable, root: string, packed: string, as: string, overwrite: boolean): Promise<void> {
  const extract = tar.extract()
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const renamed = entryName(header.name, packed, as)
      if (renamed === undefined) {
        stream.resume()
        reject(refusedEntry(header.name))
        return
      }
      writeEntry(root, renamed, header, stream as unknown as Readable, overwrite, (name) => renameRoot(name, packed, as)).then(() => next(), reject)
    })
    extract.on('finish', resolve)
    extract.on('error', reject)
  })
  source.pipe(extract)
  await done
}

/** Where a copy lands on the host: the dir to unpack into and the name there ('' for a dir's contents). */
function hostTarget(dest: string, sourceIsDir: boolean, sourceBase: string): {root: string; as: string} {
  const st = fs.statSync(dest, {throwIfNoEntry: false})
  if (st?.isDirectory()) return {root: dest, as: sourceBase}
  if (st && !st.isFile()) throw new TspodError(`invalid destination: ${JSON.stringify(dest)} must be a directory or a regular file`)
  if (st && sourceIsDir) throw new TspodError('destination must be a directory when copying a directory')
  if (!st && dest.endsWith('/')) throw new TspodError(`${JSON.stringify(dest)} could not be found on the host: no such file or directory`)
  const parent = path.dirname(path.resolve(dest))
  if (!fs.statSync(parent, {throwIfNoEntry: false})?.isDirectory())
    throw new TspodError(`${JSON.stringify(dest)} could not be found on the host: no such file or directory`)
  return {root: parent, as: path.basename(dest)}
}

async function packInContainer(store: Store, c: Container, dir: string, base: string): Promise<{stream: Readable; done: Promise<void>}> {
  const devNull = fs.openSync('/dev/null', 'r')
  let child
  try {
    child = await spawnConfined(store, c, ['pack', dir, base], [devNull, 'pipe'])
  } finally {
    fs.closeSync(devNull)
  }
  const stderr = collect(child.stderr)
  const done = child.exited.then(async (exit) => {
    if (exit.code !== 0) throw new TspodError(`copying from container ${c.config.name}: ${(await stderr).trim().split('\n')[0] || 'tar failed'}`)
  })
  return {stream: child.stdout!, done}
}

/**
 * The source in the container: the dir tar packs in and the name packed there (a dir is packed
 * as `.` from inside it, so that a symlink to a dir is followed, as Podman does), its name for
 * the copy ('' for `/.`: the contents), and whether it is a dir.
 */
async function containerSource(store: Store, c: Container, src: string): Promise<{dir: string; packed: string; name: string; isDir: boolean}> {
  const abs = absoluteIn(c, src)
  const trimmed = abs.replace(/\/+$/, '') || '/'
  const probed = await probeContainerPath(store, c, trimmed, path.posix.dirname(trimmed))
  if (probed.kind === 'none' || probed.kind === 'dangling') throw new TspodError(`${JSON.stringify(src)} could not be found on container ${c.config.name}: no such file or directory`)
  const name = endsWithDot(abs) || trimmed === '/' ? '' : path.posix.basename(trimmed)
  if (probed.kind === 'dir') return {dir: trimmed, packed: '.', name, isDir: true}
  return {dir: path.posix.dirname(trimmed), packed: path.posix.basename(trimmed), name, isDir: false}
}

/**
 * Copy out of a container, holding its lock: a stopped container's root is mounted on its own
 * upper dir for the copy, which a `start` meanwhile must not mount too (docs/design/locking.md).
 */
export function copyFromContainer(store: Store, c: Container, src: string, dest: string, options: CopyOptions, stdout: Writable): Promise<void> {
  return withContainerLock(store, c.config.id, () => copyOut(store, c, src, dest, options, stdout))
}

async function copyOut(store: Store, c: Container, src: string, dest: string, options: CopyOptions, stdout: Writable): Promise<void> {
  const source = await containerSource(store, c, src)
  if (dest === '-') {
    const packed = await packInContainer(store, c, source.dir, source.packed)
    await Promise.all([relayArchive(packed.stream, stdout, source.packed, source.name), packed.done])
    return
  }
  const target = hostTarget(dest, source.isDir, source.name)
  const packed = await packInContainer(store, c, source.dir, source.packed)
  await Promise.all([unpackOnHost(packed.stream, target.root, source.packed, target.as, options.overwrite), packed.done])
}

/** The container's tar to stdout, each entry checked and renamed to start at the source's name. */
async function relayArchive(source: Readable, out: Writable, packed: string, as: string): Promise<void> {
  const extract = tar.extract()
  const pack = tar.pack()
  const copied = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const name = entryName(header.name, packed, as)
      if (name === undefined) {
        stream.resume()
        reject(refusedEntry(header.name))
        return
      }
      const entry = pack.entry({...header, name: name || '.'}, (err) => (err ? reject(err) : next()))
      stream.pipe(entry)
    })
    extract.on('finish', () => {
      pack.finalize()
      resolve()
    })
    extract.on('error', reject)
  })
  source.pipe(extract)
  await Promise.all([copied, pipeline(pack, out, {end: false})])
}

// ---------- host → container ----------

interface Owner {
  uid: number
  gid: number
}

/** Pack a host path into `pack` under `name`, symlinks kept as symlinks (never followed below the source). */
async function packHostPath(pack: tar.Pack, file: string, name: string, owner: (st: fs.Stats) => Owner): Promise<void> {
  const st = fs.lstatSync(file)
  const ids = owner(st)
  const common = {name: name || '.', mode: st.mode & 0o7777, mtime: st.mtime, uid: ids.uid, gid: ids.gid, uname: '', gname: ''}
  const add = (header: Partial<tar.Header> & {name: string}, body?: Buffer | Readable) =>
    new Promise<void>((resolve, reject) => {
      if (body instanceof Readable) {
        const entry = pack.entry(header, (err) => (err ? reject(err) : resolve()))
        body.pipe(entry)
      } else pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()))
    })
  if (st.isDirectory()) {
    await add({...common, type: 'directory'})
    for (const child of fs.readdirSync(file).sort()) await packHostPath(pack, path.join(file, child), name ? `${name}/${child}` : child, owner)
  } else if (st.isSymbolicLink()) {
    await add({...common, type: 'symlink', linkname: fs.readlinkSync(file)})
  } else if (st.isFile()) {
    await add({...common, type: 'file', size: st.size}, fs.createReadStream(file))
  }
}

/**
 * Re-pack a tar (from stdin, or from another container) with its names checked and renamed (the
 * packed name `packed` becomes `as`) and, for --archive, its owners set.
 */
async function repackArchive(source: Readable, pack: tar.Pack, owner: Owner | undefined, packed = '.', as = ''): Promise<void> {
  const extract = tar.extract()
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const rel = entryName(header.name, packed, as)
      if (rel === undefined) {
        stream.resume()
        reject(new TspodError(`refusing the entry ${JSON.stringify(header.name)} of the archive: it leads out of the destination`))
        return
      }
      const ids = owner ?? {uid: header.uid ?? 0, gid: header.gid ?? 0}
      const entry = pack.entry({...header, name: rel || '.', ...ids, uname: '', gname: ''}, (err) => (err ? reject(err) : next()))
      stream.pipe(entry)
    })
    extract.on('finish', resolve)
    extract.on('error', () => reject(new TspodError('source must be a (compressed) tar archive when copying from stdin')))
  })
  source.pipe(extract)
  await done
}

/** stdin as an uncompressed tar stream; gzip is undone. Refuses what is not a tar. */
async function tarFromStdin(stdin: Readable): Promise<Readable> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of stdin) {
    chunks.push(chunk as Buffer)
    length += (chunk as Buffer).length
  }
  let data = Buffer.concat(chunks, length)
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data)
  const isTar = data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar'
  if (!isTar) throw new TspodError('source must be a (compressed) tar archive when copying from stdin')
  return Readable.from([data])
}

interface ContainerTarget {
  /** the dir tar unpacks into */
  dir: string
  /** the copy's name there ('' for a dir's contents) */
  as: string
  /** what is already at that name */
  existing: PathKind
}

/**
 * Where a copy lands in the container. The destination's symlinks are followed in the
 * container's root, a dangling last one too (the copy is written where it points, as Podman's).
 */
async function containerTarget(store: Store, c: Container, dest: string, sourceIsDir: boolean, sourceBase: string): Promise<ContainerTarget> {
  const abs = absoluteIn(c, dest)
  const trimmed = abs.replace(/\/+$/, '') || '/'
  const as = sourceBase === '.' ? '' : sourceBase
  const inside = as ? path.posix.join(trimmed, as) : trimmed
  const [kind, parent, existing] = await probeContainerPaths(store, c, [trimmed, path.posix.dirname(trimmed), inside])
  const notFound = () => new TspodError(`${JSON.stringify(dest)} could not be found on container ${c.config.name}: no such file or directory`)
  if (kind === 'dir') return {dir: trimmed, as, existing: as ? existing : 'dir'}
  if (abs.endsWith('/')) throw notFound()
  if (kind === 'file') {
    if (sourceIsDir) throw new TspodError('destination must be a directory when copying a directory')
    return {dir: path.posix.dirname(trimmed), as: path.posix.basename(trimmed), existing: 'file'}
  }
  if (kind === 'dangling') {
    const resolved = await resolveContainerLink(store, c, trimmed)
    const [resolvedParent] = await probeContainerPaths(store, c, [path.posix.dirname(resolved)])
    if (resolvedParent === 'dir') return {dir: path.posix.dirname(resolved), as: path.posix.basename(resolved), existing: 'none'}
    // where it points cannot hold a file: the link itself is replaced
  }
  if (parent !== 'dir') throw notFound()
  return {dir: path.posix.dirname(trimmed), as: path.posix.basename(trimmed), existing: 'none'}
}

/**
 * A dir would replace a non-dir, or a non-dir a dir: refused (Podman's words) unless --overwrite,
 * which removes what is there first.
 */
async function clearTarget(store: Store, c: Container, target: ContainerTarget, sourceIsDir: boolean, overwrite: boolean): Promise<void> {
  if (!target.as || target.existing === 'none' || (target.existing === 'dir') === sourceIsDir) return
  const at = path.posix.join(target.dir, target.as)
  if (!overwrite) throw new TspodError(`copying to container: copier: put: error creating ${JSON.stringify(at)}: ${sourceIsDir ? 'mkdir' : 'open'} ${at}: file exists`)
  await removeContainerPath(store, c, at)
}

async function unpackInContainer(store: Store, c: Container, dir: string, fill: (pack: tar.Pack) => Promise<void>): Promise<void> {
  const child = await spawnConfined(store, c, ['unpack', dir], ['pipe', 'pipe'])
  const stderr = collect(child.stderr)
  child.stdout?.resume()
  const pack = tar.pack()
  const piped = pipeline(pack, child.stdin!).catch(() => undefined)
  try {
    await fill(pack)
    pack.finalize()
  } catch (err) {
    pack.destroy()
    child.stdin?.destroy()
    await child.exited.catch(() => undefined)
    throw err
  }
  await piped
  const exit = await child.exited
  if (exit.code !== 0) throw new TspodError(`copying to container ${c.config.name}: ${(await stderr).trim().split('\n')[0] || 'tar failed'}`)
}

/** The container's process user, the owner of what --archive copies in. */
function containerUser(c: Container): Owner {
  const {uid, gid} = c.config.spec.process.user
  return {uid, gid}
}

/**
 * From one container to another, holding both locks (one when it is the same container), taken
 * in id order so that two copies the other way round cannot wait for each other.
 */
export function copyBetweenContainers(store: Store, from: Container, src: string, to: Container, dest: string, options: CopyOptions): Promise<void> {
  const [first, second] = [from.config.id, to.config.id].sort()
  const copy = () => copyAcross(store, from, src, to, dest, options)
  return withContainerLock(store, first, () => (first === second ? copy() : withContainerLock(store, second, copy)))
}

/** A tar from the first container's confined tar, checked and renamed here, into the second's. */
async function copyAcross(store: Store, from: Container, src: string, to: Container, dest: string, options: CopyOptions): Promise<void> {
  const source = await containerSource(store, from, src)
  const target = await containerTarget(store, to, dest, source.isDir, source.name)
  await clearTarget(store, to, target, source.isDir, options.overwrite)
  const packed = await packInContainer(store, from, source.dir, source.packed)
  const owner = options.archive ? containerUser(to) : undefined
  await Promise.all([unpackInContainer(store, to, target.dir, (pack) => repackArchive(packed.stream, pack, owner, source.packed, target.as)), packed.done])
}

/** Copy into a container, holding its lock (see copyFromContainer). */
export function copyToContainer(store: Store, c: Container, src: string, dest: string, options: CopyOptions, stdin: Readable): Promise<void> {
  return withContainerLock(store, c.config.id, () => copyIn(store, c, src, dest, options, stdin))
}

async function copyIn(store: Store, c: Container, src: string, dest: string, options: CopyOptions, stdin: Readable): Promise<void> {
  const archiveOwner = options.archive ? containerUser(c) : undefined
  if (src === '-') {
    const data = await tarFromStdin(stdin)
    const abs = absoluteIn(c, dest)
    const trimmed = abs.replace(/\/+$/, '') || '/'
    const probed = await probeContainerPath(store, c, trimmed, path.posix.dirname(trimmed))
    if (probed.kind !== 'dir') throw new TspodError('destination must be a directory when copying from stdin')
    await unpackInContainer(store, c, trimmed, (pack) => repackArchive(data, pack, archiveOwner))
    return
  }
  const st = fs.statSync(src, {throwIfNoEntry: false})
  if (!st) throw new TspodError(`${JSON.stringify(path.resolve(src))} could not be found on the host: no such file or directory`)
  const contents = endsWithDot(src) && st.isDirectory()
  const base = contents ? '.' : path.basename(path.resolve(src))
  const target = await containerTarget(store, c, dest, st.isDirectory(), base)
  await clearTarget(store, c, target, st.isDirectory(), options.overwrite)
  const hostFile = contents ? path.resolve(src) : fs.realpathSync(src)
  // without --archive, the host user's files are the container root's, as they are in its namespace
  const mapped = (id: number, own: number) => (store.mapping && id === own ? 0 : id)
  const owner = (s: fs.Stats): Owner =>
    archiveOwner ?? {uid: mapped(s.uid, process.getuid?.() ?? -1), gid: mapped(s.gid, process.getgid?.() ?? -1)}
  await unpackInContainer(store, c, target.dir, (pack) => packHostPath(pack, hostFile, target.as, owner))
}

