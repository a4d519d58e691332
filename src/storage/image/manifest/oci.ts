// OCI image manifests and image indexes (image-spec v1.1), read into and written from the
// format-independent shapes of ./types.
import {JsonFields, JsonObject} from './json-fields'
import {MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from './media-types'
import {ImageManifest, InstancePlatform, ManifestBlobInfo, ManifestList, ManifestListInstance} from './types'

function descriptor(f: JsonFields, value: unknown, field: string, mediaTypeOptional = false): ManifestBlobInfo {
  const d = f.object(value, field)
  const out: ManifestBlobInfo = {
    mediaType: mediaTypeOptional ? (f.optionalString(d.mediaType, `${field}.mediaType`) ?? '') : f.nonEmptyString(d.mediaType, `${field}.mediaType`),
    digest: f.digest(d.digest, `${field}.digest`),
    size: f.size(d.size, `${field}.size`),
  }
  const urls = f.optionalStringArray(d.urls, `${field}.urls`)
  if (urls) out.urls = urls
  const annotations = f.optionalStringMap(d.annotations, `${field}.annotations`)
  if (annotations) out.annotations = annotations
  return out
}

function schemaVersion2(f: JsonFields, doc: JsonObject): void {
  if (doc.schemaVersion !== 2) f.fail('schemaVersion', `must be 2, got ${JSON.stringify(doc.schemaVersion)}`)
}

function platform(f: JsonFields, value: unknown, field: string): InstancePlatform | undefined {
  const p = f.optionalObject(value, field)
  if (!p) return undefined
  const out: InstancePlatform = {
    architecture: f.string(p.architecture, `${field}.architecture`),
    os: f.string(p.os, `${field}.os`),
  }
  const variant = f.optionalString(p.variant, `${field}.variant`)
  if (variant) out.variant = variant
  const osVersion = f.optionalString(p['os.version'], `${field}.os.version`)
  if (osVersion) out.osVersion = osVersion
  const osFeatures = f.optionalStringArray(p['os.features'], `${field}.os.features`)
  if (osFeatures) out.osFeatures = osFeatures
  return out
}

export function parseOciManifest(doc: JsonObject): ImageManifest {
  const f = new JsonFields('OCI image manifest')
  schemaVersion2(f, doc)
  if (doc.mediaType !== undefined && doc.mediaType !== MEDIA_TYPE_OCI_MANIFEST) {
    f.fail('mediaType', `must be ${JSON.stringify(MEDIA_TYPE_OCI_MANIFEST)}, got ${JSON.stringify(doc.mediaType)}`)
  }
  if (doc.manifests !== undefined) f.fail('manifests', 'is not allowed in an image manifest')
  const manifest: ImageManifest = {
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    config: descriptor(f, doc.config, 'config'),
    layers: (f.optionalArray(doc.layers, 'layers') ?? []).map((layer, i) => descriptor(f, layer, `layers[${i}]`)),
  }
  const artifactType = f.optionalString(doc.artifactType, 'artifactType')
  if (artifactType) manifest.artifactType = artifactType
  if (doc.subject !== undefined && doc.subject !== null) manifest.subject = descriptor(f, doc.subject, 'subject')
  const annotations = f.optionalStringMap(doc.annotations, 'annotations')
  if (annotations) manifest.annotations = annotations
  return manifest
}

/**
 * An image index. `lenient` accepts entries without a media type (as "", for the caller to guess
 * from the blob), which older layouts' index.json files have.
 */
export function parseOciIndex(doc: JsonObject, lenient = false): ManifestList {
  const f = new JsonFields('OCI image index')
  schemaVersion2(f, doc)
  if (doc.mediaType !== undefined && doc.mediaType !== MEDIA_TYPE_OCI_INDEX) {
    f.fail('mediaType', `must be ${JSON.stringify(MEDIA_TYPE_OCI_INDEX)}, got ${JSON.stringify(doc.mediaType)}`)
  }
  if (doc.config !== undefined) f.fail('config', 'is not allowed in an image index')
  if (doc.layers !== undefined) f.fail('layers', 'is not allowed in an image index')
  const instances = (f.optionalArray(doc.manifests, 'manifests') ?? []).map((value, i): ManifestListInstance => {
    const field = `manifests[${i}]`
    const d = descriptor(f, value, field, lenient)
    const instance: ManifestListInstance = {digest: d.digest, size: d.size, mediaType: d.mediaType}
    const p = platform(f, (value as JsonObject).platform, `${field}.platform`)
    if (p) instance.platform = p
    if (d.annotations) instance.annotations = d.annotations
    return instance
  })
  const list: ManifestList = {mediaType: MEDIA_TYPE_OCI_INDEX, instances}
  const annotations = f.optionalStringMap(doc.annotations, 'annotations')
  if (annotations) list.annotations = annotations
  return list
}

/** The JSON object of a descriptor in image-spec's field order. */
export function ociDescriptorJson(d: ManifestBlobInfo): JsonObject {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.urls && d.urls.length > 0 ? {urls: d.urls} : {}),
    ...(d.annotations && Object.keys(d.annotations).length > 0 ? {annotations: d.annotations} : {}),
  }
}

export function serializeOciManifest(m: ImageManifest): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_OCI_MANIFEST,
      ...(m.artifactType ? {artifactType: m.artifactType} : {}),
      config: ociDescriptorJson(m.config),
      layers: m.layers.map(ociDescriptorJson),
      ...(m.subject ? {subject: ociDescriptorJson(m.subject)} : {}),
      ...(m.annotations && Object.keys(m.annotations).length > 0 ? {annotations: m.annotations} : {}),
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
  }
}

export function serializeOciIndex(list: ManifestList): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_OCI_INDEX,
      manifests: list.instances.map((i) => ({
        ...ociDescriptorJson(i),
        ...(i.platform ? {platform: platformJson(i.platform)} : {}),
      })),
      ...(list.annotations && Object.keys(list.annotations).length > 0 ? {annotations: list.annotations} : {}),
    }),
  )
}
