// Writing an image in the `docker save` format, as containers/image's docker/internal/tarfile
// does, so `docker load` and `podman load` take it: layers are stored uncompressed as
// `<diffID hex>.tar` (a compressed blob is decompressed as it is written), the config as
// `<digest hex>.json`, then the legacy layer directories, manifest.json and `repositories`. The
// tar is written to a temporary file next to FILE and renamed over it on commit.
import {createHash} from 'node:crypto'
import {rename, unlink} from 'node:fs/promises'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {TspodError, wrap} from '../../../../errors'
import {createLayerDecompressor} from '../../../store/archive/decompress'
import {parseDigest, sha256Digest, tryParseDigest} from '../../../digest'
import {parseImageConfig} from '../../manifest/image-config'
import {parseImageManifest} from '../../manifest/manifest'
import {MEDIA_TYPE_DOCKER_LAYER, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_OCI_MANIFEST} from '../../manifest/media-types'
import {ImageManifest} from '../../manifest/types'
import type {DockerReference} from '../../reference/docker-reference'
import {tempPathNextTo} from '../oci-layout/file-writes'
import {BlobInfo, ImageContext, ImageDestination, ManifestBlob} from '../types'
import {legacyLayers, repositoriesFile} from './legacy-layers'
import {MANIFEST_FILE} from './source'
import {TarFileWriter} from './tar-writer'
import type {DockerArchiveReference} from './transport'

const MAX_CONFIG_SIZE = 4 * 1024 * 1024

interface StoredLayer {
  diffId: string
  /** uncompressed */
  size: number
}

function hexOf(digest: string): string {
  return parseDigest(digest).encoded
}

export class DockerArchiveDestination implements ImageDestination {
  readonly reference: DockerArchiveReference
  readonly supportedManifestTypes = [MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_OCI_MANIFEST]
  private readonly writer: TarFileWriter
  private readonly ctx: ImageContext
  /** by the digest it was put with and by its diffID */
  private readonly layers = new Map<string, StoredLayer>()
  private readonly configs = new Map<string, Buffer>()
  private manifest?: ImageManifest
  /** the images committed so far, in order */
  private readonly images: {item: {Config: string; Layers: string[]}; tags: DockerReference[]; topLayerId?: string}[] = []
  private readonly legacyWritten = new Set<string>()
  private state: 'open' | 'committed' | 'closed' = 'open'

  private constructor(reference: DockerArchiveReference, writer: TarFileWriter, ctx: ImageContext) {
    this.reference = reference
    this.writer = writer
    this.ctx = ctx
  }

  static async open(reference: DockerArchiveReference, ctx: ImageContext): Promise<DockerArchiveDestination> {
    const file = reference.file
    const temp = tempPathNextTo(file)
    let writer: TarFileWriter
    try {
      writer = await TarFileWriter.create(temp)
    } catch (err) {
      throw wrap(err, `creating docker-archive ${file}`)
    }
    return new DockerArchiveDestination(reference, writer, ctx)
  }

  private context(): string {
    return `docker-archive:${this.reference.toString()}`
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new TspodError(`image destination ${this.context()} is ${this.state}`)
    this.ctx.signal?.throwIfAborted()
  }

  async tryReusingBlob(info: BlobInfo): Promise<BlobInfo | undefined> {
    this.checkOpen()
    const layer = this.layers.get(info.digest)
    if (layer) return {digest: layer.diffId, size: layer.size, mediaType: MEDIA_TYPE_DOCKER_LAYER}
    const config = this.configs.get(info.digest)
    if (config) return {...info, size: config.length}
    return undefined
  }

  async putBlob(stream: Readable, info: BlobInfo, options: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo> {
    this.checkOpen()
    if (info.digest && !tryParseDigest(info.digest)) throw new TspodError(`putting blob in ${this.context()}: invalid digest ${JSON.stringify(info.digest)}`)
    try {
      return options.isConfig ? await this.putConfig(stream, info) : await this.putLayer(stream, info)
    } catch (err) {
      throw wrap(err, `writing blob ${info.digest || '(unknown digest)'} to ${this.context()}`)
    }
  }

  private async putConfig(stream: Readable, info: BlobInfo): Promise<BlobInfo> {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of stream) {
      size += (chunk as Buffer).length
      if (size > MAX_CONFIG_SIZE) throw new TspodError(`config is larger than ${MAX_CONFIG_SIZE} bytes`)
      chunks.push(chunk as Buffer)
    }
    const bytes = Buffer.concat(chunks)
    const digest = sha256Digest(bytes)
    if (info.digest && info.digest !== digest) {
      const algorithm = parseDigest(info.digest).algorithm
      const actual = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
      if (actual !== info.digest) throw new TspodError(`Digest did not match, expected ${info.digest}, got ${actual}`)
    }
    if (info.size >= 0 && info.size !== bytes.length) throw new TspodError(`Size mismatch when copying ${digest}, expected ${info.size}, got ${bytes.length}`)
    if (!this.configs.has(digest)) {
      await this.writer.addBytes(`${hexOf(digest)}.json`, bytes)
      this.configs.set(digest, bytes)
    }
    if (info.digest) this.configs.set(info.digest, bytes)
    return {...info, digest: info.digest || digest, size: bytes.length}
  }

  private async putLayer(stream: Readable, info: BlobInfo): Promise<BlobInfo> {
    const inputAlgorithm = info.digest ? parseDigest(info.digest).algorithm : 'sha256'
    const inputHash = createHash(inputAlgorithm)
    const diffHash = createHash('sha256')
    let inputSize = 0
    let diffId = ''
    let added = false
    const decompressor = createLayerDecompressor()
    const writing = this.writer.addStream(
      (async function* () {
        for await (const chunk of decompressor) {
          diffHash.update(chunk as Buffer)
          yield chunk as Buffer
        }
      })(),
      (size) => {
        const inputDigest = `${inputAlgorithm}:${inputHash.digest('hex')}`
        if (info.digest && inputDigest !== info.digest) throw new TspodError(`Digest did not match, expected ${info.digest}, got ${inputDigest}`)
        if (info.size >= 0 && inputSize !== info.size) throw new TspodError(`Size mismatch when copying ${inputDigest}, expected ${info.size}, got ${inputSize}`)
        diffId = `sha256:${diffHash.digest('hex')}`
        if (this.layers.has(diffId)) return undefined // the same tar came already, under another digest or concurrently
        this.layers.set(diffId, {diffId, size})
        added = true
        return `${hexOf(diffId)}.tar`
      },
    )
    const feeding = pipeline(
      stream,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          inputHash.update(chunk)
          inputSize += chunk.length
          yield chunk
        }
      },
      decompressor,
      {signal: this.ctx.signal},
    )
    // the writer reads the decompressor; a failure on either side must end the other
    feeding.catch((err: unknown) => decompressor.destroy(err as Error))
    await Promise.all([
      writing.catch((err: unknown) => {
        if (added) this.layers.delete(diffId)
        stream.destroy(err as Error)
        throw err
      }),
      feeding,
    ])
    const stored = this.layers.get(diffId)!
    if (info.digest) this.layers.set(info.digest, stored)
    return {digest: diffId, size: stored.size, mediaType: MEDIA_TYPE_DOCKER_LAYER}
  }

  async putManifest(manifest: ManifestBlob): Promise<void> {
    this.checkOpen()
    let parsed: ImageManifest
    try {
      parsed = parseImageManifest(manifest.bytes, manifest.mediaType)
    } catch (err) {
      throw wrap(err, `writing manifest to ${this.context()}`)
    }
    this.manifest = parsed
  }

  private repoTags(): DockerReference[] {
    const tags = this.reference.name ? [this.reference.name, ...this.reference.additionalTags] : this.reference.additionalTags
    const seen = new Set<string>()
    return tags.filter((t) => !seen.has(t.toString()) && seen.add(t.toString()))
  }

  async commit(): Promise<void> {
    await this.addImage(this.repoTags())
    await this.finish()
  }

  /**
   * The destination of one image of a multi-image archive (`save -m`): its commit records the
   * image, with TAGS, and leaves the archive open for the next one; finish() writes the archive.
   */
  imageDestination(tags: DockerReference[]): ImageDestination {
    return {
      reference: this.reference,
      supportedManifestTypes: this.supportedManifestTypes,
      tryReusingBlob: (info) => this.tryReusingBlob(info),
      putBlob: (stream, info, options) => this.putBlob(stream, info, options),
      putManifest: (manifest) => this.putManifest(manifest),
      commit: () => this.addImage(tags),
      close: async () => undefined,
    }
  }

  private async addImage(tags: DockerReference[]): Promise<void> {
    this.checkOpen()
    const context = this.context()
    if (!this.manifest) throw new TspodError(`committing ${context}: no manifest was written`)
    const manifest = this.manifest
    const config = this.configs.get(manifest.config.digest)
    if (!config) throw new TspodError(`committing ${context}: config ${manifest.config.digest} was not written`)
    const diffIds = manifest.layers.map((layer) => {
      const stored = this.layers.get(layer.digest)
      if (!stored) throw new TspodError(`committing ${context}: layer ${layer.digest} was not written`)
      return stored.diffId
    })
    let configDiffIds: string[]
    try {
      configDiffIds = parseImageConfig(config).rootfs.diff_ids
    } catch (err) {
      throw wrap(err, `committing ${context}`)
    }
    if (configDiffIds.length !== diffIds.length || configDiffIds.some((d, i) => d !== diffIds[i])) {
      throw new TspodError(
        `committing ${context}: the layers (${diffIds.join(', ') || 'none'}) are not the diffIDs of the image config (${configDiffIds.join(', ') || 'none'})`,
      )
    }
    this.manifest = undefined
    const configFile = `${hexOf(sha256Digest(config))}.json`
    const same = this.images.find((image) => image.item.Config === configFile)
    if (same) {
      // the same image under more names: one manifest.json item, as `docker save` writes it
      for (const tag of tags) if (!same.tags.some((t) => t.toString() === tag.toString())) same.tags.push(tag)
      return
    }
    try {
      const legacy = legacyLayers(diffIds, config)
      for (const [i, layer] of legacy.entries()) {
        if (this.legacyWritten.has(layer.id)) continue
        this.legacyWritten.add(layer.id)
        await this.writer.addSymlink(`${layer.id}/layer.tar`, `../${hexOf(diffIds[i])}.tar`)
        await this.writer.addBytes(`${layer.id}/VERSION`, Buffer.from('1.0'))
        await this.writer.addBytes(`${layer.id}/json`, layer.json)
      }
      this.images.push({item: {Config: configFile, Layers: diffIds.map((d) => `${hexOf(d)}.tar`)}, tags: [...tags], topLayerId: legacy.at(-1)?.id})
    } catch (err) {
      await this.writer.discard()
      throw wrap(err, `writing docker-archive ${this.reference.file}`)
    }
  }

  /** Writes manifest.json and `repositories` for every image added, and renames the archive into place. */
  async finish(): Promise<void> {
    this.checkOpen()
    try {
      const items = this.images.map(({item, tags}) => ({
        Config: item.Config,
        RepoTags: tags.map((t) => `${t.repository()}:${t.tag ?? 'latest'}`),
        Layers: item.Layers,
      }))
      const repositories: Record<string, Record<string, string>> = {}
      for (const {tags, topLayerId} of this.images) {
        const own = JSON.parse(repositoriesFile(tags, topLayerId).toString()) as Record<string, Record<string, string>>
        for (const [repository, byTag] of Object.entries(own)) repositories[repository] = {...repositories[repository], ...byTag}
      }
      await this.writer.addBytes(MANIFEST_FILE, Buffer.from(JSON.stringify(items)))
      await this.writer.addBytes('repositories', Buffer.from(JSON.stringify(repositories)))
      await this.writer.finish()
    } catch (err) {
      await this.writer.discard()
      throw wrap(err, `writing docker-archive ${this.reference.file}`)
    }
    try {
      await rename(this.writer.file, this.reference.file)
    } catch (err) {
      await unlink(this.writer.file).catch(() => undefined)
      throw wrap(err, `writing docker-archive ${this.reference.file}`)
    }
    this.state = 'committed'
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return
    const committed = this.state === 'committed'
    this.state = 'closed'
    if (!committed) await this.writer.discard()
  }
}
