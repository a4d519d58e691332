// OCI and Docker schema2 images built in memory with deterministic bytes, for pull, unpack and run
// tests without a network. The layer, rootfs, hostile-layer and layout helpers are re-exported here.
import {busyboxRootfsEntries} from './oci-busybox'
import {HOSTILE_LAYERS, type HostileKind} from './oci-hostile'
import {buildLayer, FIXED_DATE, sha256, type Compression, type Layer, type LayerInput} from './oci-layer'

export * from './oci-layer'
export * from './oci-busybox'
export * from './oci-hostile'
export * from './oci-layout'

export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const MEDIA_TYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
export const MEDIA_TYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const MEDIA_TYPE_DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const MEDIA_TYPE_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'
export const MEDIA_TYPE_DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip'
export const MEDIA_TYPE_DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar'

export type ManifestFormat = 'oci' | 'docker'

export interface ImageConfig {
  Env?: string[]
  Cmd?: string[]
  Entrypoint?: string[]
  WorkingDir?: string
  User?: string
  Labels?: Record<string, string>
  ExposedPorts?: Record<string, object>
  Volumes?: Record<string, object>
  StopSignal?: string
}

export const DEFAULT_CONFIG: ImageConfig = {
  Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci'],
  Cmd: ['/bin/sh'],
}

export interface Platform {
  architecture: string
  os: string
  variant?: string
}

export interface BuiltImage {
  /** media type of `manifest` */
  mediaType: string
  manifest: Buffer
  manifestDigest: string
  config: Buffer
  configDigest: string
  layers: Layer[]
  platform: Platform
}

/** An OCI image index or Docker manifest list, with the images it lists. */
export interface BuiltIndex {
  mediaType: string
  manifest: Buffer
  manifestDigest: string
  images: BuiltImage[]
}

export interface BuildImageOptions {
  /** bottom layer first */
  layers: LayerInput[]
  /** the runtime config; DEFAULT_CONFIG when not given */
  config?: ImageConfig
  architecture?: string
  os?: string
  variant?: string
  /** RFC 3339; FIXED_DATE when not given */
  created?: string
  /** how layers given as entries or tars are compressed; 'gzip' by default */
  compression?: Compression
  format?: ManifestFormat
}

const NODE_ARCH_TO_OCI: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64le',
}

export function hostArchitecture(): string {
  return NODE_ARCH_TO_OCI[process.arch] ?? process.arch
}

export function hostPlatform(): Platform {
  return {architecture: hostArchitecture(), os: 'linux', ...(process.arch === 'arm' ? {variant: 'v7'} : {})}
}

export function platformString(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/')
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

function layerMediaType(layer: Layer, format: ManifestFormat): string {
  const gzipped = layer.mediaType.endsWith('gzip')
  if (format === 'oci') return layer.mediaType
  return gzipped ? MEDIA_TYPE_DOCKER_LAYER_GZIP : MEDIA_TYPE_DOCKER_LAYER_TAR
}

function assembleImage(config: Buffer, layers: Layer[], platform: Platform, format: ManifestFormat): BuiltImage {
  const formatLayers = layers.map((layer) => ({...layer, mediaType: layerMediaType(layer, format)}))
  const manifestMediaType = format === 'oci' ? MEDIA_TYPE_OCI_MANIFEST : MEDIA_TYPE_DOCKER_MANIFEST
  const configDigest = sha256(config)
  const manifest = json({
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: {
      mediaType: format === 'oci' ? MEDIA_TYPE_OCI_CONFIG : MEDIA_TYPE_DOCKER_CONFIG,
      digest: configDigest,
      size: config.length,
    },
    layers: formatLayers.map((l) => ({mediaType: l.mediaType, digest: l.digest, size: l.size})),
  })
  return {
    mediaType: manifestMediaType,
    manifest,
    manifestDigest: sha256(manifest),
    config,
    configDigest,
    layers: formatLayers,
    platform,
  }
}

export async function buildImage(opts: BuildImageOptions): Promise<BuiltImage> {
  const layers: Layer[] = []
  for (const input of opts.layers) layers.push(await buildLayer(input, opts.compression))
  const created = opts.created ?? FIXED_DATE.toISOString()
  const variant = opts.variant ?? (opts.architecture ? undefined : hostPlatform().variant)
  const platform: Platform = {
    architecture: opts.architecture ?? hostArchitecture(),
    os: opts.os ?? 'linux',
    ...(variant ? {variant} : {}),
  }
  const config = json({
    created,
    architecture: platform.architecture,
    ...(platform.variant ? {variant: platform.variant} : {}),
    os: platform.os,
    config: opts.config ?? DEFAULT_CONFIG,
    rootfs: {type: 'layers', diff_ids: layers.map((l) => l.diffID)},
    history: layers.map((_, i) => ({created, created_by: `tspod test layer ${i + 1}`})),
  })
  return assembleImage(config, layers, platform, opts.format ?? 'oci')
}

/** The same image (same config and layer blobs) under a Docker schema2 manifest. */
export function toDockerSchema2(image: BuiltImage): BuiltImage {
  return assembleImage(image.config, image.layers, image.platform, 'docker')
}

/** An OCI image index, or a Docker manifest list (its images converted to schema2), over `images`. */
export function buildIndex(images: BuiltImage[], format: ManifestFormat = 'oci'): BuiltIndex {
  const toFormat = (image: BuiltImage) => (image.mediaType === MEDIA_TYPE_DOCKER_MANIFEST ? image : toDockerSchema2(image))
  const listed = format === 'oci' ? images : images.map(toFormat)
  const mediaType = format === 'oci' ? MEDIA_TYPE_OCI_INDEX : MEDIA_TYPE_DOCKER_MANIFEST_LIST
  const manifest = json({
    schemaVersion: 2,
    mediaType,
    manifests: listed.map((image) => ({
      mediaType: image.mediaType,
      digest: image.manifestDigest,
      size: image.manifest.length,
      platform: image.platform,
    })),
  })
  return {mediaType, manifest, manifestDigest: sha256(manifest), images: listed}
}

const busyboxLayers = new Map<Compression, Promise<Layer>>()

/** The busybox rootfs layer; built once per process since every image test wants it. */
export function busyboxLayer(compression: Compression = 'gzip'): Promise<Layer> {
  let layer = busyboxLayers.get(compression)
  if (!layer) {
    layer = busyboxRootfsEntries().then((entries) => buildLayer(entries, compression))
    busyboxLayers.set(compression, layer)
    layer.catch(() => busyboxLayers.delete(compression))
  }
  return layer
}

/** One-layer busybox image, runnable, with DEFAULT_CONFIG. */
export async function busyboxImage(opts: Omit<BuildImageOptions, 'layers'> = {}): Promise<BuiltImage> {
  return buildImage({...opts, layers: [await busyboxLayer(opts.compression)]})
}

/**
 * busybox, then a layer adding /data/keep.txt, /data/gone.txt and /opq/lower.txt, then a layer
 * deleting gone.txt (whiteout), making /opq opaque with a new upper.txt, and adding a file owned by
 * 1234:1234 and a setuid file.
 */
export async function multiLayerImage(opts: Omit<BuildImageOptions, 'layers'> = {}): Promise<BuiltImage> {
  return buildImage({
    ...opts,
    layers: [
      await busyboxLayer(opts.compression),
      [
        {path: 'data/', type: 'dir'},
        {path: 'data/keep.txt', content: 'keep\n'},
        {path: 'data/gone.txt', content: 'gone\n'},
        {path: 'opq/', type: 'dir'},
        {path: 'opq/lower.txt', content: 'lower\n'},
      ],
      [
        {path: 'data/', type: 'dir'},
        {path: 'data/.wh.gone.txt'},
        {path: 'opq/', type: 'dir'},
        {path: 'opq/.wh..wh..opq'},
        {path: 'opq/upper.txt', content: 'upper\n'},
        {path: 'data/user-owned.txt', content: 'owned by user\n', uid: 1234, gid: 1234},
        {path: 'data/setuid', content: '#!/bin/sh\necho setuid\n', mode: 0o4755},
      ],
    ],
  })
}

export const INDEX_PLATFORMS: Platform[] = [
  {architecture: 'amd64', os: 'linux'},
  {architecture: 'arm64', os: 'linux', variant: 'v8'},
  {architecture: 'arm', os: 'linux', variant: 'v7'},
]

/**
 * An index over busybox images for INDEX_PLATFORMS (and the host's, if missing there): each is
 * the host's busybox layer plus /etc/tspod-platform naming its platform, so a test can tell
 * which one was picked; only the host's can actually run.
 */
export async function multiPlatformIndex(format: ManifestFormat = 'oci'): Promise<BuiltIndex> {
  const host = hostPlatform()
  const platforms = INDEX_PLATFORMS.some((p) => p.architecture === host.architecture) ? INDEX_PLATFORMS : [...INDEX_PLATFORMS, host]
  const base = await busyboxLayer()
  const images: BuiltImage[] = []
  for (const platform of platforms) {
    images.push(
      await buildImage({
        layers: [base, [{path: 'etc/', type: 'dir'}, {path: 'etc/tspod-platform', content: `${platformString(platform)}\n`}]],
        architecture: platform.architecture,
        os: platform.os,
        variant: platform.variant,
      }),
    )
  }
  return buildIndex(images, format)
}

/** An image made of the hostile layers of `kind`, alone or on top of the busybox rootfs. */
export async function oddEntriesImage(kind: HostileKind, opts: {onBusybox?: boolean} = {}): Promise<BuiltImage> {
  const hostile = await HOSTILE_LAYERS[kind].layers()
  return buildImage({layers: opts.onBusybox ? [await busyboxLayer(), ...hostile] : hostile})
}
