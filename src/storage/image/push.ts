// `tspod push` as a library (libimage's Push): an image of the store copied to a destination,
// a registry (docker://, the default for a name without a transport) or oci:, oci-archive:,
// docker-archive:, dir:.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../errors'
import {BlobLocations} from './blob-locations'
import type {RegistriesConfig} from './config/registries-conf'
import {CopyEvent, copyImage} from './copy/copy'
import {CompressionFormat, LayerCompression, parseCompressionFormat} from './copy/layer-compression'
import {parseImageManifest} from './manifest/manifest'
import {MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_OCI_MANIFEST} from './manifest/media-types'
import {resolveLocalImage} from '../store/images/lookup'
import type {Store} from '../store/store'
import {StoreImageReference} from './transports/containers-storage/transport'
import {dockerTransport} from './transports/docker/transport'
import {OCI_ARCHIVE_TRANSPORT_NAME} from './transports/oci-archive/transport'
import {OCI_TRANSPORT_NAME} from './transports/oci-layout/transport'
import {formatImageName, parseTransportOrRegistry} from './transports/registry'
import {ImageContext, ImageReference} from './transports/types'

/** --format: Podman's names for the manifest formats a push can write. */
export const PUSH_FORMATS: Readonly<Record<string, string>> = {
  oci: MEDIA_TYPE_OCI_MANIFEST,
  v2s2: MEDIA_TYPE_DOCKER_MANIFEST,
  docker: MEDIA_TYPE_DOCKER_MANIFEST,
}

/** Under the graph root: see blob-locations.ts. */
export const BLOB_LOCATIONS_FILE = 'blob-locations.json'

export interface PushOptions {
  ctx: ImageContext & {registries: RegistriesConfig}
  /** --format: a key of PUSH_FORMATS */
  format?: string
  /** --compression-format */
  compressionFormat?: string
  /** --digestfile: where the manifest digest is written after the push */
  digestFile?: string
  /** a dir in the store for archive destinations */
  tmpDir: string
  onEvent?: (event: CopyEvent) => void
}

export interface PushResult {
  destination: string
  manifestDigest: string
}

/**
 * The destination as libimage parses it: a transport name before the first ":", else a registry
 * reference ("localhost:5000/x" has no transport "localhost").
 */
export function parseDestination(text: string, tmpDir: string): ImageReference {
  return parseTransportOrRegistry(text, {tmpDir})
}

export async function pushImage(store: Store, sourceName: string, destinationName: string | undefined, opts: PushOptions): Promise<PushResult> {
  const manifestType = opts.format === undefined ? undefined : PUSH_FORMATS[opts.format]
  if (opts.format !== undefined && manifestType === undefined) {
    if (opts.format === 'v2s1') throw new UsageError('Docker schema 1 manifests (v2s1) are not supported by tspod: use oci or v2s2')
    throw new UsageError(`unknown format ${JSON.stringify(opts.format)}. Choose one of the supported formats: 'oci', 'v2s2', or 'docker'`)
  }
  const compressionFormat = opts.compressionFormat === undefined ? undefined : parseCompressionFormat(opts.compressionFormat)
  if (compressionFormat === 'zstd' && manifestType === MEDIA_TYPE_DOCKER_MANIFEST) {
    throw new UsageError('zstd compression is not supported for docker images (--format v2s2): push with --format oci, or --compression-format gzip')
  }
  const match = resolveLocalImage(store, sourceName, opts.ctx.registries)
  if (!match) throw new UsageError(`${sourceName}: image not known`)
  const destination = parseDestination(destinationName ?? match.name ?? sourceName, opts.tmpDir)
  const registry = destination.transport.name === dockerTransport.name
  const locations = new BlobLocations(path.join(store.layout.graphRoot, BLOB_LOCATIONS_FILE))
  const source = await StoreImageReference.ofImage(store, match.image).newSource()
  try {
    const sourceManifest = await source.getManifest()
    const {config, layers} = parseImageManifest(sourceManifest.bytes, sourceManifest.mediaType)
    const blobs = [config.digest, ...layers.map((l) => l.digest)]
    const ctx: ImageContext = {...opts.ctx, knownRepositories: [...match.image.names, ...(registry ? locations.repositoriesFor(blobs) : [])]}
    const layerCompression = compressionOf(destination.transport.name, compressionFormat)
    const dest = await destination.newDestination(ctx)
    try {
      const copied = await copyImage(source, dest, {
        onEvent: opts.onEvent,
        // zstd layers need an OCI manifest
        manifestType: manifestType ?? (layerCompression?.format === 'zstd' ? MEDIA_TYPE_OCI_MANIFEST : undefined),
        layerCompression,
      })
      const repository = destination.dockerReference()?.replace(/[:@][^/]*$/, '')
      if (registry && repository !== undefined) {
        const written = parseImageManifest(copied.manifest.bytes, copied.manifest.mediaType)
        locations.record([written.config.digest, ...written.layers.map((l) => l.digest)], repository)
      }
      if (opts.digestFile !== undefined) writeDigestFile(opts.digestFile, copied.manifestDigest)
      return {destination: formatImageName(destination), manifestDigest: copied.manifestDigest}
    } finally {
      await dest.close()
    }
  } finally {
    await source.close()
  }
}

/**
 * What a destination does to layers, as containers/image's destinations ask: a registry wants
 * them compressed (gzip unless told), an OCI layout or archive compresses only when a format is
 * given, docker-archive: and dir: keep the blobs as they are (the flag is ignored, as Podman does).
 */
function compressionOf(transport: string, format: CompressionFormat | undefined): LayerCompression | undefined {
  if (transport === dockerTransport.name) return format ? {format, recompress: true} : {format: 'gzip', recompress: false}
  if ((transport === OCI_TRANSPORT_NAME || transport === OCI_ARCHIVE_TRANSPORT_NAME) && format) return {format, recompress: true}
  return undefined
}

function writeDigestFile(file: string, digest: string): void {
  try {
    fs.writeFileSync(file, digest, {mode: 0o644})
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new TspodError(`failed to write digest to file ${JSON.stringify(file)}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
}
