// copyImage: one image from an ImageSource into an ImageDestination (containers/image's copy
// pipeline). The source gives raw bytes; every manifest and blob is verified here against its
// digest as it flows, and nothing is committed unless all of it matched.
import {Readable, Transform} from 'node:stream'

import {TspodError, wrap} from '../../../errors'
import {BlobInfo, BlobStall, GetBlobOptions, ImageDestination, ImageSource, ManifestBlob, Platform} from '../transports/types'
import {DigestVerifier, sha256Digest as sha256} from '../../digest'
import {ImageManifest, convertManifest, isManifestList, parseImageManifest, parseManifest, serializeManifest} from '../manifest/manifest'
import {chooseInstance} from '../manifest/platform'
import {createLayerDecompressor} from '../../store/archive/decompress'
import {LayerCompression, compressedMediaType, isCompressedMediaType, layerCompressor} from './layer-compression'
import {copyLayerUncompressed, diffIds} from './uncompressed-layer'
import {tracePhase} from '../../../trace'

/** Layers fetched at once. */
const PARALLEL_BLOBS = 3
const MAX_CONFIG_SIZE = 16 * 1024 * 1024

export type CopyEvent =
  | {kind: 'blob-start'; digest: string; size: number; isConfig: boolean}
  | {kind: 'blob-progress'; digest: string; bytes: number}
  | {kind: 'blob-done'; digest: string; reused: boolean}
  /** the source went silent while the blob was read; it is read on with a new request */
  | ({kind: 'blob-stalled'; digest: string} & BlobStall)
  | {kind: 'manifest'}

export interface CopyOptions {
  platform?: Partial<Platform>
  onEvent?: (event: CopyEvent) => void
  /** write the manifest in this format (push --format), converting when the source has another */
  manifestType?: string
  /** compress layers on the way (a registry destination wants them compressed; push --compression-format) */
  layerCompression?: LayerCompression
  /** write compressed layers as their tar streams (a new manifest; the image ID stays) */
  uncompressedLayers?: boolean
}

export interface CopyResult {
  manifest: ManifestBlob
  manifestDigest: string
  /** the manifest list / index the image was chosen from */
  listDigest?: string
  configDigest: string
}

async function readAll(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    size += (chunk as Buffer).length
    if (size > limit) throw new TspodError(`${what} is larger than ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** The single image to copy: the top manifest, or the instance of a list that fits the platform. */
async function resolveImageManifest(
  source: ImageSource,
  platform: Partial<Platform> | undefined,
): Promise<{blob: ManifestBlob; manifest: ImageManifest; listDigest?: string}> {
  const top = await source.getManifest()
  const parsed = parseManifest(top.bytes, top.mediaType)
  if (!isManifestList(parsed)) return {blob: top, manifest: parsed}
  const instance = chooseInstance(parsed, platform)
  const blob = await source.getManifest(instance.digest)
  if (sha256(blob.bytes) !== instance.digest)
    throw new TspodError(`Manifest does not match provided manifest digest ${instance.digest}`)
  return {blob, manifest: parseImageManifest(blob.bytes, blob.mediaType), listDigest: sha256(top.bytes)}
}

function reportingStalls(digest: string, onEvent: CopyOptions['onEvent']): GetBlobOptions {
  return {onStall: (stall) => onEvent?.({kind: 'blob-stalled', digest, ...stall})}
}

function progress(digest: string, onEvent: CopyOptions['onEvent']): Transform {
  let bytes = 0
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length
      onEvent?.({kind: 'blob-progress', digest, bytes})
      done(null, chunk)
    },
  })
}

/** The streams that turn a layer blob into `mediaType`'s compression: none, or (decompress and) compress. */
function recompression(layer: BlobInfo, mediaType: string | undefined, compression: LayerCompression | undefined): Transform[] {
  if (mediaType === undefined || compression === undefined) return []
  const compressor = layerCompressor(compression.format)
  return isCompressedMediaType(layer.mediaType) ? [createLayerDecompressor(), compressor] : [compressor]
}

/** One layer; returns the blob written when it differs from the source's (compressed on the way). */
async function copyLayer(
  source: ImageSource,
  dest: ImageDestination,
  layer: BlobInfo,
  index: number,
  onEvent: CopyOptions['onEvent'],
  compression?: LayerCompression,
): Promise<BlobInfo | undefined> {
  const mediaType = compression && compressedMediaType(layer.mediaType ?? '', compression)
  // A compressed blob the destination has is used as it is, in whatever compression (as
  // containers/image does); an uncompressed one is never sent uncompressed, so not looked for.
  if ((mediaType === undefined || isCompressedMediaType(layer.mediaType)) && (await dest.tryReusingBlob(layer, {layerIndex: index}))) {
    onEvent?.({kind: 'blob-done', digest: layer.digest, reused: true})
    return undefined
  }
  const stages = recompression(layer, mediaType, compression)
  onEvent?.({kind: 'blob-start', digest: layer.digest, size: layer.size, isConfig: false})
  const {stream} = await source.getBlob(layer, reportingStalls(layer.digest, onEvent))
  let verified: Readable = stream.pipe(new DigestVerifier(layer.digest)).pipe(progress(layer.digest, onEvent))
  for (const stage of stages) {
    verified.on('error', (err) => stage.destroy(err))
    verified = verified.pipe(stage)
  }
  let sourceError: Error | undefined
  stream.on('error', (err) => {
    sourceError = err
    verified.destroy(err)
  })
  let written: BlobInfo
  try {
    // a compressed blob's digest is known only once it is written
    written = await dest.putBlob(verified, mediaType ? {digest: '', size: -1, mediaType} : layer, {isConfig: false, layerIndex: index})
  } catch (err) {
    // a failed read is the source's fault: its words, not the destination's "writing blob" around them
    throw wrap(sourceError ?? err, `copying blob ${layer.digest}`)
  }
  onEvent?.({kind: 'blob-done', digest: layer.digest, reused: false})
  return mediaType ? {...layer, digest: written.digest, size: written.size, mediaType} : undefined
}

/** Run fn over items with at most `limit` in flight; the first failure rejects (others finish). */
async function boundedAll<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const workers = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) {
      const i = next++
      await fn(items[i], i)
    }
  })
  const results = await Promise.allSettled(workers)
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}

export async function copyImage(source: ImageSource, dest: ImageDestination, options: CopyOptions = {}): Promise<CopyResult> {
  const {onEvent} = options
  let resolved
  try {
    resolved = await resolveImageManifest(source, options.platform)
  } catch (err) {
    throw wrap(err, `initializing source ${source.reference.transport.name}:${source.reference.toString()}`)
  }
  tracePhase('manifest')
  let {blob, manifest} = resolved
  const {listDigest} = resolved
  if (options.manifestType !== undefined && manifest.mediaType !== options.manifestType) {
    if (!dest.supportedManifestTypes.includes(options.manifestType)) {
      throw new TspodError(`manifest type ${JSON.stringify(options.manifestType)} is not supported by the destination`)
    }
    manifest = convertManifest(manifest, options.manifestType)
    blob = serializeManifest(manifest)
  } else if (!dest.supportedManifestTypes.includes(manifest.mediaType)) {
    manifest = convertManifest(manifest, dest.supportedManifestTypes[0])
    blob = serializeManifest(manifest)
  }

  onEvent?.({kind: 'blob-start', digest: manifest.config.digest, size: manifest.config.size, isConfig: true})
  const configStream = await source.getBlob(manifest.config, reportingStalls(manifest.config.digest, onEvent))
  const config = await readAll(configStream.stream, MAX_CONFIG_SIZE, `config ${manifest.config.digest}`)
  if (sha256(config) !== manifest.config.digest)
    throw new TspodError(`digest mismatch, expected "${manifest.config.digest}", got "${sha256(config)}"`)
  await dest.putBlob(Readable.from([config]), manifest.config, {isConfig: true})
  onEvent?.({kind: 'blob-done', digest: manifest.config.digest, reused: false})
  tracePhase('config')

  const ids = options.uncompressedLayers ? diffIds(config, manifest.layers.length) : []
  const rewritten: (BlobInfo | undefined)[] = []
  await boundedAll(manifest.layers, PARALLEL_BLOBS, async (layer, i) => {
    if (!options.uncompressedLayers || !isCompressedMediaType(layer.mediaType)) {
      rewritten[i] = await copyLayer(source, dest, layer, i, onEvent, options.layerCompression)
      return
    }
    onEvent?.({kind: 'blob-start', digest: layer.digest, size: layer.size, isConfig: false})
    rewritten[i] = await copyLayerUncompressed(source, dest, layer, ids[i], i)
    onEvent?.({kind: 'blob-done', digest: layer.digest, reused: false})
  })
  tracePhase('layers')
  if (rewritten.some((layer) => layer !== undefined)) {
    manifest = {...manifest, layers: manifest.layers.map((layer, i) => ({...layer, ...rewritten[i]}))} as ImageManifest
    blob = serializeManifest(manifest)
  }
  onEvent?.({kind: 'manifest'})
  await dest.putManifest(blob, {listDigest})
  await dest.commit()
  tracePhase('commit')
  return {manifest: blob, manifestDigest: sha256(blob.bytes), listDigest, configDigest: manifest.config.digest}
}
