// An image in a `docker save` archive as an ImageSource, after containers/image's
// docker/internal/tarfile: manifest.json picks the config and the layer tars, and the source
// presents them under a Docker schema2 manifest whose layers are the uncompressed tars (digest =
// the config's diffID, which the caller verifies as it reads). Members are read straight from the
// tar; only a wholly compressed archive is first decompressed to a temporary file.
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdtemp, open, rm} from 'node:fs/promises'
import * as path from 'node:path'
import {addAbortSignal, Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {TspodError, wrap} from '../../../../errors'
import {createLayerDecompressor, detectCompression, LayerCompression} from '../../../store/archive/decompress'
import {sha256Digest} from '../../../digest'
import {parseImageConfig} from '../../manifest/image-config'
import {isObject} from '../../manifest/json-fields'
import {MEDIA_TYPE_DOCKER_CONFIG, MEDIA_TYPE_DOCKER_LAYER, MEDIA_TYPE_DOCKER_MANIFEST} from '../../manifest/media-types'
import {parseNormalizedName} from '../../reference/docker-reference'
import {BlobInfo, ImageContext, ImageSource, ManifestBlob} from '../types'
import {TarIndex, TarMember} from './tar-index'
import type {DockerArchiveReference} from './transport'

export const MANIFEST_FILE = 'manifest.json'
const MAX_MANIFEST_JSON_SIZE = 1024 * 1024
const MAX_CONFIG_SIZE = 4 * 1024 * 1024

/** An item of manifest.json. */
export interface ArchiveManifestItem {
  Config: string
  RepoTags: string[]
  Layers: string[]
}

interface KnownLayer {
  member: TarMember
  /** of the tar, after decompression */
  size: number
  compression: LayerCompression
}

function parseArchiveManifest(bytes: Buffer, file: string): ArchiveManifestItem[] {
  const fail = (problem: string): never => {
    throw new TspodError(`decoding tar manifest.json of ${file}: ${problem}`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    return fail((err as Error).message)
  }
  if (!Array.isArray(doc)) return fail('not an array')
  return doc.map((item: unknown, i) => {
    if (!isObject(item)) return fail(`item @${i} is not an object`)
    if (typeof item.Config !== 'string') return fail(`item @${i}: "Config" must be a string`)
    const tags = item.RepoTags ?? []
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) return fail(`item @${i}: "RepoTags" must be an array of strings`)
    const layers = item.Layers ?? []
    if (!Array.isArray(layers) || layers.some((l) => typeof l !== 'string')) return fail(`item @${i}: "Layers" must be an array of strings`)
    return {Config: item.Config, RepoTags: tags as string[], Layers: layers as string[]}
  })
}

async function memberHead(index: TarIndex, member: TarMember): Promise<Buffer> {
  const length = Math.min(member.size, 512)
  const handle = await open(index.file, 'r')
  try {
    const head = Buffer.alloc(length)
    await handle.read(head, 0, length, member.offset)
    return head
  } finally {
    await handle.close()
  }
}

async function decompressedSize(index: TarIndex, member: TarMember): Promise<number> {
  let size = 0
  await pipeline(index.open(member), createLayerDecompressor(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) size += chunk.length
  })
  return size
}

export class DockerArchiveSource implements ImageSource {
  readonly reference: DockerArchiveReference
  /** the RepoTags of the chosen image, as the archive records them */
  readonly repoTags: string[]
  /** manifest.json, every image of the archive */
  readonly items: ArchiveManifestItem[]
  private readonly index: TarIndex
  private readonly ctx: ImageContext
  private readonly config: Buffer
  private readonly configDigest: string
  private readonly diffIds: string[]
  private readonly layers: Map<string, KnownLayer>
  private readonly tempDir?: string
  private manifest?: Buffer
  private closed = false

  private constructor(fields: {
    reference: DockerArchiveReference
    ctx: ImageContext
    index: TarIndex
    items: ArchiveManifestItem[]
    item: ArchiveManifestItem
    config: Buffer
    diffIds: string[]
    layers: Map<string, KnownLayer>
    tempDir?: string
  }) {
    this.reference = fields.reference
    this.ctx = fields.ctx
    this.index = fields.index
    this.items = fields.items
    this.repoTags = fields.item.RepoTags
    this.config = fields.config
    this.configDigest = sha256Digest(fields.config)
    this.diffIds = fields.diffIds
    this.layers = fields.layers
    this.tempDir = fields.tempDir
  }

  static async open(reference: DockerArchiveReference, ctx: ImageContext): Promise<DockerArchiveSource> {
    let tempDir: string | undefined
    try {
      const tarFile = await DockerArchiveSource.plainTar(reference, ctx, (dir) => (tempDir = dir))
      const index = await TarIndex.build(tarFile)
      const manifestMember = index.resolve(MANIFEST_FILE)
      if (!manifestMember) throw new TspodError(`loading tar component ${JSON.stringify(MANIFEST_FILE)} of ${reference.file}: file does not exist`)
      const items = parseArchiveManifest(await index.read(manifestMember, MAX_MANIFEST_JSON_SIZE), reference.file)
      const item = chooseItem(items, reference)
      const configMember = index.resolve(item.Config)
      if (!configMember) throw new TspodError(`loading tar component ${JSON.stringify(item.Config)} of ${reference.file}: file does not exist`)
      const config = await index.read(configMember, MAX_CONFIG_SIZE)
      let diffIds: string[]
      try {
        diffIds = parseImageConfig(config).rootfs.diff_ids
      } catch (err) {
        throw wrap(err, `decoding tar config ${JSON.stringify(item.Config)}`)
      }
      if (item.Layers.length !== diffIds.length) {
        throw new TspodError(`Inconsistent layer count: ${item.Layers.length} in manifest, ${diffIds.length} in config`)
      }
      const layers = await knownLayers(index, item, diffIds, reference.file, ctx)
      return new DockerArchiveSource({reference, ctx, index, items, item, config, diffIds, layers, tempDir})
    } catch (err) {
      if (tempDir) await rm(tempDir, {recursive: true, force: true})
      throw err
    }
  }

  /** The archive itself when it is a plain tar; a compressed one is decompressed into a new temp dir first. */
  private static async plainTar(reference: DockerArchiveReference, ctx: ImageContext, onTempDir: (dir: string) => void): Promise<string> {
    let head: Buffer
    try {
      const handle = await open(reference.file, 'r')
      try {
        head = Buffer.alloc(512)
        const {bytesRead} = await handle.read(head, 0, 512, 0)
        head = head.subarray(0, bytesRead)
      } finally {
        await handle.close()
      }
    } catch (err) {
      throw wrap(err, `opening docker-archive ${reference.file}`)
    }
    let compression: LayerCompression
    try {
      compression = detectCompression(head)
    } catch {
      throw new TspodError(`docker-archive ${reference.file} is neither a tar file nor a compressed one`)
    }
    if (compression === 'none') return reference.file
    const dir = await mkdtemp(path.join(reference.tmpDir, 'docker-tar-'))
    onTempDir(dir)
    const file = path.join(dir, 'archive.tar')
    try {
      await pipeline(createReadStream(reference.file), createLayerDecompressor(), createWriteStream(file, {flags: 'wx', mode: 0o600}), {signal: ctx.signal})
    } catch (err) {
      throw wrap(err, `auto-decompressing input ${reference.file}`)
    }
    return file
  }

  private context(): string {
    return `docker-archive:${this.reference.toString()}`
  }

  async getManifest(instanceDigest?: string): Promise<ManifestBlob> {
    if (instanceDigest !== undefined) throw new TspodError('Manifest lists are not supported by "docker-archive:"')
    if (!this.manifest) {
      this.manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
          config: {mediaType: MEDIA_TYPE_DOCKER_CONFIG, size: this.config.length, digest: this.configDigest},
          layers: this.diffIds.map((diffId) => ({mediaType: MEDIA_TYPE_DOCKER_LAYER, size: this.layers.get(diffId)!.size, digest: diffId})),
        }),
      )
    }
    return {bytes: this.manifest, mediaType: MEDIA_TYPE_DOCKER_MANIFEST}
  }

  async getBlob(info: BlobInfo): Promise<{stream: Readable; size: number}> {
    if (this.closed) throw new TspodError(`image source ${this.context()} is closed`)
    this.ctx.signal?.throwIfAborted()
    if (info.digest === this.configDigest) return {stream: Readable.from([this.config]), size: this.config.length}
    const layer = this.layers.get(info.digest)
    if (!layer) throw new TspodError(`Unknown blob ${info.digest} in ${this.context()}`)
    let stream = this.index.open(layer.member)
    if (layer.compression !== 'none') {
      const decompressor = createLayerDecompressor()
      stream.on('error', (err) => decompressor.destroy(err))
      stream = stream.pipe(decompressor)
    }
    if (this.ctx.signal) addAbortSignal(this.ctx.signal, stream)
    return {stream, size: layer.size}
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.tempDir) await rm(this.tempDir, {recursive: true, force: true})
  }
}

function chooseItem(items: ArchiveManifestItem[], reference: DockerArchiveReference): ArchiveManifestItem {
  if (reference.name) {
    const wanted = reference.name.toString()
    for (const [i, item] of items.entries()) {
      for (const tag of item.RepoTags) {
        let normalized: string
        try {
          normalized = parseNormalizedName(tag).toString()
        } catch (err) {
          throw wrap(err, `Invalid tag ${JSON.stringify(tag)} in manifest.json item @${i}`)
        }
        if (normalized === wanted) return item
      }
    }
    throw new TspodError(`Tag ${JSON.stringify(wanted)} not found`)
  }
  if (reference.sourceIndex !== -1) {
    if (reference.sourceIndex >= items.length) {
      throw new TspodError(`Invalid source index @${reference.sourceIndex}, only ${items.length} manifest items available`)
    }
    return items[reference.sourceIndex]
  }
  if (items.length !== 1) throw new TspodError(`Unexpected tar manifest.json: expected 1 item, got ${items.length}`)
  return items[0]
}

/** Each distinct diffID's layer tar, with its uncompressed size (found by decompressing when compressed). */
async function knownLayers(index: TarIndex, item: ArchiveManifestItem, diffIds: string[], file: string, ctx: ImageContext): Promise<Map<string, KnownLayer>> {
  const layers = new Map<string, KnownLayer>()
  const pathsUsed = new Map<string, string>()
  for (const [i, diffId] of diffIds.entries()) {
    // the same layer twice: docker save links the repeat to the first copy, either serves
    if (layers.has(diffId)) continue
    const layerPath = item.Layers[i]
    const previous = pathsUsed.get(layerPath)
    if (previous !== undefined && previous !== diffId) throw new TspodError(`Layer tarfile ${JSON.stringify(layerPath)} used for two different DiffID values`)
    pathsUsed.set(layerPath, diffId)
    const member = index.resolve(layerPath)
    if (!member) throw new TspodError(`layer tarfile ${JSON.stringify(layerPath)} is missing from ${file}`)
    ctx.signal?.throwIfAborted()
    let compression: LayerCompression
    try {
      compression = detectCompression(await memberHead(index, member))
    } catch (err) {
      throw wrap(err, `layer tarfile ${JSON.stringify(layerPath)} in ${file}`)
    }
    let size = member.size
    if (compression !== 'none') {
      try {
        size = await decompressedSize(index, member)
      } catch (err) {
        throw wrap(err, `auto-decompressing ${JSON.stringify(layerPath)} to determine its size`)
      }
    }
    layers.set(diffId, {member, size, compression})
  }
  return layers
}
