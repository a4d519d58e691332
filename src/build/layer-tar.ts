// A container's read-write layer as an image layer: overlay's upper dir walked in lexical order
// and written as an uncompressed tar, with overlay's whiteouts turned into the image format's
// (a char 0/0 node becomes `.wh.<name>`, an opaque dir gets a `.wh..wh..opq` entry), as
// containers-storage's overlay driver writes a diff. It runs as root of the container's user
// namespace (layer-diff-worker.ts), so lstat shows the owners the container saw, which are the
// owners the layer stores: host subordinate ids never reach the tar.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tar from 'tar-stream'

import {native} from '../native'

export interface LayerTarJob {
  /** the dir to tar (a container's upper dir) */
  source: string
  /** the tar file to write */
  output: string
  /** paths (relative) the runtime made only as mount points: left out while they hold nothing else */
  skip?: string[]
}

export interface LayerTar {
  /** sha256 of the tar: its DiffID and, uncompressed, its blob digest */
  diffID: string
  /** bytes of the tar */
  size: number
}

const WHITEOUT_PREFIX = '.wh.'
const OPAQUE_MARKER = '.wh..wh..opq'
const OPAQUE_XATTRS = ['user.overlay.opaque', 'trusted.overlay.opaque', 'user.fuseoverlayfs.opaque']
/** xattrs a layer carries (file capabilities); overlay's own markers never */
const KEPT_XATTRS = ['security.capability']

function getxattr(file: string, name: string): Buffer | null {
  try {
    return native().getxattr(file, name)
  } catch {
    return null
  }
}

function isOpaque(dir: string): boolean {
  return OPAQUE_XATTRS.some((name) => getxattr(dir, name)?.toString() === 'y')
}

function paxXattrs(file: string): Record<string, string> | undefined {
  const pax: Record<string, string> = {}
  for (const name of KEPT_XATTRS) {
    const value = getxattr(file, name)
    if (value) pax[`SCHILY.xattr.${name}`] = value.toString('latin1')
  }
  return Object.keys(pax).length > 0 ? pax : undefined
}

export type EntryHeader = Partial<tar.Header> & {name: string}

function baseHeader(name: string, st: fs.Stats): EntryHeader {
  return {name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime, uname: '', gname: ''}
}

/** reads of 1 MB rather than the stream default of 64 KB: a third less CPU for a context of large files */
const READ_CHUNK = 1 << 20

function isDestroyed(sink: NodeJS.WritableStream): boolean {
  return (sink as unknown as {destroyed: boolean}).destroyed
}

/** Until `sink` takes more (true) or is destroyed (false: the entry's callback has the error). */
function drained(sink: NodeJS.WritableStream): Promise<boolean> {
  if (isDestroyed(sink)) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (): void => {
      sink.removeListener('drain', done)
      sink.removeListener('close', done)
      resolve(!isDestroyed(sink))
    }
    sink.on('drain', done)
    sink.on('close', done)
  })
}

/**
 * An uncompressed tar being written to a file, hashed as it goes. The tar's chunks are written
 * to the file as the packer makes them, synchronously: this runs in a worker that does one job
 * at a time, and a write stream's round trips through the thread pool cost more than the writes.
 */
export class LayerTarWriter {
  private readonly pack = tar.pack()
  private readonly hash = crypto.createHash('sha256')
  private size = 0
  private readonly written: Promise<void>

  constructor(output: string) {
    const fd = fs.openSync(output, 'w', 0o600)
    this.written = new Promise<void>((resolve, reject) => {
      this.pack.on('data', (data: unknown) => {
        const chunk = data as Buffer
        try {
          this.hash.update(chunk)
          this.size += chunk.length
          for (let offset = 0; offset < chunk.length; ) offset += fs.writeSync(fd, chunk, offset, chunk.length - offset)
        } catch (err) {
          this.pack.destroy(err as Error)
        }
      })
      this.pack.on('end', resolve)
      this.pack.on('error', reject)
      this.pack.on('close', () => reject(new Error('the layer tar was cut short')))
    }).finally(() => fs.closeSync(fd))
    this.written.catch(() => undefined) // awaited by finish or fail
  }

  entry(header: EntryHeader, body?: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())))
  }

  /**
   * A regular file's entry with the contents of `file`, a path or an open fd left open (header.size
   * its size). A file that shrinks while it is read fails with tar-stream's "Size mismatch".
   */
  async file(header: EntryHeader, file: string | number): Promise<void> {
    let sink!: NodeJS.WritableStream
    const entryWritten = new Promise<void>((resolve, reject) => {
      sink = this.pack.entry(header, (err) => (err ? reject(err) : resolve()))
    })
    entryWritten.catch(() => undefined) // awaited below
    sink.on('error', () => undefined) // the entry's callback has it
    // read synchronously, as the tar is written (LayerTarWriter): a path to its end, an fd its header's size from the start
    const fd = typeof file === 'string' ? fs.openSync(file, 'r') : file
    try {
      let position = 0
      let left = typeof file === 'string' ? Infinity : (header.size ?? 0)
      while (left > 0) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, left))
        const n = fs.readSync(fd, chunk, 0, chunk.length, typeof file === 'string' ? null : position)
        if (n === 0) break
        position += n
        left -= n
        if (!sink.write(n < chunk.length ? chunk.subarray(0, n) : chunk) && !(await drained(sink))) break
      }
    } catch (err) {
      ;(sink as unknown as {destroy(err: Error): void}).destroy(err as Error)
      throw err
    } finally {
      if (typeof file === 'string') fs.closeSync(fd)
    }
    if (!isDestroyed(sink)) sink.end()
    await entryWritten
  }

  async finish(): Promise<LayerTar> {
    this.pack.finalize()
    await this.written
    return {diffID: `sha256:${this.hash.digest('hex')}`, size: this.size}
  }

  async fail(err: Error): Promise<void> {
    this.pack.destroy(err)
    await this.written.catch(() => undefined)
  }
}

/** A tar header from lstat, with the owners as this process sees them. */
export function statHeader(name: string, st: fs.Stats): EntryHeader {
  return baseHeader(name, st)
}

export {WHITEOUT_PREFIX, OPAQUE_MARKER, isOpaque, paxXattrs}

const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
const O_FILE = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK

/** tar-stream's error for an entry whose body is shorter than its header says */
const SIZE_MISMATCH = 'Size mismatch'

function changedUnderReader(rel: string): Error {
  return new Error(`${JSON.stringify(rel)} changed while it was read (a running container's changes are read with --pause)`)
}

/**
 * Write the tar of `job.source` to `job.output`; returns its digest and size. A running
 * container may swap anything in its upper dir for a symlink while it is read: each dir is held
 * open (O_NOFOLLOW) and its entries reached through that fd, each file opened O_NOFOLLOW and
 * checked to be what lstat saw, so nothing is ever read through a symlink.
 */
export async function writeLayerTar(job: LayerTarJob): Promise<LayerTar> {
  const out = new LayerTarWriter(job.output)
  const links = new Map<string, string>()
  const entry = (header: EntryHeader) => out.entry(header)
  const skip = new Set(job.skip ?? [])
  const mountPoint = (file: string, rel: string): boolean => {
    if (!skip.has(rel)) return false
    const st = fs.lstatSync(file)
    if (st.isFile()) return st.size === 0
    return st.isDirectory() && fs.readdirSync(file).every((n) => mountPoint(path.join(file, n), `${rel}/${n}`))
  }

  const walk = async (dirPath: string, rel: string): Promise<void> => {
    let dirFd: number
    try {
      dirFd = fs.openSync(dirPath, O_DIR)
    } catch (err) {
      if (rel && ((err as NodeJS.ErrnoException).code === 'ELOOP' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')) throw changedUnderReader(rel)
      throw err
    }
    try {
      // lgetxattr does not follow the magic link itself: its xattrs are read through `/.`
      const dir = `/proc/self/fd/${dirFd}`
      if (rel && isOpaque(`${dir}/.`)) await entry({...baseHeader(`${rel}/${OPAQUE_MARKER}`, fs.fstatSync(dirFd)), type: 'file', size: 0})
      for (const name of fs.readdirSync(dir).sort()) {
        const relName = rel ? `${rel}/${name}` : name
        if (skip.size > 0 && mountPoint(`${dir}/${name}`, relName)) continue
        await walkEntry(dir, name, relName)
      }
    } finally {
      fs.closeSync(dirFd)
    }
  }

  const walkEntry = async (dir: string, name: string, relName: string): Promise<void> => {
    const file = `${dir}/${name}`
    const st = fs.lstatSync(file)
    if (st.isCharacterDevice() && st.rdev === 0) {
      const slash = relName.lastIndexOf('/')
      const header = {...baseHeader(`${relName.slice(0, slash + 1)}${WHITEOUT_PREFIX}${name}`, st), mode: 0o600, type: 'file' as const, size: 0}
      await entry(header)
      return
    }
    const header = baseHeader(relName, st)
    if (st.isDirectory()) {
      const pax = paxXattrs(file)
      await entry({...header, ...(pax ? {pax} : {}), name: `${relName}/`, type: 'directory'})
      await walk(file, relName)
    } else if (st.isSymbolicLink()) {
      let linkname: string
      try {
        linkname = fs.readlinkSync(file)
      } catch (err) {
        // swapped for a non-link (EINVAL) or removed since the lstat
        if (['EINVAL', 'ENOENT'].includes((err as NodeJS.ErrnoException).code ?? '')) throw changedUnderReader(relName)
        throw err
      }
      await entry({...header, type: 'symlink', linkname})
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`
      const first = st.nlink > 1 ? links.get(key) : undefined
      if (first !== undefined) {
        await entry({...header, type: 'link', linkname: first, size: 0})
        return
      }
      let fd: number
      try {
        fd = fs.openSync(file, O_FILE)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw changedUnderReader(relName)
        throw err
      }
      try {
        const opened = fs.fstatSync(fd)
        if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev) throw changedUnderReader(relName)
        const pax = paxXattrs(file)
        if (st.nlink > 1) links.set(key, relName)
        await out.file({...header, ...(pax ? {pax} : {}), type: 'file', size: st.size}, fd).catch((err: Error) => {
          throw err.message === SIZE_MISMATCH ? changedUnderReader(relName) : err
        })
      } finally {
        fs.closeSync(fd)
      }
    } else if (st.isFIFO()) {
      await entry({...header, type: 'fifo'})
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const major = Math.floor(st.rdev / 256) & 0xfff
      const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00)
      await entry({...header, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: major, devminor: minor})
    }
    // sockets are not kept in a layer, as containers-storage skips them
  }

  try {
    await walk(job.source, '')
  } catch (err) {
    await out.fail(err as Error)
    throw err
  }
  return await out.finish()
}
