// Manifests of any supported format: recognizing the format, parsing into the shapes of ./types,
// writing them back, and converting image manifests between OCI and Docker schema2.
import {TspodError} from '../../../errors'
import type {ManifestBlob} from '../transports/types'
import {parseDockerManifest, parseDockerManifestList, serializeDockerManifest, serializeDockerManifestList} from './docker-schema2'
import {isObject, JsonFields, JsonObject} from './json-fields'
import {
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_DOCKER_FOREIGN_LAYER,
  MEDIA_TYPE_DOCKER_FOREIGN_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_LAYER,
  MEDIA_TYPE_DOCKER_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_DOCKER_SCHEMA1,
  MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED,
  MEDIA_TYPE_OCI_CONFIG,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_LAYER,
  MEDIA_TYPE_OCI_LAYER_GZIP,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
  MEDIA_TYPE_OCI_LAYER_ZSTD,
  MEDIA_TYPE_OCI_MANIFEST,
  SCHEMA1_TYPES,
} from './media-types'
import {parseOciIndex, parseOciManifest, serializeOciIndex, serializeOciManifest} from './oci'
import {AnyManifest, ImageManifest, isManifestList, ManifestBlobInfo} from './types'

export * from './types'

const SUPPORTED_TYPES = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST]

function schema1Error(mediaType: string): TspodError {
  return new TspodError(`unsupported manifest type: Docker schema 1 (${mediaType}) is not supported`)
}

/**
 * The media type of a manifest from its JSON, for transports that store none (as containers/image's
 * GuessMIMEType): the `mediaType` field when it names a manifest type, schema 1 by schemaVersion,
 * else an OCI index when there are `manifests` and an OCI image manifest when there are `config`
 * and `layers` (a Docker config there means schema2). Undefined when nothing fits.
 */
export function guessManifestMediaType(bytes: Buffer | string): string | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'))
  } catch {
    return undefined
  }
  if (!isObject(doc)) return undefined
  if (typeof doc.mediaType === 'string' && (SUPPORTED_TYPES.includes(doc.mediaType) || SCHEMA1_TYPES.includes(doc.mediaType))) {
    return doc.mediaType
  }
  if (doc.schemaVersion === 1) return doc.signatures !== undefined ? MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED : MEDIA_TYPE_DOCKER_SCHEMA1
  if (doc.schemaVersion !== 2) return undefined
  if (Array.isArray(doc.manifests)) return MEDIA_TYPE_OCI_INDEX
  if (isObject(doc.config) && doc.layers !== undefined) {
    return doc.config.mediaType === MEDIA_TYPE_DOCKER_CONFIG ? MEDIA_TYPE_DOCKER_MANIFEST : MEDIA_TYPE_OCI_MANIFEST
  }
  return undefined
}

/**
 * Parses a manifest or manifest list. `mediaType` is what the transport reported; when it is
 * missing or not a manifest type ("application/json", "text/plain") it is guessed from the JSON.
 */
export function parseManifest(bytes: Buffer | string, mediaType?: string): AnyManifest {
  let type = mediaType
  if (type && SCHEMA1_TYPES.includes(type)) throw schema1Error(type)
  if (!type || !SUPPORTED_TYPES.includes(type)) {
    const guessed = guessManifestMediaType(bytes)
    if (guessed === undefined) {
      new JsonFields('manifest').parse(bytes) // for invalid JSON, say that instead
      throw new TspodError(
        `unsupported manifest type${mediaType ? ` ${JSON.stringify(mediaType)}` : ''}: neither a known "mediaType" nor "manifests" or "config" and "layers"`,
      )
    }
    if (SCHEMA1_TYPES.includes(guessed)) throw schema1Error(guessed)
    type = guessed
  }
  let doc: JsonObject
  switch (type) {
    case MEDIA_TYPE_OCI_MANIFEST:
      doc = new JsonFields('OCI image manifest').parse(bytes)
      return parseOciManifest(doc)
    case MEDIA_TYPE_OCI_INDEX:
      doc = new JsonFields('OCI image index').parse(bytes)
      return parseOciIndex(doc)
    case MEDIA_TYPE_DOCKER_MANIFEST:
      doc = new JsonFields('Docker schema2 manifest').parse(bytes)
      return parseDockerManifest(doc)
    default:
      doc = new JsonFields('Docker manifest list').parse(bytes)
      return parseDockerManifestList(doc)
  }
}

/** parseManifest, refusing manifest lists. */
export function parseImageManifest(bytes: Buffer | string, mediaType?: string): ImageManifest {
  const manifest = parseManifest(bytes, mediaType)
  if (isManifestList(manifest)) throw new TspodError(`expected an image manifest, got a manifest list (${manifest.mediaType})`)
  return manifest
}

/** The bytes of a manifest or list in its own format. */
export function serializeManifest(manifest: AnyManifest): ManifestBlob {
  const {mediaType} = manifest
  if (isManifestList(manifest)) {
    if (mediaType === MEDIA_TYPE_OCI_INDEX) return {mediaType, bytes: serializeOciIndex(manifest)}
    if (mediaType === MEDIA_TYPE_DOCKER_MANIFEST_LIST) return {mediaType, bytes: serializeDockerManifestList(manifest)}
  } else {
    if (mediaType === MEDIA_TYPE_OCI_MANIFEST) return {mediaType, bytes: serializeOciManifest(manifest)}
    if (mediaType === MEDIA_TYPE_DOCKER_MANIFEST) return {mediaType, bytes: serializeDockerManifest(manifest)}
  }
  throw new TspodError(`unsupported manifest type ${JSON.stringify(mediaType)}`)
}

const OCI_TO_DOCKER_LAYER: Record<string, string> = {
  [MEDIA_TYPE_OCI_LAYER]: MEDIA_TYPE_DOCKER_LAYER,
  [MEDIA_TYPE_OCI_LAYER_GZIP]: MEDIA_TYPE_DOCKER_LAYER_GZIP,
  [MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE]: MEDIA_TYPE_DOCKER_FOREIGN_LAYER,
  [MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP]: MEDIA_TYPE_DOCKER_FOREIGN_LAYER_GZIP,
}

const DOCKER_TO_OCI_LAYER: Record<string, string> = Object.fromEntries(Object.entries(OCI_TO_DOCKER_LAYER).map(([oci, docker]) => [docker, oci]))

function convertLayer(layer: ManifestBlobInfo, mapping: Record<string, string>): ManifestBlobInfo {
  if (layer.mediaType === MEDIA_TYPE_OCI_LAYER_ZSTD || layer.mediaType === MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_ZSTD) {
    throw new TspodError(`Error during manifest conversion: ${JSON.stringify(layer.mediaType)}: zstd compression is not supported for docker images`)
  }
  const mediaType = mapping[layer.mediaType]
  if (mediaType === undefined) throw new TspodError(`Unknown media type during manifest conversion: ${JSON.stringify(layer.mediaType)}`)
  const out: ManifestBlobInfo = {mediaType, digest: layer.digest, size: layer.size}
  if (layer.urls) out.urls = layer.urls
  if (layer.annotations && mapping === DOCKER_TO_OCI_LAYER) out.annotations = layer.annotations
  return out
}

/**
 * The same image under the other manifest format: the config and layer blobs stay as they are, only
 * media types change. OCI-only data (annotations, subject) is dropped going to Docker schema2, and
 * zstd layers cannot go there at all. A manifest already of `toMediaType` is returned unchanged.
 */
export function convertManifest(manifest: ImageManifest, toMediaType: string): ImageManifest {
  if (manifest.mediaType === toMediaType) return manifest
  if (manifest.mediaType === MEDIA_TYPE_OCI_MANIFEST && toMediaType === MEDIA_TYPE_DOCKER_MANIFEST) {
    if (manifest.config.mediaType !== MEDIA_TYPE_OCI_CONFIG) {
      const type = manifest.artifactType || manifest.config.mediaType
      if (type === MEDIA_TYPE_DOCKER_CONFIG) throw new TspodError(`invalid mixed OCI image with Docker v2s2 config (${JSON.stringify(type)})`)
      throw new TspodError(`unsupported image-specific operation on artifact with type ${JSON.stringify(type)}`)
    }
    return {
      mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
      config: {mediaType: MEDIA_TYPE_DOCKER_CONFIG, digest: manifest.config.digest, size: manifest.config.size},
      layers: manifest.layers.map((l) => convertLayer(l, OCI_TO_DOCKER_LAYER)),
    }
  }
  if (manifest.mediaType === MEDIA_TYPE_DOCKER_MANIFEST && toMediaType === MEDIA_TYPE_OCI_MANIFEST) {
    if (manifest.config.mediaType !== MEDIA_TYPE_DOCKER_CONFIG) {
      throw new TspodError(`Unknown media type during manifest conversion: ${JSON.stringify(manifest.config.mediaType)}`)
    }
    return {
      mediaType: MEDIA_TYPE_OCI_MANIFEST,
      config: {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: manifest.config.digest, size: manifest.config.size},
      layers: manifest.layers.map((l) => convertLayer(l, DOCKER_TO_OCI_LAYER)),
    }
  }
  throw new TspodError(`cannot convert a ${JSON.stringify(manifest.mediaType)} manifest to ${JSON.stringify(toMediaType)}`)
}
