// A build context that is not a directory, as buildah takes it: `-` (stdin) or an http(s) URL.
// The bytes are saved once; a tar archive (plain, gzip, zstd, bzip2 or xz) is unpacked as the
// context, anything else is the Containerfile itself, in an empty context. Unpacking happens in
// this process as the user, inside the work dir only: a name that climbs out is refused, and no
// entry is ever written through a symlink (every parent is checked with lstat, files are opened
// O_EXCL|O_NOFOLLOW), so a hostile archive cannot write outside the context.
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as tar from 'tar-stream'

import {TspodError} from '../errors'
import {createLayerDecompressor} from '../storage/store/archive/decompress'
import {relativeEntryName} from '../storage/store/archive/tar-entry-name'
import {DEFAULT_TIMEOUTS, httpGet} from '../storage/image/transports/docker/http-request'

export interface PreparedContext {
  contextDir: string
  /** the Containerfile, when the source was one (not an archive) */
  file?: string
}

type Kind = 'gzip' | 'zstd' | 'bzip2' | 'xz' | 'tar' | 'other'

export function isRemoteContext(source: string): boolean {
  return /^https?:\/\//i.test(source)
}

function readHead(file: string, size: number): Buffer {
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.alloc(size)
    return buf.subarray(0, fs.readSync(fd, buf, 0, size, 0))
  } finally {
    fs.closeSync(fd)
  }
}

function tarHeaderBlock(block: Buffer): boolean {
  if (block.length < 512) return false
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]
  const field = block.subarray(148, 156).toString('latin1').replace(/[\0 ]+/g, '')
  return sum !== 256 && /^[0-7]+$/.test(field) && parseInt(field, 8) === sum
}

function kindOf(head: Buffer): Kind {
  const starts = (magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b)
  if (starts([0x1f, 0x8b])) return 'gzip'
  if (starts([0x28, 0xb5, 0x2f, 0xfd])) return 'zstd'
  if (starts([0x42, 0x5a, 0x68])) return 'bzip2'
  if (starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz'
  return tarHeaderBlock(head.subarray(0, 512)) ? 'tar' : 'other'
}

/** The decompressed stream of `file`, and a promise for the decompressor's own end. */
function openArchive(file: string, kind: Kind): {stream: Readable; done: Promise<void>} {
  if (kind === 'bzip2' || kind === 'xz') {
    // Node has no bzip2 or xz: the system's decompressor as a filter, as buildah's archive package does
    const child = spawn(kind, ['-dc', file], {stdio: ['ignore', 'pipe', 'ignore']})
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', (err) => reject(new TspodError(`${kind} is needed to unpack the build context: ${err.message}`)))
      child.on('close', (code) => (code === 0 ? resolve() : reject(new TspodError(`unpacking the build context: ${kind} -dc: exit status ${code}`))))
    })
    return {stream: child.stdout, done}
  }
  const stream = fs.createReadStream(file).pipe(createLayerDecompressor())
  return {stream, done: Promise.resolve()}
}

/** Is the decompressed content of `file` a tar archive? (its first block) */
async function holdsTar(file: string, kind: Kind): Promise<boolean> {
  if (kind === 'tar') return true
  if (kind === 'other') return false
  const {stream} = openArchive(file, kind)
  const chunks: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer)
      length += (chunk as Buffer).length
      if (length >= 512) break
    }
  } catch {
    return false
  } finally {
    stream.destroy()
  }
  return tarHeaderBlock(Buffer.concat(chunks).subarray(0, 512))
}

function refuse(name: string, why: string): TspodError {
  return new TspodError(`unpacking the build context: entry ${JSON.stringify(name)} ${why}`)
}

/** Create the missing dirs above `rel` under `root`, refusing to pass through a symlink or a file. */
function parentDirs(root: string, rel: string, name: string): void {
  let at = root
  for (const part of rel.split('/').slice(0, -1)) {
    at = path.join(at, part)
    const st = fs.lstatSync(at, {throwIfNoEntry: false})
    if (!st) fs.mkdirSync(at, {mode: 0o755})
    else if (st.isSymbolicLink()) throw refuse(name, 'would be written through a symlink')
    else if (!st.isDirectory()) throw refuse(name, `is below ${JSON.stringify(path.relative(root, at))}, which is not a directory`)
  }
}

async function writeEntry(root: string, header: tar.Header, body: Readable): Promise<void> {
  const rel = relativeEntryName(header.name)
  if (rel === undefined) throw refuse(header.name, 'is outside of the context')
  const target = rel === '.' ? root : path.join(root, rel)
  const mode = (header.mode ?? 0o644) & 0o7777
  if (header.type === 'directory') {
    body.resume()
    if (rel === '.') return
    parentDirs(root, rel, header.name)
    const st = fs.lstatSync(target, {throwIfNoEntry: false})
    if (st && !st.isDirectory()) fs.rmSync(target, {force: true})
    if (!st?.isDirectory()) fs.mkdirSync(target, {mode: mode | 0o700})
    fs.chmodSync(target, mode | 0o700)
    return
  }
  if (rel === '.') throw refuse(header.name, 'is not a directory in place of the context root')
  parentDirs(root, rel, header.name)
  const existing = fs.lstatSync(target, {throwIfNoEntry: false})
  if (existing) fs.rmSync(target, {recursive: true, force: true})
  switch (header.type) {
    case 'symlink':
      body.resume()
      // kept as a link: COPY reads the context without following links
      fs.symlinkSync(header.linkname ?? '', target)
      return
    case 'link': {
      body.resume()
      const from = relativeEntryName(header.linkname ?? '')
      if (from === undefined || from === '.') throw refuse(header.name, `is a hard link to ${JSON.stringify(header.linkname)}, outside of the context`)
      parentDirs(root, from, header.name)
      if (!fs.lstatSync(path.join(root, from), {throwIfNoEntry: false})?.isFile())
        throw refuse(header.name, `is a hard link to ${JSON.stringify(header.linkname)}, which is not a file of the archive`)
      fs.linkSync(path.join(root, from), target)
      return
    }
    case 'file':
    case 'contiguous-file':
    case null:
    case undefined: {
      const fd = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode)
      await pipeline(body, fs.createWriteStream('', {fd}))
      fs.chmodSync(target, mode)
      if (header.mtime) fs.utimesSync(target, header.mtime, header.mtime)
      return
    }
    default:
      // devices and fifos have no place in a context: skipped, as a rootless unpack cannot make them
      body.resume()
  }
}

async function unpack(file: string, kind: Kind, root: string): Promise<void> {
  const {stream, done} = openArchive(file, kind)
  const extract = tar.extract()
  const reading = pipeline(stream, extract).catch((err: unknown) => {
    extract.destroy(err as Error)
    throw err
  })
  const writing = (async () => {
    for await (const entry of extract) await writeEntry(root, entry.header, entry as unknown as Readable)
  })()
  try {
    await Promise.all([reading, writing.catch((err: unknown) => {
      extract.destroy(err as Error)
      throw err
    }), done])
  } catch (err) {
    throw err instanceof TspodError ? err : new TspodError(`unpacking the build context: ${(err as Error).message}`)
  }
}

/** `url` saved at `output` (mode 0600); the time its Last-Modified header gives, if any. */
export async function download(url: string, output: string, signal?: AbortSignal, prefix = 'prepping temporary context directory'): Promise<Date | undefined> {
  let response: Awaited<ReturnType<typeof httpGet>>
  try {
    response = await httpGet(url, {headers: {}, timeouts: DEFAULT_TIMEOUTS, insecureTls: false, signal})
  } catch (err) {
    throw new TspodError(`${prefix}: ${(err as Error).message}`)
  }
  if (response.status !== 200) {
    response.body.cancel()
    throw new TspodError(`${prefix}: invalid response status ${response.status}`)
  }
  const out = fs.openSync(output, 'w', 0o600)
  try {
    for (let chunk = await response.body.read(); chunk !== undefined; chunk = await response.body.read()) fs.writeSync(out, chunk)
  } catch (err) {
    throw new TspodError(`${prefix}: ${(err as Error).message}`)
  } finally {
    fs.closeSync(out)
  }
  const modified = Date.parse(response.headers.get('last-modified') ?? '')
  return Number.isNaN(modified) ? undefined : new Date(modified)
}

/** Bring `source` (`-` with `stdin`, or an http(s) URL) into `work`. */
export async function prepareContext(source: string, work: string, stdin: Readable | undefined, signal?: AbortSignal): Promise<PreparedContext> {
  const saved = path.join(work, 'context-source')
  if (source === '-') {
    if (!stdin) throw new TspodError('no standard input to read the build context from')
    await pipeline(stdin, fs.createWriteStream(saved))
  } else await download(source, saved, signal)
  const contextDir = path.join(work, 'context')
  fs.mkdirSync(contextDir, {mode: 0o755})
  const kind = kindOf(readHead(saved, 512))
  if (await holdsTar(saved, kind)) {
    await unpack(saved, kind, contextDir)
    fs.rmSync(saved, {force: true})
    return {contextDir}
  }
  const file = path.join(work, 'Containerfile')
  fs.renameSync(saved, file)
  return {contextDir, file}
}
