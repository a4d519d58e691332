// Writing an image into an OCI layout directory. Blobs are written to temporary files inside the
// layout and renamed into blobs/ on commit, together with the manifest; index.json is then
// replaced atomically, so nothing of an uncommitted image shows and close() without commit leaves
// the layout as it was.
import {createHash, randomBytes} from 'node:crypto'
import {mkdir, open, readFile, rename, rmdir, stat, unlink} from 'node:fs/promises'
import * as path from 'node:path'
import {addAbortSignal, Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'
import {tryParseDigest} from '../../../digest'
import {isObject, JsonObject} from '../../manifest/json-fields'
import {guessManifestMediaType} from '../../manifest/manifest'
import {ANNOTATION_REF_NAME, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from '../../manifest/media-types'
import {BlobInfo, ImageContext, ImageDestination, ImageReference, ManifestBlob} from '../types'
import {writeFileAtomically, writeFully} from './file-writes'
import {BLOBS_DIR, blobPath, INDEX_FILE, OCI_LAYOUT_FILE, OCI_LAYOUT_VERSION} from './layout'

export interface OciLayoutDestinationOptions {
  reference: ImageReference
  dir: string
  /** the ref name to give the index.json entry; "" for none */
  image: string
  ctx: ImageContext
}

interface StagedBlob {
  file: string
  size: number
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT'
}

export class OciLayoutDestination implements ImageDestination {
  readonly reference: ImageReference
  readonly supportedManifestTypes = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX]
  private readonly dir: string
  private readonly image: string
  private readonly ctx: ImageContext
  private readonly staged = new Map<string, StagedBlob>()
  private manifest?: {bytes: Buffer; mediaType: string; digest: string}
  private state: 'open' | 'committed' | 'closed' = 'open'
  /** directories open() made, deepest first, removed again (when still empty) by close() without commit */
  private createdDirs: string[] = []

  private constructor(options: OciLayoutDestinationOptions) {
    this.reference = options.reference
    this.dir = options.dir
    this.image = options.image
    this.ctx = options.ctx
  }

  static async open(options: OciLayoutDestinationOptions): Promise<OciLayoutDestination> {
    let created: string | undefined
    try {
      created = await mkdir(path.join(options.dir, BLOBS_DIR), {recursive: true})
    } catch (err) {
      throw wrap(err, `creating OCI layout ${options.dir}`)
    }
    const destination = new OciLayoutDestination(options)
    destination.createdDirs = created === undefined ? [] : createdDirs(created, path.join(options.dir, BLOBS_DIR))
    return destination
  }

  private context(): string {
    return `${this.reference.transport.name}:${this.reference.toString()}`
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new TspodError(`image destination ${this.context()} is ${this.state}`)
    this.ctx.signal?.throwIfAborted()
  }

  async tryReusingBlob(info: BlobInfo): Promise<BlobInfo | undefined> {
    this.checkOpen()
    const staged = this.staged.get(info.digest)
    if (staged) return {...info, size: staged.size}
    try {
      const st = await stat(blobPath(this.dir, info.digest))
      return st.isFile() ? {...info, size: st.size} : undefined
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw wrap(err, `checking for blob ${info.digest} in ${this.context()}`)
    }
  }

  async putBlob(stream: Readable, info: BlobInfo, _options?: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo> {
    this.checkOpen()
    const expected = info.digest ? tryParseDigest(info.digest) : undefined
    if (info.digest && !expected) throw new TspodError(`putting blob in ${this.context()}: invalid digest ${JSON.stringify(info.digest)}`)
    const algorithm = expected?.algorithm ?? 'sha256'
    const file = path.join(this.dir, `.tspod-blob-${randomBytes(8).toString('hex')}`)
    const hash = createHash(algorithm)
    let size = 0
    const handle = await open(file, 'wx', 0o644)
    let digest: string
    try {
      if (this.ctx.signal) addAbortSignal(this.ctx.signal, stream)
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk)
        size += chunk.length
        await writeFully(handle, chunk)
      }
      digest = `${algorithm}:${hash.digest('hex')}`
      if (info.digest && digest !== info.digest) throw new TspodError(`Digest did not match, expected ${info.digest}, got ${digest}`)
      if (info.size >= 0 && size !== info.size) throw new TspodError(`Size mismatch when copying ${digest}, expected ${info.size}, got ${size}`)
      await handle.sync()
    } catch (err) {
      await handle.close().catch(() => undefined)
      await unlink(file).catch(() => undefined)
      throw wrap(err, `writing blob ${info.digest || '(unknown digest)'} to ${this.context()}`)
    }
    await handle.close()
    const previous = this.staged.get(digest)
    if (previous) await unlink(previous.file).catch(() => undefined)
    this.staged.set(digest, {file, size})
    return {...info, digest, size}
  }

  async putManifest(manifest: ManifestBlob): Promise<void> {
    this.checkOpen()
    const mediaType = manifest.mediaType || guessManifestMediaType(manifest.bytes) || ''
    if (!this.supportedManifestTypes.includes(mediaType)) {
      throw new TspodError(
        `manifest type ${JSON.stringify(mediaType)} is not supported by ${this.context()}: it takes ${this.supportedManifestTypes.join(', ')}`,
      )
    }
    const digest = `sha256:${createHash('sha256').update(manifest.bytes).digest('hex')}`
    this.manifest = {bytes: manifest.bytes, mediaType, digest}
  }

  /** index.json as it is now (another writer may have changed it since open), or a new one. */
  private async currentIndex(): Promise<JsonObject> {
    const file = path.join(this.dir, INDEX_FILE)
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (err) {
      if (isNotFound(err)) return {schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX, manifests: []}
      throw wrap(err, `reading ${file}`)
    }
    let index: unknown
    try {
      index = JSON.parse(bytes.toString('utf8'))
    } catch (err) {
      throw wrap(err, `reading ${file}`)
    }
    if (!isObject(index) || (index.manifests !== undefined && index.manifests !== null && !Array.isArray(index.manifests))) {
      throw new TspodError(`${file} is not an OCI image index`)
    }
    return index
  }

  /** containers/image's addManifest: the new entry takes the ref name from older ones, and replaces an unnamed one of the same digest. */
  private addEntry(index: JsonObject, entry: JsonObject): void {
    let entries = (Array.isArray(index.manifests) ? index.manifests : []) as JsonObject[]
    if (this.image !== '') {
      entries = entries.filter((e) => !(isObject(e.annotations) && e.annotations[ANNOTATION_REF_NAME] === this.image))
    }
    const unnamedSame = entries.findIndex(
      (e) => e.digest === entry.digest && !(isObject(e.annotations) && typeof e.annotations[ANNOTATION_REF_NAME] === 'string' && e.annotations[ANNOTATION_REF_NAME] !== ''),
    )
    if (unnamedSame >= 0) entries[unnamedSame] = entry
    else entries.push(entry)
    index.manifests = entries
  }

  async commit(): Promise<void> {
    this.checkOpen()
    if (!this.manifest) throw new TspodError(`committing ${this.context()}: no manifest was written`)
    const {bytes, mediaType, digest} = this.manifest
    try {
      for (const [blobDigest, blob] of this.staged) {
        const target = blobPath(this.dir, blobDigest)
        await mkdir(path.dirname(target), {recursive: true})
        await rename(blob.file, target)
        this.staged.delete(blobDigest)
      }
      const manifestFile = blobPath(this.dir, digest)
      await mkdir(path.dirname(manifestFile), {recursive: true})
      await writeFileAtomically(manifestFile, bytes)

      const index = await this.currentIndex()
      const entry: JsonObject = {mediaType, digest, size: bytes.length}
      if (this.image !== '') entry.annotations = {[ANNOTATION_REF_NAME]: this.image}
      this.addEntry(index, entry)
      const layoutFile = path.join(this.dir, OCI_LAYOUT_FILE)
      const layout = JSON.stringify({imageLayoutVersion: OCI_LAYOUT_VERSION})
      const currentLayout = await readFile(layoutFile, 'utf8').catch(() => undefined)
      if (currentLayout === undefined || !isSupportedLayoutFile(currentLayout)) await writeFileAtomically(layoutFile, layout)
      await writeFileAtomically(path.join(this.dir, INDEX_FILE), JSON.stringify(index))
    } catch (err) {
      throw wrap(err, `committing ${this.context()}`)
    }
    this.state = 'committed'
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return
    const committed = this.state === 'committed'
    this.state = 'closed'
    for (const blob of this.staged.values()) await unlink(blob.file).catch(() => undefined)
    this.staged.clear()
    if (!committed) for (const dir of this.createdDirs) await rmdir(dir).catch(() => undefined)
  }
}

/** The directories from `first` (the topmost one mkdir created) down to `last`, deepest first. */
function createdDirs(first: string, last: string): string[] {
  const dirs: string[] = []
  for (let dir = last; dir.length >= first.length; dir = path.dirname(dir)) dirs.push(dir)
  return dirs
}

function isSupportedLayoutFile(text: string): boolean {
  try {
    const layout = JSON.parse(text) as unknown
    return isObject(layout) && layout.imageLayoutVersion === OCI_LAYOUT_VERSION
  } catch {
    return false
  }
}
