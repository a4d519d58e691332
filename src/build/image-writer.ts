// Writing a new image into the store from a parent image (or none) plus at most one new layer
// tar: its config and manifest made here, its blobs handed to the store's own destination (the
// one a pull writes through), so the new layer is unpacked, registered and cleaned up exactly as
// a pulled one. The parent's layers are reused (pinned), never copied.
import {Readable} from 'node:stream'

import {sha256Digest} from '../storage/digest'
import type {CopyEvent} from '../storage/image/copy/copy'
import {serializeManifest, convertManifest, parseImageManifest} from '../storage/image/manifest/manifest'
import {
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_DOCKER_LAYER,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_CONFIG,
  MEDIA_TYPE_OCI_LAYER,
  MEDIA_TYPE_OCI_MANIFEST,
} from '../storage/image/manifest/media-types'
import type {ImageManifest, ManifestBlobInfo} from '../storage/image/manifest/types'
import {hostPlatform} from '../storage/image/manifest/platform'
import {StoreDestination} from '../storage/image/transports/containers-storage/destination'
import type {ImageReference} from '../storage/image/transports/types'
import {hexOf} from '../storage/store/images/chain-id'
import type {Image} from '../storage/store/images/images'
import type {UnpackOptions} from '../storage/store/archive/unpack'
import type {Store} from '../storage/store/store'
import type {RunConfig} from './changes'

export type ImageFormat = 'oci' | 'docker'

/** An image config as stored: the fields tspod sets, and whatever else the parent had. */
export interface RawImageConfig {
  created?: string
  author?: string
  architecture: string
  os: string
  config: RunConfig
  rootfs: {type: 'layers'; diff_ids: string[]}
  history: {created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean}[]
  [key: string]: unknown
}

export interface NewLayerTar {
  /** moved into the store by writeImage */
  file: string
  diffID: string
  size: number
}

export interface NewImageSpec {
  /** the parent image; undefined for one from scratch */
  parent?: Image
  /** the config, its rootfs and history not yet holding the new layer */
  config: RawImageConfig
  layer?: NewLayerTar
  /** the history entry of this step */
  history: {created_by?: string; comment?: string; author?: string}
  format: ImageFormat
  names: string[]
  onEvent?: (event: CopyEvent) => void
  onWarning?: (message: string) => void
  /** a worker in the store's namespace that unpacks the new layer */
  unpackWith?: UnpackOptions['unpackWith']
}

/** A parent's config as a mutable object; an empty Linux one for scratch. */
export function parentConfig(parent: Image | undefined): RawImageConfig {
  if (parent) {
    const config = JSON.parse(parent.config.toString()) as RawImageConfig
    config.config ??= {}
    config.rootfs ??= {type: 'layers', diff_ids: []}
    config.history ??= []
    return config
  }
  const platform = hostPlatform()
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? {variant: platform.variant} : {}),
    config: {},
    rootfs: {type: 'layers', diff_ids: []},
    history: [],
  }
}

function parentLayers(parent: Image | undefined, format: ImageFormat): ManifestBlobInfo[] {
  if (!parent) return []
  const manifest = parseImageManifest(parent.manifest, parent.manifestType)
  return convertManifest(manifest, format === 'oci' ? MEDIA_TYPE_OCI_MANIFEST : MEDIA_TYPE_DOCKER_MANIFEST).layers
}

/** A stable JSON form (keys in order), so that the same config always has the same digest. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  return value
}

/** Register the image; returns its id (the config's digest, hex). */
export async function writeImage(store: Store, spec: NewImageSpec): Promise<string> {
  const now = new Date().toISOString()
  const config: RawImageConfig = structuredClone(spec.config)
  config.created = now
  const entry: RawImageConfig['history'][number] = {created: now, ...spec.history}
  if (spec.layer) delete entry.empty_layer
  else entry.empty_layer = true
  config.history = [...config.history, entry]
  if (spec.layer) config.rootfs = {type: 'layers', diff_ids: [...config.rootfs.diff_ids, spec.layer.diffID]}
  const configBytes = Buffer.from(JSON.stringify(canonical(config)))
  const configDigest = sha256Digest(configBytes)

  const layers = parentLayers(spec.parent, spec.format)
  const newLayer: ManifestBlobInfo | undefined = spec.layer && {
    mediaType: spec.format === 'oci' ? MEDIA_TYPE_OCI_LAYER : MEDIA_TYPE_DOCKER_LAYER,
    digest: spec.layer.diffID,
    size: spec.layer.size,
  }
  const manifest: ImageManifest = {
    mediaType: spec.format === 'oci' ? MEDIA_TYPE_OCI_MANIFEST : MEDIA_TYPE_DOCKER_MANIFEST,
    config: {mediaType: spec.format === 'oci' ? MEDIA_TYPE_OCI_CONFIG : MEDIA_TYPE_DOCKER_CONFIG, digest: configDigest, size: configBytes.length},
    layers: newLayer ? [...layers, newLayer] : layers,
  }

  const reference = {toString: () => configDigest} as unknown as ImageReference
  const dest = new StoreDestination(reference, store, {names: spec.names, onWarning: spec.onWarning, unpackWith: spec.unpackWith})
  const onEvent = spec.onEvent
  try {
    await dest.putBlob(Readable.from([configBytes]), manifest.config, {isConfig: true})
    for (const [i, layer] of layers.entries()) {
      if (!(await dest.tryReusingBlob(layer, {layerIndex: i}))) throw new Error(`layer ${i} of the parent image is missing from the store`)
      onEvent?.({kind: 'blob-done', digest: spec.config.rootfs.diff_ids[i] ?? layer.digest, reused: true})
    }
    if (newLayer) {
      onEvent?.({kind: 'blob-start', digest: newLayer.digest, size: newLayer.size, isConfig: false})
      await dest.putBlobFile(spec.layer!.file, newLayer, {layerIndex: layers.length, digestComputed: true})
      onEvent?.({kind: 'blob-done', digest: newLayer.digest, reused: false})
    }
    onEvent?.({kind: 'blob-start', digest: configDigest, size: configBytes.length, isConfig: true})
    onEvent?.({kind: 'blob-done', digest: configDigest, reused: false})
    onEvent?.({kind: 'manifest'})
    await dest.putManifest(serializeManifest(manifest))
    await dest.commit()
  } finally {
    await dest.close()
  }
  return hexOf(configDigest)
}
