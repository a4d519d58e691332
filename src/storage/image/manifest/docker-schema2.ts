// Docker image manifests (schema 2) and manifest lists, read into and written from the
// format-independent shapes of ./types.
import {JsonFields, JsonObject} from './json-fields'
import {MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST} from './media-types'
import {ImageManifest, InstancePlatform, ManifestBlobInfo, ManifestList, ManifestListInstance} from './types'

function descriptor(f: JsonFields, value: unknown, field: string): ManifestBlobInfo {
  const d = f.object(value, field)
  const out: ManifestBlobInfo = {
    mediaType: f.nonEmptyString(d.mediaType, `${field}.mediaType`),
    digest: f.digest(d.digest, `${field}.digest`),
    size: f.size(d.size, `${field}.size`),
  }
  const urls = f.optionalStringArray(d.urls, `${field}.urls`)
  if (urls) out.urls = urls
  return out
}

function header(f: JsonFields, doc: JsonObject, mediaType: string): void {
  if (doc.schemaVersion !== 2) f.fail('schemaVersion', `must be 2, got ${JSON.stringify(doc.schemaVersion)}`)
  if (doc.mediaType !== mediaType) f.fail('mediaType', `must be ${JSON.stringify(mediaType)}, got ${JSON.stringify(doc.mediaType)}`)
}

export function parseDockerManifest(doc: JsonObject): ImageManifest {
  const f = new JsonFields('Docker schema2 manifest')
  header(f, doc, MEDIA_TYPE_DOCKER_MANIFEST)
  if (doc.manifests !== undefined) f.fail('manifests', 'is not allowed in an image manifest')
  return {
    mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
    config: descriptor(f, doc.config, 'config'),
    layers: (f.optionalArray(doc.layers, 'layers') ?? []).map((layer, i) => descriptor(f, layer, `layers[${i}]`)),
  }
}

function platform(f: JsonFields, value: unknown, field: string): InstancePlatform | undefined {
  const p = f.optionalObject(value, field)
  if (!p) return undefined
  const out: InstancePlatform = {
    architecture: f.optionalString(p.architecture, `${field}.architecture`) ?? '',
    os: f.optionalString(p.os, `${field}.os`) ?? '',
  }
  const variant = f.optionalString(p.variant, `${field}.variant`)
  if (variant) out.variant = variant
  const osVersion = f.optionalString(p['os.version'], `${field}.os.version`)
  if (osVersion) out.osVersion = osVersion
  const osFeatures = f.optionalStringArray(p['os.features'], `${field}.os.features`)
  if (osFeatures) out.osFeatures = osFeatures
  const features = f.optionalStringArray(p.features, `${field}.features`)
  if (features) out.features = features
  return out
}

export function parseDockerManifestList(doc: JsonObject): ManifestList {
  const f = new JsonFields('Docker manifest list')
  header(f, doc, MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  if (doc.config !== undefined) f.fail('config', 'is not allowed in a manifest list')
  if (doc.layers !== undefined) f.fail('layers', 'is not allowed in a manifest list')
  const instances = (f.optionalArray(doc.manifests, 'manifests') ?? []).map((value, i): ManifestListInstance => {
    const field = `manifests[${i}]`
    const d = descriptor(f, value, field)
    const instance: ManifestListInstance = {digest: d.digest, size: d.size, mediaType: d.mediaType}
    const p = platform(f, (value as JsonObject).platform, `${field}.platform`)
    if (p) instance.platform = p
    return instance
  })
  return {mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST, instances}
}

/** The JSON object of a descriptor in Docker's field order. */
function descriptorJson(d: {mediaType: string; size: number; digest: string; urls?: string[]}): JsonObject {
  return {mediaType: d.mediaType, size: d.size, digest: d.digest, ...(d.urls && d.urls.length > 0 ? {urls: d.urls} : {})}
}

export function serializeDockerManifest(m: ImageManifest): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_DOCKER_MANIFEST,
      config: descriptorJson(m.config),
      layers: m.layers.map(descriptorJson),
    }),
  )
}

function platformJson(p: InstancePlatform): JsonObject {
  return {
    architecture: p.architecture,
    os: p.os,
    ...(p.osVersion ? {'os.version': p.osVersion} : {}),
    ...(p.osFeatures && p.osFeatures.length > 0 ? {'os.features': p.osFeatures} : {}),
    ...(p.variant ? {variant: p.variant} : {}),
    ...(p.features && p.features.length > 0 ? {features: p.features} : {}),
  }
}

export function serializeDockerManifestList(list: ManifestList): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST,
      manifests: list.instances.map((i) => ({
        ...descriptorJson(i),
        platform: platformJson(i.platform ?? {architecture: '', os: ''}),
      })),
    }),
  )
}
