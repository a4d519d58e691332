// An image in an OCI layout directory as an ImageSource. The index.json entry the reference names
// is `entry`: when it is an image index, the caller picks an instance (manifest/platform.ts) and
// asks for it with getManifest(instanceDigest).
import {FileHandle, open} from 'node:fs/promises'
import {addAbortSignal, Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'
import {guessManifestMediaType, parseManifest} from '../../manifest/manifest'
import {isManifestList, ManifestListInstance} from '../../manifest/types'
import {BlobInfo, ImageContext, ImageReference, ImageSource, ManifestBlob} from '../types'
import {blobPath, findLayoutEntry, MAX_MANIFEST_SIZE, readLayoutIndex} from './layout'

export interface OciLayoutSourceOptions {
  /** what `reference` reports: the oci: reference, or the oci-archive: one for an extracted archive */
  reference: ImageReference
  dir: string
  image: string
  sourceIndex: number
  ctx: ImageContext
  /** run by close(), after the source is done with dir */
  onClose?: () => Promise<void>
}

export class OciLayoutSource implements ImageSource {
  readonly reference: ImageReference
  /** the index.json entry: digest, size, media type, annotations (the ref name among them) */
  readonly entry: ManifestListInstance
  /** all of index.json's entries, for media types of instances */
  private readonly indexEntries: ManifestListInstance[]
  private readonly dir: string
  private readonly ctx: ImageContext
  private readonly onClose?: () => Promise<void>
  private topLevelInstances?: ManifestListInstance[]
  private closed = false

  private constructor(options: OciLayoutSourceOptions, entry: ManifestListInstance, indexEntries: ManifestListInstance[]) {
    this.reference = options.reference
    this.dir = options.dir
    this.ctx = options.ctx
    this.onClose = options.onClose
    this.entry = entry
    this.indexEntries = indexEntries
  }

  static async open(options: OciLayoutSourceOptions): Promise<OciLayoutSource> {
    const index = await readLayoutIndex(options.dir)
    const {entry} = findLayoutEntry(index, options.image, options.sourceIndex, options.dir)
    return new OciLayoutSource(options, entry, index.instances)
  }

  private context(): string {
    return `${this.reference.transport.name}:${this.reference.toString()}`
  }

  private async openBlob(digest: string): Promise<{handle: FileHandle; size: number}> {
    if (this.closed) throw new TspodError(`image source ${this.context()} is closed`)
    this.ctx.signal?.throwIfAborted()
    const file = blobPath(this.dir, digest)
    let handle: FileHandle
    try {
      handle = await open(file, 'r')
    } catch (err) {
      throw wrap(err, `reading blob ${digest} from ${this.context()}`)
    }
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) throw new TspodError(`reading blob ${digest} from ${this.context()}: ${file} is not a regular file`)
      return {handle, size: stat.size}
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  private async readManifestBlob(digest: string): Promise<Buffer> {
    const {handle, size} = await this.openBlob(digest)
    try {
      if (size > MAX_MANIFEST_SIZE) {
        throw new TspodError(`manifest ${digest} in ${this.context()} is ${size} bytes, more than the ${MAX_MANIFEST_SIZE} a manifest may have`)
      }
      return await handle.readFile()
    } finally {
      await handle.close()
    }
  }

  /** The media type of an instance: from index.json, else from the top-level index, else guessed. */
  private async instanceMediaType(digest: string, bytes: Buffer): Promise<string> {
    const listed = this.indexEntries.find((e) => e.digest === digest)
    if (listed?.mediaType) return listed.mediaType
    if (this.topLevelInstances === undefined) {
      this.topLevelInstances = []
      const top = await this.getManifest()
      try {
        const parsed = parseManifest(top.bytes, top.mediaType)
        if (isManifestList(parsed)) this.topLevelInstances = parsed.instances
      } catch {
        // an unreadable top-level manifest tells nothing about instances; guess below
      }
    }
    const instance = this.topLevelInstances.find((i) => i.digest === digest)
    return instance?.mediaType ?? guessManifestMediaType(bytes) ?? ''
  }

  async getManifest(instanceDigest?: string): Promise<ManifestBlob> {
    if (instanceDigest === undefined) {
      const bytes = await this.readManifestBlob(this.entry.digest)
      return {bytes, mediaType: this.entry.mediaType || guessManifestMediaType(bytes) || ''}
    }
    const bytes = await this.readManifestBlob(instanceDigest)
    return {bytes, mediaType: await this.instanceMediaType(instanceDigest, bytes)}
  }

  async getBlob(info: BlobInfo): Promise<{stream: Readable; size: number}> {
    const {handle, size} = await this.openBlob(info.digest)
    const stream = handle.createReadStream()
    if (this.ctx.signal) addAbortSignal(this.ctx.signal, stream)
    return {stream, size}
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.onClose?.()
  }
}
