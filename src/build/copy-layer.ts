// COPY and ADD as a layer: the sources (globs, relative to the build context or, with --from, to
// another image's root) tarred at their destination, never through a container. It runs as root of
// the store's user namespace (layer-diff-worker.ts), so every file of the context and of the
// image's layers is readable. Owners are --chown's (else 0:0 from the context, the image's own
// with --from), modes --chmod's (else the source's). Dirs on the way to the destination are added
// only where the image has none, so an existing dir keeps its owner and mode. ADD unpacks a local
// tar archive (plain or gzip) into the destination.
import {spawn} from 'node:child_process'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {pipeline} from 'node:stream/promises'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'

import {FileSums} from './file-sums'
import {EntryHeader, LayerTar, LayerTarWriter, statHeader} from './layer-tar'
import {IgnoreMatcher} from './ignore'
import {MergedTree} from './merged-tree'

export interface CopyLayerJob {
  output: string
  /** the sources as written (after variable expansion) */
  sources: string[]
  /** the dirs the sources are read from, top first: [context] or an image's layers */
  sourceLayers: string[]
  /** ignore-file lines (context only) */
  ignore?: string[]
  /** absolute destination in the image; a trailing '/' makes it a dir */
  dest: string
  /** the parent image's layer dirs, top first */
  destLayers: string[]
  chown?: {uid: number; gid: number}
  chmod?: number
  add: boolean
  /** sources ADD copies as they are, never unpacked (files it downloaded) */
  noExtract?: string[]
  /** keep the sources' owners (--from) when there is no --chown */
  keepOwners: boolean
  /** a named source that is a symlink is followed inside the sources' root (the build context), as buildah's copier does */
  followLinks?: boolean
  /** the instruction, for messages */
  step: string
}

const GLOB = /[*?[]/

function componentRegex(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end < 0) re += '\\['
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`
        i = end
      }
    } else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`
    else re += c.replace(/[.+^${}()|\\/]/g, (x) => `\\${x}`)
  }
  return new RegExp(`^${re}$`)
}

function cleanRel(p: string): string {
  return path.posix.normalize(`/${p}`).slice(1).replace(/\/+$/, '')
}

function expandSource(tree: MergedTree, pattern: string, ignore: IgnoreMatcher, step: string): string[] {
  const rel = cleanRel(pattern)
  if (!GLOB.test(rel)) {
    if (!tree.lookup(rel) || (rel !== '' && ignore.ignores(rel)))
      throw new Error(`building at STEP "${step}": checking on sources under "${tree.layers[0]}": copier: stat: "/${rel}": no such file or directory`)
    return [rel]
  }
  let found = ['']
  for (const part of rel.split('/')) {
    const next: string[] = []
    for (const dir of found) {
      if (!GLOB.test(part)) {
        const p = dir ? `${dir}/${part}` : part
        if (tree.lookup(p)) next.push(p)
        continue
      }
      const entry = tree.lookup(dir)
      if (!entry?.stat.isDirectory()) continue
      const re = componentRegex(part)
      for (const name of tree.readdir(dir)) if (re.test(name)) next.push(dir ? `${dir}/${name}` : name)
    }
    found = next
  }
  found = found.filter((p) => !ignore.ignores(p))
  if (found.length === 0) throw new Error(`building at STEP "${step}": checking on sources under "${tree.layers[0]}": Rel: can't make  relative to ${tree.layers[0]}; no items matching glob "${pattern}"`)
  return found
}

function isTarArchive(file: string): 'gzip' | 'xz' | 'bzip2' | 'tar' | undefined {
  const head = Buffer.alloc(512)
  const fd = fs.openSync(file, 'r')
  let n: number
  try {
    n = fs.readSync(fd, head, 0, 512, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (n >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz'
  if (n >= 3 && head.subarray(0, 3).toString() === 'BZh') return 'bzip2'
  if (n >= 262 && head.subarray(257, 262).toString() === 'ustar') return 'tar'
  return undefined
}

interface Sources {
  source: MergedTree
  ignore: IgnoreMatcher
  /** each match, read from where its links lead, by the name it was given */
  reads: Map<string, string>
}

function resolveSources(job: CopyLayerJob): Sources {
  const source = new MergedTree(job.sourceLayers)
  const ignore = new IgnoreMatcher(job.ignore ?? [])
  const named = job.sources.flatMap((s) => expandSource(source, s, ignore, job.step))
  const reads = new Map<string, string>()
  for (const rel of named) {
    const resolved = job.followLinks ? source.resolve(rel) : rel
    if (resolved === undefined) throw new Error(`building at STEP "${job.step}": checking on sources under "${source.layers.at(-1)}": copier: stat: "/${rel}": no such file or directory`)
    reads.set(rel, resolved)
  }
  return {source, ignore, reads}
}

type Visit = (header: EntryHeader, file?: string) => Promise<void>

/** The entries of `srcRel` (a dir: itself and all below it) named under `destName`, ignored ones left out. */
async function walkSource(job: CopyLayerJob, sources: Sources, srcRel: string, destName: string, visit: Visit, seen: Set<string>): Promise<void> {
  const {source, ignore} = sources
  const ignored = srcRel !== '' && ignore.ignores(srcRel)
  if (ignored && !ignore.mayReincludeBelow(srcRel)) return
  const entry = source.lookup(srcRel)
  if (!entry) return
  const st = entry.stat
  const {uid, gid} = job.chown ?? (job.keepOwners ? {uid: st.uid, gid: st.gid} : {uid: 0, gid: 0})
  const header: EntryHeader = {...statHeader(destName, st), uid, gid, mode: job.chmod ?? st.mode & 0o7777}
  if (st.isDirectory()) {
    if (!ignored && !seen.has(destName)) await visit({...header, name: `${destName}/`, type: 'directory'})
    for (const name of source.readdir(srcRel)) await walkSource(job, sources, srcRel ? `${srcRel}/${name}` : name, `${destName}/${name}`, visit, seen)
    return
  }
  if (ignored) return
  if (st.isSymbolicLink()) await visit({...header, type: 'symlink', linkname: fs.readlinkSync(entry.file)})
  else if (st.isFile()) await visit({...header, type: 'file', size: st.size}, entry.file)
}

/**
 * The cache key of a COPY/ADD: sha256 of what it copies (names, types, modes, owners, link
 * targets, contents; not times), as buildah's content digest, without writing the layer. Names
 * are the sources' own: where they land depends only on the destination and the parent image,
 * which the key holds besides. An archive ADD unpacks is hashed as the file it is.
 */
export async function copySourcesDigest(job: CopyLayerJob, sums = new FileSums()): Promise<string> {
  const sources = resolveSources(job)
  const content = crypto.createHash('sha256')
  const linked = new Map<string, string>()
  const visit: Visit = async (header, file) => {
    const st = file ? fs.lstatSync(file) : undefined
    const key = st && st.nlink > 1 ? `${st.dev}:${st.ino}` : undefined
    const first = key ? linked.get(key) : undefined
    if (key && first === undefined) linked.set(key, header.name)
    content.update(JSON.stringify([header.name, header.type, header.mode, header.uid, header.gid, header.linkname ?? '', header.size ?? 0, first ?? '']))
    if (file) content.update(sums.sum(file, st!))
  }
  for (const [name, rel] of sources.reads) {
    content.update(`\0${name}\0`)
    const entry = sources.source.lookup(rel)!
    if (entry.stat.isDirectory()) {
      for (const child of sources.source.readdir(rel)) await walkSource(job, sources, rel ? `${rel}/${child}` : child, child, visit, new Set())
    } else await walkSource(job, sources, rel, path.posix.basename(name), visit, new Set())
  }
  return `sha256:${content.digest('hex')}`
}

export async function writeCopyLayer(job: CopyLayerJob): Promise<LayerTar> {
  const sources = resolveSources(job)
  const {source, reads} = sources
  const target = new MergedTree(job.destLayers)
  const matches = [...reads.values()]
  const nameOf = (resolved: string) => [...reads].find(([, r]) => r === resolved)![0]
  const dest = path.posix.normalize(job.dest)
  const destRel = cleanRel(dest)
  const destEntry = target.lookup(destRel)
  const single = matches.length === 1 ? source.lookup(matches[0]) : undefined
  const destIsDir = job.dest.endsWith('/') || matches.length > 1 || (destEntry?.stat.isDirectory() ?? false) || (single?.stat.isDirectory() ?? false)

  const out = new LayerTarWriter(job.output)
  const emitted = new Set<string>()

  // files linked together in the sources stay one inode in the layer (a link to the first name)
  const linked = new Map<string, string>()
  const put: Visit = async (header, file) => {
    const st = file ? fs.lstatSync(file) : undefined
    const first = st && st.nlink > 1 ? linked.get(`${st.dev}:${st.ino}`) : undefined
    if (first !== undefined) await out.entry({...header, type: 'link', linkname: first, size: 0})
    else if (file) {
      if (st!.nlink > 1) linked.set(`${st!.dev}:${st!.ino}`, header.name)
      await out.file(header, file)
    } else await out.entry(header)
    emitted.add(header.name.replace(/\/$/, ''))
  }

  /** Dirs from / down to `rel` that the image lacks (`owner` for `rel` itself). */
  const ensureDirs = async (rel: string, owner: {uid: number; gid: number}) => {
    const parts = rel.split('/').filter(Boolean)
    for (let n = 1; n <= parts.length; n++) {
      const p = parts.slice(0, n).join('/')
      if (emitted.has(p) || target.lookup(p)) continue
      const own = n === parts.length ? owner : {uid: 0, gid: 0}
      await put({name: `${p}/`, type: 'directory', mode: 0o755, uid: own.uid, gid: own.gid, mtime: new Date()})
    }
  }

  const copyEntry = (srcRel: string, destName: string) => walkSource(job, sources, srcRel, destName, put, emitted)

  const extract = async (file: string, compression: 'gzip' | 'xz' | 'bzip2' | 'tar', destDir: string) => {
    const extractor = tar.extract()
    let reading: Promise<unknown>
    if (compression === 'xz' || compression === 'bzip2') {
      // no xz or bzip2 in Node: the system's decompressor, as a filter
      const child = spawn(compression, ['-dc', file], {stdio: ['ignore', 'pipe', 'inherit']})
      const exited = new Promise<void>((resolve, reject) => {
        child.on('error', (err) => reject(new Error(`${compression} is needed to unpack ${path.basename(file)}: ${err.message}`)))
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${compression} -dc ${path.basename(file)}: exit status ${code}`))))
      })
      reading = Promise.all([pipeline(child.stdout, extractor), exited])
    } else reading = pipeline(compression === 'gzip' ? [fs.createReadStream(file), zlib.createGunzip(), extractor] : [fs.createReadStream(file), extractor] as never)
    reading.catch(() => undefined)
    // the archive's own symlinks: an entry below one would be written wherever it points
    const links = new Set<string>()
    for await (const e of extractor as unknown as AsyncIterable<AsyncIterable<Buffer> & {header: tar.Header; resume(): void}>) {
      const h = e.header
      const name = cleanRel(h.name)
      if (name === '') {
        e.resume()
        continue
      }
      const parts = name.split('/')
      const through = parts.slice(0, -1).findIndex((_, i) => links.has(parts.slice(0, i + 1).join('/')))
      if (through >= 0) {
        e.resume()
        throw new Error(`building at STEP "${job.step}": copier: put: error creating "/${destDir ? `${destDir}/` : ''}${name}": "${parts.slice(0, through + 1).join('/')}" is a symbolic link in ${path.basename(file)}`)
      }
      if (h.type === 'symlink') links.add(name)
      else links.delete(name)
      const chunks: Buffer[] = []
      for await (const c of e) chunks.push(c as Buffer)
      const body = Buffer.concat(chunks)
      const header: EntryHeader = {...h, name: `${destDir ? `${destDir}/` : ''}${name}${h.type === 'directory' ? '/' : ''}`}
      if (h.type === 'link' && h.linkname) header.linkname = `${destDir ? `${destDir}/` : ''}${cleanRel(h.linkname)}`
      await out.entry(header, body)
    }
    await reading
  }

  try {
    if (destIsDir) await ensureDirs(destRel, job.chown ?? {uid: 0, gid: 0})
    else await ensureDirs(path.posix.dirname(destRel) === '.' ? '' : path.posix.dirname(destRel), {uid: 0, gid: 0})
    for (const rel of matches) {
      const entry = source.lookup(rel)!
      if (entry.stat.isDirectory()) {
        for (const name of source.readdir(rel)) await copyEntry(rel ? `${rel}/${name}` : name, destRel ? `${destRel}/${name}` : name)
        continue
      }
      const archive = job.add && entry.stat.isFile() && !job.noExtract?.includes(rel) ? isTarArchive(entry.file) : undefined
      if (archive) {
        await extract(entry.file, archive, destIsDir ? destRel : path.posix.dirname(destRel))
        continue
      }
      const base = path.posix.basename(nameOf(rel))
      await copyEntry(rel, destIsDir ? (destRel ? `${destRel}/${base}` : base) : destRel)
    }
  } catch (err) {
    await out.fail(err as Error)
    throw err
  }
  return await out.finish()
}
