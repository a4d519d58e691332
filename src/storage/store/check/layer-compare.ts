// Compare an unpacked layer (overlay/<id>/diff) with its kept blob: the blob's tar listing says
// what unpacking it made (apply-layer.ts), the dir says what is there now. Runs as root of the
// rootless user namespace (layer-check-worker.ts), where the layer's files read as their image
// owners and every file can be opened whatever its mode.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable, Transform, TransformCallback} from 'node:stream'
import * as tar from 'tar-stream'

import {native} from '../../../native'
import {createLayerDecompressor} from '../archive/decompress'
import {relativeEntryName, symlinkTargetInside} from '../archive/tar-entry-name'

export interface LayerCompareOptions {
  /** also compare every regular file's bytes (else types, sizes, modes, owners and presence) */
  full: boolean
  /** owners were squashed when unpacking (ignore_chown_errors): they are not compared */
  ignoreChownErrors: boolean
  /** device nodes were unpacked (real root); rootless unpacking skips them */
  devicesAllowed: boolean
  /** "user.overlay.opaque" (rootless) or "trusted.overlay.opaque" (real root) */
  opaqueXattr: string
  /**
   * The dir is a full tree (vfs): its parent layer's tree with this diff applied. Entries the
   * diff does not name are the parent's and not compared, unless under a dir it made opaque;
   * whited-out entries must be absent; there are no opaque markers.
   */
  fullTree?: boolean
  /** how many differences to name; the rest are only counted */
  maxNamed?: number
  /** epoch ms: give up on the layer (`outOfTime`) once past it */
  deadline?: number
}

export interface LayerComparison {
  /** sha256 of the blob as stored, "sha256:<hex>" (undefined when it could not be read through) */
  blobDigest?: string
  /** sha256 of the blob's tar stream */
  diffID?: string
  /** why the blob could not be read through (missing, corrupt compression, bad tar) */
  blobError?: string
  /** the deadline passed before the layer was read through: nothing is known about it */
  outOfTime?: boolean
  /** the first differences, "bin/busybox: missing" */
  differences: string[]
  /** all differences, named or not */
  differenceCount: number
  entries: number
}

type Kind = 'dir' | 'file' | 'symlink' | 'fifo' | 'char' | 'block' | 'whiteout'

interface Expected {
  kind: Kind
  mode?: number
  uid?: number
  gid?: number
  size?: number
  linkTarget?: string
  rdev?: {major: number; minor: number}
  opaque?: boolean
  /** the regular file this entry is a hard link to (the same inode) */
  hardlinkOf?: string
  /** full check: the bytes in diff/ differ from the blob's */
  contentDiffers?: boolean
  /** a parent dir the tar does not list (made 0755 root-owned where nothing is below) */
  implicit?: boolean
}

const WHITEOUT_PREFIX = '.wh.'
const WHITEOUT_META_PREFIX = '.wh..wh.'
const WHITEOUT_OPAQUE_DIR = '.wh..wh..opq'
const READ_CHUNK = 256 * 1024

type Header = Omit<tar.Header, "pax"> & {pax?: Record<string, string> | null}

function paxNumber(pax: Record<string, string> | null | undefined, key: string): number | undefined {
  const value = pax?.[key]
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined
  return Number(value)
}

class Hasher extends Transform {
  readonly hash = crypto.createHash('sha256')

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk)
    done(null, chunk)
  }
}

/** What unpacking the blob made: the listing replayed the way apply-layer.ts applies it. */
class ExpectedTree {
  readonly entries = new Map<string, Expected>([['.', {kind: 'dir'}]])

  private removeTree(rel: string): void {
    const prefix = `${rel}/`
    const existing = this.entries.get(rel)
    this.entries.delete(rel)
    if (existing?.kind !== 'dir') return
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
  }

  /** Parents a layer leaves out are made 0755 and owned by root; false when one is not a dir. */
  private parents(rel: string): boolean {
    const parts = rel.split('/')
    parts.pop()
    let current = ''
    for (const part of parts) {
      current = current ? `${current}/${part}` : part
      const e = this.entries.get(current)
      if (!e) this.entries.set(current, {kind: 'dir', mode: 0o755, uid: 0, gid: 0, implicit: true})
      else if (e.kind !== 'dir') return false
    }
    return true
  }

  private owner(h: Header): {uid: number; gid: number} {
    return {uid: paxNumber(h.pax, 'uid') ?? h.uid ?? 0, gid: paxNumber(h.pax, 'gid') ?? h.gid ?? 0}
  }

  private put(rel: string, e: Expected): void {
    const existing = this.entries.get(rel)
    if (existing && !(existing.kind === 'dir' && e.kind === 'dir')) this.removeTree(rel)
    if (existing?.kind === 'dir' && e.kind === 'dir') e.opaque = existing.opaque
    this.entries.set(rel, e)
  }

  /** Record one tar entry; returns the relative path of a regular file whose bytes follow. */
  add(h: Header, devicesAllowed: boolean): string | undefined {
    const rel = relativeEntryName(h.name)
    if (rel === undefined) return undefined
    const base = path.posix.basename(rel)
    const mode = (h.mode ?? 0) & 0o7777
    if (base.startsWith(WHITEOUT_PREFIX)) {
      // other .wh..wh.* (aufs metadata) are skipped before their parents are made
      if (base.startsWith(WHITEOUT_META_PREFIX) && base !== WHITEOUT_OPAQUE_DIR) return undefined
      if (!this.parents(rel)) return undefined
      const dir = path.posix.dirname(rel)
      if (base === WHITEOUT_OPAQUE_DIR) {
        this.entries.get(dir)!.opaque = true
        return undefined
      }
      const target = dir === '.' ? base.slice(WHITEOUT_PREFIX.length) : `${dir}/${base.slice(WHITEOUT_PREFIX.length)}`
      this.put(target, {kind: 'whiteout', ...this.owner(h)})
      return undefined
    }
    if (rel === '.') return undefined // the layer's root keeps its own metadata
    switch (h.type) {
      case 'file':
      case 'contiguous-file':
        this.parents(rel)
        this.put(rel, {kind: 'file', mode, size: h.size ?? 0, ...this.owner(h)})
        return rel
      case 'directory':
        this.parents(rel)
        this.put(rel, {kind: 'dir', mode, ...this.owner(h)})
        return undefined
      case 'symlink':
        if (symlinkTargetInside(rel, h.linkname ?? '') === undefined) return undefined
        this.parents(rel)
        this.put(rel, {kind: 'symlink', linkTarget: h.linkname ?? '', ...this.owner(h)})
        return undefined
      case 'link': {
        const target = relativeEntryName(h.linkname ?? '')
        if (target === undefined || target === rel) return undefined
        const of = this.entries.get(target)
        if (!of || of.kind === 'dir') return undefined
        const inode = of.hardlinkOf ?? target
        const first = this.entries.get(inode) ?? of
        this.parents(rel)
        // link(2) shares the inode: the link's chown (and chmod, unless a symlink) are the first
        // name's too, whose checks cover the inode; the link itself must be that inode
        Object.assign(first, this.owner(h))
        if (first.kind !== 'symlink') first.mode = mode
        this.put(rel, {kind: of.kind, hardlinkOf: inode})
        return undefined
      }
      case 'fifo':
        this.parents(rel)
        this.put(rel, {kind: 'fifo', mode, ...this.owner(h)})
        return undefined
      case 'character-device':
      case 'block-device':
        if (!devicesAllowed) return undefined // skipped by a rootless unpack
        this.parents(rel)
        this.put(rel, {
          kind: h.type === 'block-device' ? 'block' : 'char',
          mode,
          rdev: {major: h.devmajor ?? 0, minor: h.devminor ?? 0},
          ...this.owner(h),
        })
        return undefined
      default:
        return undefined
    }
  }
}

function kindOf(st: fs.Stats): Kind | 'socket' | 'unknown' {
  if (st.isDirectory()) return 'dir'
  if (st.isFile()) return 'file'
  if (st.isSymbolicLink()) return 'symlink'
  if (st.isFIFO()) return 'fifo'
  if (st.isCharacterDevice()) return st.rdev === 0 ? 'whiteout' : 'char'
  if (st.isBlockDevice()) return 'block'
  if (st.isSocket()) return 'socket'
  return 'unknown'
}

const KIND_WORDS: Record<string, string> = {
  dir: 'a directory',
  file: 'a file',
  symlink: 'a symlink',
  fifo: 'a fifo',
  char: 'a character device',
  block: 'a block device',
  whiteout: 'a whiteout',
  socket: 'a socket',
  unknown: 'an unknown file type',
}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`

function major(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn))
}

function minor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn))
}

/** Does the file at `file` hold exactly the bytes of `entry`? Reads both a chunk at a time. */
async function sameContent(entry: AsyncIterable<Buffer>, file: string): Promise<boolean | undefined> {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
  } catch {
    for await (const _ of entry) {
      // missing or not a file: the walk names it
    }
    return undefined
  }
  let same = true
  const buf = Buffer.allocUnsafe(READ_CHUNK)
  try {
    for await (const chunk of entry) {
      if (!same) continue
      let offset = 0
      while (offset < chunk.length) {
        const want = Math.min(buf.length, chunk.length - offset)
        const got = fs.readSync(fd, buf, 0, want, null)
        if (got !== want || !buf.subarray(0, got).equals(chunk.subarray(offset, offset + got))) {
          same = false
          break
        }
        offset += got
      }
    }
    if (same && fs.readSync(fd, buf, 0, 1, null) !== 0) same = false
  } catch {
    same = false
  } finally {
    fs.closeSync(fd)
  }
  return same
}

class OutOfTime extends Error {}

async function fileDigest(file: string): Promise<string> {
  const hash = crypto.createHash('sha256')
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer)
  return `sha256:${hash.digest('hex')}`
}

function readError(err: unknown): string {
  const message = (err as Error)?.message ?? String(err)
  if (/Invalid tar header|Invalid header/i.test(message)) return 'invalid tar header'
  if (/Unexpected end of data/i.test(message)) return 'unexpected end of the tar stream'
  return message
}

class Differences {
  readonly named: string[] = []
  count = 0

  constructor(private readonly max: number) {}

  add(rel: string, what: string): void {
    this.count++
    if (this.named.length < this.max) this.named.push(`${rel}: ${what}`)
  }
}

function compareEntry(rel: string, st: fs.Stats, host: string, e: Expected, opts: LayerCompareOptions, inodes: Map<string, string>, diffs: Differences): void {
  if (opts.fullTree && e.kind === 'whiteout') return diffs.add(rel, `${KIND_WORDS[kindOf(st)]}, expected removed by a whiteout`)
  if (opts.fullTree && e.implicit) return // the parent layer's dir
  const seen = kindOf(st)
  const kind = seen === 'whiteout' && e.kind === 'char' ? 'char' : seen // a 0/0 device node in the tar (as real root)
  if (kind !== e.kind) return diffs.add(rel, `${KIND_WORDS[kind]}, expected ${KIND_WORDS[e.kind]}`)
  if (e.hardlinkOf !== undefined) {
    const key = inodes.get(e.hardlinkOf)
    if (key !== undefined && key !== `${st.dev}:${st.ino}`) diffs.add(rel, `not a hard link to ${e.hardlinkOf}`)
  }
  if (e.kind === 'file' && e.size !== undefined && st.size !== e.size) return diffs.add(rel, `size ${st.size}, expected ${e.size}`)
  if (e.kind === 'symlink' && e.linkTarget !== undefined) {
    const target = fs.readlinkSync(host)
    if (target !== e.linkTarget) return diffs.add(rel, `points to ${JSON.stringify(target)}, expected ${JSON.stringify(e.linkTarget)}`)
  }
  if (e.rdev && (major(st.rdev) !== e.rdev.major || minor(st.rdev) !== e.rdev.minor))
    return diffs.add(rel, `device ${major(st.rdev)}:${minor(st.rdev)}, expected ${e.rdev.major}:${e.rdev.minor}`)
  if (rel !== '.' && e.mode !== undefined && e.kind !== 'symlink' && (st.mode & 0o7777) !== e.mode)
    return diffs.add(rel, `mode ${octal(st.mode & 0o7777)}, expected ${octal(e.mode)}`)
  if (rel !== '.' && !opts.ignoreChownErrors && e.uid !== undefined && (st.uid !== e.uid || st.gid !== e.gid))
    return diffs.add(rel, `owner ${st.uid}:${st.gid}, expected ${e.uid}:${e.gid}`)
  if (e.kind === 'dir' && !opts.fullTree) {
    const opaque = native().getxattr(host, opts.opaqueXattr)?.toString() === 'y'
    if (opaque !== (e.opaque === true)) return diffs.add(rel, opaque ? 'marked opaque, expected not' : 'not marked opaque, expected opaque')
  }
  if (e.contentDiffers) diffs.add(rel, 'content differs')
}

/** Walk `root` (not following symlinks), comparing each entry with the expected tree. */
function walk(root: string, expected: Map<string, Expected>, opts: LayerCompareOptions, diffs: Differences): void {
  // hard links: the inode of each regular file named by a link's target
  const inodes = new Map<string, string>()
  const targets = new Set([...expected.values()].flatMap((e) => (e.hardlinkOf ? [e.hardlinkOf] : [])))
  for (const t of targets) {
    try {
      const st = fs.lstatSync(t === '.' ? root : `${root}/${t}`)
      inodes.set(t, `${st.dev}:${st.ino}`)
    } catch {
      // missing: named by the walk
    }
  }
  const seen = new Set<string>()
  const visit = (rel: string, underOpaque: boolean): void => {
    const host = rel === '.' ? root : `${root}/${rel}`
    const st = fs.lstatSync(host)
    seen.add(rel)
    const e = expected.get(rel)
    if (!e) {
      // a full tree's entry the diff does not name is its parent layer's (not below an opaque dir)
      if (!opts.fullTree || underOpaque) diffs.add(rel, `not in the layer (${KIND_WORDS[kindOf(st)]})`)
      return
    }
    compareEntry(rel, st, host, e, opts, inodes, diffs)
    if (!st.isDirectory()) return
    for (const name of fs.readdirSync(host).sort()) visit(rel === '.' ? name : `${rel}/${name}`, underOpaque || e.opaque === true)
  }
  visit('.', false)
  for (const [rel, e] of [...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (!seen.has(rel) && !(opts.fullTree && e.kind === 'whiteout')) diffs.add(rel, e.kind === 'file' ? 'missing' : `missing (${KIND_WORDS[e.kind]})`)
}

/**
 * Read the blob through (checking its digest and DiffID along the way), replay its listing and
 * compare `diffDir` with it. Memory grows with the number of entries, never with their size.
 */
export async function compareLayerWithBlob(blob: string, diffDir: string, opts: LayerCompareOptions): Promise<LayerComparison> {
  const diffs = new Differences(opts.maxNamed ?? 5)
  const tree = new ExpectedTree()
  const blobHash = new Hasher()
  const tarHash = new Hasher()
  const extract = tar.extract({allowUnknownFormat: true} as Parameters<typeof tar.extract>[0])
  let input: Readable
  try {
    fs.accessSync(blob, fs.constants.R_OK)
    input = fs.createReadStream(blob)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return {blobError: code === 'ENOENT' ? 'blob missing' : `blob unreadable: ${(err as Error).message}`, differences: [], differenceCount: 0, entries: 0}
  }
  const decompress = createLayerDecompressor()
  const fail = (err: Error): void => {
    extract.destroy(err)
  }
  for (const s of [input, blobHash, decompress, tarHash]) s.on('error', fail)
  input.pipe(blobHash).pipe(decompress).pipe(tarHash).pipe(extract)
  let entries = 0
  try {
    for await (const entry of extract as unknown as AsyncIterable<{header: tar.Header} & AsyncIterable<Buffer>>) {
      entries++
      if (opts.deadline !== undefined && Date.now() >= opts.deadline) throw new OutOfTime()
      const file = tree.add(entry.header as Header, opts.devicesAllowed)
      if (file !== undefined && opts.full) {
        const same = await sameContent(entry, `${diffDir}/${file}`)
        const e = tree.entries.get(file)
        if (e && same === false) e.contentDiffers = true
      } else {
        for await (const _ of entry) {
          // only the listing matters here
        }
      }
    }
  } catch (err) {
    for (const s of [input, blobHash, decompress, tarHash, extract]) s.destroy()
    if (err instanceof OutOfTime) return {outOfTime: true, differences: [], differenceCount: 0, entries}
    // its digest tells a damaged blob from one that was never a valid layer
    const blobDigest = await fileDigest(blob).catch(() => undefined)
    return {blobDigest, blobError: `blob unreadable: ${readError(err)}`, differences: [], differenceCount: 0, entries}
  }
  const result: LayerComparison = {
    blobDigest: `sha256:${blobHash.hash.digest('hex')}`,
    diffID: `sha256:${tarHash.hash.digest('hex')}`,
    differences: [],
    differenceCount: 0,
    entries,
  }
  try {
    walk(diffDir, tree.entries, opts, diffs)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !fs.existsSync(diffDir)) diffs.add('.', 'missing (the whole diff dir)')
    else diffs.add('.', `cannot be read: ${(err as Error).message}`)
  }
  result.differences = diffs.named
  result.differenceCount = diffs.count
  return result
}
