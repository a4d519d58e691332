// Unpack one layer into its own directory, in the form native overlay (`userxattr` when rootless)
// reads as a lower layer. It runs as root of the rootless user namespace (see unpack-worker.ts),
// so lchown(hdr.uid) lands image id N on the mapped host id, as containers-storage does.
//
// Safety: nothing outside `dest` is created, changed or followed. Names are cleaned and made
// relative to dest; every parent component is checked with lstat (a symlink there is refused,
// never followed); files are created with O_EXCL|O_NOFOLLOW after removing what was there.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable, Transform} from 'node:stream'
import * as tar from 'tar-stream'

import {TspodError, wrap} from '../../../errors'
import {native} from '../../../native'
import {overlayOpaqueXattr} from '../driver/overlay'
import {LayerCompression, createLayerDecompressor} from './decompress'
import {Xattrs, XattrTap, tapPaxXattrs} from './pax-xattrs'
import {LayerBreakoutError, safeEntryName, symlinkTargetInside} from './tar-entry-name'

export interface ApplyLayerOptions {
  /** squash owners that cannot be mapped (containers-storage's ignore_chown_errors) */
  ignoreChownErrors: boolean
  onWarning?: (message: string) => void
  /**
   * xattr namespace of overlay's opaque marker: 'user' for mounts with `userxattr` (rootless),
   * 'trusted' for real root. Default: 'trusted' in the initial user namespace as uid 0, else 'user'.
   */
  overlayXattrNamespace?: 'user' | 'trusted'
  /**
   * 'markers' (overlay): whiteouts are written as overlay reads them. 'remove' (vfs, whose dest
   * already holds the parent's full tree): a whiteout removes what it names, an opaque dir
   * loses everything this layer did not write into it.
   */
  whiteouts?: 'markers' | 'remove'
  /**
   * The DiffID of an uncompressed layer whose writer hashed these very bytes as it wrote them (a
   * build's own layer): returned as it is, the tar is not hashed a second time.
   */
  knownDiffID?: string
}

export interface AppliedLayer {
  /** sha256 of the uncompressed tar stream, "sha256:<hex>" */
  diffID: string
  /** bytes of regular files written */
  size: number
  /** tar entries processed (including whiteouts and skipped ones) */
  entries: number
  compression: LayerCompression
}

const WHITEOUT_PREFIX = '.wh.'
const WHITEOUT_META_PREFIX = '.wh..wh.'
const WHITEOUT_OPAQUE_DIR = '.wh..wh..opq'
const MAX_ID = 2 ** 32 - 2
const NEW_FILE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW

/** xattrs never taken from an image: labels are the host's business, and overlay's and
 * containers-storage's own attributes would change how the layer is mounted. */
const SILENTLY_IGNORED_XATTRS = new Set(['security.selinux'])
const RESERVED_XATTR_PREFIXES = ['user.overlay.', 'trusted.overlay.', 'user.containers.']

// tar-stream's header, with the types it can really hold (null for unknown type flags)
type Header = Omit<tar.Header, 'type' | 'pax'> & {type: tar.Header['type'] | null; pax?: Record<string, string> | null}
type TarEntry = AsyncIterable<Buffer> & {header: tar.Header}

interface Times {
  atime: number
  mtime: number
}

const q = JSON.stringify

/** An error about one layer entry: `layer entry "<name>": <message>`. */
function entryError(entry: string, message: string, Ctor: typeof TspodError = TspodError): TspodError {
  return new Ctor(`layer entry ${q(entry)}: ${message}`)
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code
}

/** Is this process in the initial user namespace (where uid 0 is the real root)? */
function inInitialUserNamespace(): boolean {
  try {
    return /^0\s+0\s+4294967295$/.test(fs.readFileSync('/proc/self/uid_map', 'utf8').trim())
  } catch {
    return true
  }
}

/** glibc's makedev. */
function makeDev(major: number, minor: number): number {
  const dev =
    ((BigInt(major) & 0xfffff000n) << 32n) |
    ((BigInt(major) & 0xfffn) << 8n) |
    ((BigInt(minor) & 0xffffff00n) << 12n) |
    (BigInt(minor) & 0xffn)
  return Number(dev)
}

function paxNumber(pax: Record<string, string> | null | undefined, key: string): number | undefined {
  const value = pax?.[key]
  if (value === undefined || !/^-?\d+(\.\d+)?$/.test(value)) return undefined
  return Number(value)
}

class HashingPassThrough extends Transform {
  readonly hash = crypto.createHash('sha256')

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk)
    done(null, chunk)
  }
}

/** The state of one layer being written into `dest`. */
class LayerWriter {
  size = 0
  entries = 0
  lastGood: string | undefined
  /** relative dirs known to be real directories (not symlinks) inside dest */
  private readonly dirs = new Set<string>(['.'])
  /** directories' times, set at the end because creating children changes them */
  private readonly dirTimes = new Map<string, Times>()
  private chownWarned = false
  private readonly opaqueXattr: string
  private readonly devicesAllowed: boolean
  /** with whiteouts 'remove': what this layer wrote, which an opaque whiteout keeps */
  private readonly written = new Set<string>()

  constructor(
    readonly dest: string,
    private readonly opts: ApplyLayerOptions,
  ) {
    const initialNs = inInitialUserNamespace()
    const realRoot = initialNs && process.geteuid?.() === 0
    this.opaqueXattr = overlayOpaqueXattr(opts.overlayXattrNamespace ?? (realRoot ? 'trusted' : 'user'))
    this.devicesAllowed = realRoot
  }

  private host(rel: string): string {
    return rel === '.' ? this.dest : `${this.dest}/${rel}`
  }

  private warn(message: string): void {
    this.opts.onWarning?.(message)
  }

  /**
   * Check (and for 'create', make) the parent directories of `rel`, never through a symlink.
   * For whiteouts a parent that is not a directory (itself whited out) means nothing to do: false.
   */
  private checkParents(rel: string, entry: string, mode: 'create' | 'existing' | 'whiteout', linkname = ''): boolean {
    const parts = rel.split('/')
    parts.pop()
    let current = ''
    for (const part of parts) {
      current = current ? `${current}/${part}` : part
      if (this.dirs.has(current)) continue
      const host = this.host(current)
      let st: fs.Stats | undefined
      try {
        st = fs.lstatSync(host)
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw wrap(err, `layer entry ${q(entry)}`)
      }
      if (!st) {
        if (mode === 'existing') throw hardlinkTargetMissing(entry, linkname)
        // parents missing from the tar: 0755, owned by the namespace's root
        fs.mkdirSync(host)
        fs.chmodSync(host, 0o755)
      } else if (st.isSymbolicLink()) {
        throw entryError(entry, `path escapes through symlink ${q(current)}`, LayerBreakoutError)
      } else if (!st.isDirectory()) {
        if (mode === 'whiteout') return false
        throw entryError(entry, `${q(current)} is not a directory`)
      }
      this.dirs.add(current)
    }
    return true
  }

  /** Remove what is at `rel` unless both it and the new entry are directories (then they merge). */
  private clearPath(rel: string, newIsDir: boolean): boolean {
    const host = this.host(rel)
    let st: fs.Stats
    try {
      st = fs.lstatSync(host)
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return false
      throw err
    }
    if (st.isDirectory()) {
      if (newIsDir) return true
      fs.rmSync(host, {recursive: true, force: true}) // removes symlinks inside, never follows them
      this.dirs.clear()
      this.dirs.add('.')
      for (const key of this.dirTimes.keys()) if (key === rel || key.startsWith(`${rel}/`)) this.dirTimes.delete(key)
      return false
    }
    fs.unlinkSync(host)
    return false
  }

  private owner(header: Header, entry: string): {uid: number; gid: number} {
    const uid = paxNumber(header.pax, 'uid') ?? header.uid ?? 0
    const gid = paxNumber(header.pax, 'gid') ?? header.gid ?? 0
    for (const id of [uid, gid])
      if (!Number.isInteger(id) || id < 0 || id > MAX_ID) throw entryError(entry, `owner ${uid}:${gid} is out of range`)
    return {uid, gid}
  }

  private times(header: Header): Times {
    const mtime = paxNumber(header.pax, 'mtime') ?? (header.mtime ? header.mtime.getTime() / 1000 : 0)
    const atime = paxNumber(header.pax, 'atime') ?? mtime
    return {mtime, atime: Math.max(atime, mtime)}
  }

  private chown(host: string, rel: string, owner: {uid: number; gid: number}, fd?: number): void {
    try {
      if (fd === undefined) fs.lchownSync(host, owner.uid, owner.gid)
      else fs.fchownSync(fd, owner.uid, owner.gid)
    } catch (err) {
      const reason = `lchown ${host}: ${errnoOf(err) === 'EINVAL' ? 'invalid argument' : (err as Error).message}`
      if (this.opts.ignoreChownErrors) {
        if (!this.chownWarned) this.warn(`Chown error detected. Ignoring due to ignoreChownErrors flag: ${reason}`)
        this.chownWarned = true
        return
      }
      if (errnoOf(err) === 'EINVAL')
        throw new TspodError(
          `potentially insufficient UIDs or GIDs available in user namespace (requested ${owner.uid}:${owner.gid} ` +
            `for /${rel}): Check /etc/subuid and /etc/subgid if configured locally: ${reason}`,
          {code: 'EINVAL', syscall: 'lchown', path: host, cause: err},
        )
      throw wrap(err, `layer entry ${q(rel)}`)
    }
  }

  private setXattrs(host: string, entry: string, xattrs: Xattrs): void {
    for (const [name, value] of xattrs) {
      if (SILENTLY_IGNORED_XATTRS.has(name)) continue
      if (RESERVED_XATTR_PREFIXES.some((p) => name.startsWith(p))) {
        this.warn(`ignoring xattr ${name} of layer entry ${q(entry)}: reserved for the storage driver`)
        continue
      }
      try {
        native().setxattr(host, name, value)
      } catch (err) {
        const code = errnoOf(err)
        if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EPERM') throw wrap(err, `layer entry ${q(entry)}`)
        this.warn(`ignoring xattr ${name} of layer entry ${q(entry)}: ${(err as Error).message}`)
      }
    }
  }

  async apply(entry: TarEntry, xattrs: Xattrs): Promise<void> {
    const header = entry.header as unknown as Header
    const name = header.name
    const rel = safeEntryName(name, this.dest)
    const base = path.posix.basename(rel)
    this.entries++
    if (this.opts.whiteouts === 'remove' && !base.startsWith(WHITEOUT_PREFIX)) this.written.add(rel)

    if (base.startsWith(WHITEOUT_PREFIX)) {
      await drain(entry)
      this.whiteout(rel, name, base, header)
    } else {
      switch (header.type) {
        case 'file':
        case 'contiguous-file':
          await this.file(entry, rel, name, header, xattrs)
          break
        case 'directory':
          // Not drained: tar-stream never gives a directory data, and when a hostile header
          // gives it a size, the entry's stream never ends (a pull would hang).
          this.directory(rel, name, header, xattrs)
          break
        case 'symlink':
          await drain(entry)
          this.symlink(rel, name, header, xattrs)
          break
        case 'link':
          await drain(entry)
          this.hardlink(rel, name, header, xattrs)
          break
        case 'fifo':
          await drain(entry)
          this.special(rel, name, header, xattrs, fs.constants.S_IFIFO, 0)
          break
        case 'character-device':
        case 'block-device':
          await drain(entry)
          this.device(rel, name, header, xattrs)
          break
        default:
          throw entryError(name, 'unhandled tar header type')
      }
    }
    this.lastGood = name
  }

  private device(rel: string, name: string, header: Header, xattrs: Xattrs): void {
    if (!this.devicesAllowed) {
      this.warn(`skipping device node ${name}: not permitted in a user namespace`)
      return
    }
    const type = header.type === 'block-device' ? fs.constants.S_IFBLK : fs.constants.S_IFCHR
    this.special(rel, name, header, xattrs, type, makeDev(header.devmajor ?? 0, header.devminor ?? 0))
  }

  private mode(header: Header): number {
    return (header.mode ?? 0) & 0o7777
  }

  private async file(entry: TarEntry, rel: string, name: string, header: Header, xattrs: Xattrs): Promise<void> {
    if (rel === '.') throw entryError(name, 'the root must be a directory')
    const owner = this.owner(header, name)
    this.checkParents(rel, name, 'create')
    this.clearPath(rel, false)
    const host = this.host(rel)
    const fd = fs.openSync(host, NEW_FILE_FLAGS, 0o600)
    try {
      let written = 0
      for await (const chunk of entry) {
        let offset = 0
        while (offset < chunk.length) offset += fs.writeSync(fd, chunk, offset, chunk.length - offset)
        written += chunk.length
      }
      this.size += written
      this.chown(host, rel, owner, fd)
      this.setXattrs(host, name, xattrs)
      fs.fchmodSync(fd, this.mode(header)) // after chown, which clears setuid/setgid
      const t = this.times(header)
      fs.futimesSync(fd, t.atime, t.mtime)
    } finally {
      fs.closeSync(fd)
    }
  }

  private directory(rel: string, name: string, header: Header, xattrs: Xattrs): void {
    if (rel === '.') return // the root keeps its own metadata, as in containers-storage
    const owner = this.owner(header, name)
    this.checkParents(rel, name, 'create')
    const host = this.host(rel)
    if (!this.clearPath(rel, true)) fs.mkdirSync(host, 0o700)
    this.dirs.add(rel)
    this.chown(host, rel, owner)
    this.setXattrs(host, name, xattrs)
    fs.chmodSync(host, this.mode(header))
    this.dirTimes.set(rel, this.times(header))
  }

  private symlink(rel: string, name: string, header: Header, xattrs: Xattrs): void {
    if (rel === '.') throw entryError(name, 'the root must be a directory')
    const linkname = header.linkname ?? ''
    if (symlinkTargetInside(rel, linkname) === undefined)
      throw new LayerBreakoutError(`invalid symlink ${q(name)} -> ${q(linkname)}`)
    const owner = this.owner(header, name)
    this.checkParents(rel, name, 'create')
    this.clearPath(rel, false)
    const host = this.host(rel)
    fs.symlinkSync(linkname, host)
    this.chown(host, rel, owner)
    this.setXattrs(host, name, xattrs)
    const t = this.times(header)
    fs.lutimesSync(host, t.atime, t.mtime)
  }

  private hardlink(rel: string, name: string, header: Header, xattrs: Xattrs): void {
    if (rel === '.') throw entryError(name, 'the root must be a directory')
    const linkname = header.linkname ?? ''
    let target: string
    try {
      target = safeEntryName(linkname, this.dest)
    } catch {
      throw new LayerBreakoutError(`invalid hardlink ${q(name)} -> ${q(linkname)}`)
    }
    if (target === rel) return // a link to itself: already there
    const owner = this.owner(header, name)
    this.checkParents(target, name, 'existing', linkname)
    let targetStat: fs.Stats
    try {
      targetStat = fs.lstatSync(this.host(target))
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') throw hardlinkTargetMissing(name, linkname)
      throw wrap(err, `layer entry ${q(name)}: hardlink target ${q(linkname)}`)
    }
    if (targetStat.isDirectory()) throw entryError(name, `hardlink target ${q(linkname)} is a directory`)
    this.checkParents(rel, name, 'create')
    this.clearPath(rel, false)
    const host = this.host(rel)
    fs.linkSync(this.host(target), host) // link(2) never follows a symlink target
    this.chown(host, rel, owner)
    this.setXattrs(host, name, xattrs)
    if (!targetStat.isSymbolicLink()) {
      fs.chmodSync(host, this.mode(header))
      const t = this.times(header)
      fs.lutimesSync(host, t.atime, t.mtime)
    }
  }

  private special(rel: string, name: string, header: Header, xattrs: Xattrs, type: number, dev: number): void {
    if (rel === '.') throw entryError(name, 'the root must be a directory')
    const owner = this.owner(header, name)
    this.checkParents(rel, name, 'create')
    this.clearPath(rel, false)
    const host = this.host(rel)
    native().mknod(host, type | 0o600, dev)
    this.chown(host, rel, owner)
    this.setXattrs(host, name, xattrs)
    fs.chmodSync(host, this.mode(header))
    const t = this.times(header)
    fs.lutimesSync(host, t.atime, t.mtime)
  }

  /** OCI whiteouts as native overlay reads them: a char 0/0 node, or the opaque xattr on a dir. */
  private whiteout(rel: string, name: string, base: string, header: Header): void {
    const dir = path.posix.dirname(rel)
    if (base.startsWith(WHITEOUT_META_PREFIX)) {
      if (base !== WHITEOUT_OPAQUE_DIR) return // other .wh..wh.* (aufs metadata) mean nothing here
      if (!this.checkParents(rel, name, 'whiteout')) return
      if (this.opts.whiteouts === 'remove') this.emptyExceptWritten(dir)
      else native().setxattr(this.host(dir), this.opaqueXattr, 'y')
      return
    }
    const hidden = base.slice(WHITEOUT_PREFIX.length)
    if (hidden === '' || hidden === '.' || hidden === '..') throw entryError(name, 'invalid whiteout name')
    const owner = this.owner(header, name)
    if (!this.checkParents(rel, name, 'whiteout')) return // the parent itself is whited out
    const target = dir === '.' ? hidden : `${dir}/${hidden}`
    this.clearPath(target, false)
    if (this.opts.whiteouts === 'remove') return
    const host = this.host(target)
    native().mknod(host, fs.constants.S_IFCHR, 0)
    this.chown(host, target, owner)
  }

  /** An opaque dir on a full tree: remove what the layers below put in `dir`, keep this layer's. */
  private emptyExceptWritten(dir: string): void {
    for (const name of fs.readdirSync(this.host(dir))) {
      const rel = dir === '.' ? name : `${dir}/${name}`
      if (!this.written.has(rel)) this.clearPath(rel, false)
      else if (fs.lstatSync(this.host(rel)).isDirectory()) this.emptyExceptWritten(rel)
    }
  }

  finish(): void {
    for (const [rel, t] of this.dirTimes) {
      try {
        fs.lutimesSync(this.host(rel), t.atime, t.mtime)
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw wrap(err, `layer entry ${q(rel)}`)
      }
    }
  }
}

function hardlinkTargetMissing(entry: string, linkname: string): TspodError {
  return entryError(entry, `hardlink target ${q(linkname)} does not exist`)
}

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of entry) {
    // entries other than regular files carry no data; anything there is read and dropped
  }
}

/** Errors of the tar parser in words that say what happened and where. */
function streamError(err: unknown, writer: LayerWriter, current: string | undefined): TspodError {
  if (err instanceof TspodError) return err
  const message = (err as Error)?.message ?? String(err)
  const after = writer.lastGood === undefined ? '' : ` after entry ${q(writer.lastGood)}`
  if (/Unexpected end of data/i.test(message)) {
    const where = current !== undefined ? ` in entry ${q(current)}` : after
    return new TspodError(`unexpected end of layer${where}`, {cause: err})
  }
  if (/Invalid tar header|Invalid header|Header exceeds max size/i.test(message))
    return new TspodError(`invalid tar header in layer${after}`, {cause: err})
  return wrap(err, `reading layer${after}`)
}

/**
 * Unpack a layer stream (gzip, zstd or plain tar, detected from its first bytes) into `dest`,
 * an existing directory. Returns the diffID (sha256 of the uncompressed tar) and what was
 * written. On failure `dest` may hold part of the layer: callers unpack into a staging dir.
 */
export async function applyLayer(layer: Readable, dest: string, opts: ApplyLayerOptions): Promise<AppliedLayer> {
  const root = path.resolve(dest)
  let st: fs.Stats
  try {
    st = fs.lstatSync(root)
  } catch (err) {
    throw wrap(err, `layer destination ${root}`)
  }
  if (!st.isDirectory()) throw new TspodError(`layer destination ${root} is not a directory`)

  let compression: LayerCompression = 'none'
  const decompressor = createLayerDecompressor((c) => (compression = c))
  const hasher = opts.knownDiffID === undefined ? new HashingPassThrough() : undefined
  // allowUnknownFormat: old v7 headers (no ustar magic) are still valid layers for Go's archive/tar
  const extract = tar.extract({allowUnknownFormat: true} as Parameters<typeof tar.extract>[0])
  const tap: XattrTap = tapPaxXattrs(extract)
  const fail = (err: Error): void => {
    extract.destroy(err)
  }
  layer.on('error', fail)
  decompressor.on('error', fail)
  hasher?.on('error', fail)
  if (hasher) layer.pipe(decompressor).pipe(hasher).pipe(extract)
  else layer.pipe(decompressor).pipe(extract)

  const writer = new LayerWriter(root, opts)
  const entries = extract[Symbol.asyncIterator]() as AsyncIterator<TarEntry>
  let current: string | undefined
  let done = false
  try {
    for (;;) {
      let step: IteratorResult<TarEntry>
      try {
        step = await entries.next()
      } catch (err) {
        throw streamError(err, writer, undefined)
      }
      if (step.done) break
      current = step.value.header.name
      try {
        await writer.apply(step.value, tap.take())
      } catch (err) {
        if (err instanceof TspodError) throw err
        const code = errnoOf(err)
        if (code !== undefined) throw wrap(err, `layer entry ${q(current)}`)
        throw streamError(err, writer, current)
      }
      current = undefined
    }
    writer.finish()
    done = true
  } finally {
    if (!done) {
      layer.destroy()
      decompressor.destroy()
      hasher?.destroy()
      extract.destroy()
    }
  }
  return {diffID: hasher ? `sha256:${hasher.hash.digest('hex')}` : opts.knownDiffID!, size: writer.size, entries: writer.entries, compression}
}
