// Images in Podman's JSON shapes: `podman images --format json` entries and `podman image
// inspect` records. Field names and nesting are Podman's, so scripts and Go templates written
// for Podman work unchanged.
import {ImageConfig, parseImageConfig} from '../../image/manifest/image-config'
import type {Image} from './images'
import type {StoreLayout} from '../layout'

/** The stored config, parsed (it was validated when the image was stored). */
export function imageConfig(image: Image): ImageConfig {
  // a manifest list has no config of its own: no platform, layers, labels or history
  if (image.listInstances) return {architecture: '', os: '', rootfs: {type: 'layers', diff_ids: []}, config: {}, history: [], created: image.created ?? undefined}
  return parseImageConfig(image.config)
}

/** Names with a tag ("repo:tag"), as RepoTags. */
export function repoTags(image: Image): string[] {
  return image.names.filter((n) => !n.includes('@'))
}

/** "repo@digest" for every repository the image is named in and every digest it is known by. */
export function repoDigests(image: Image): string[] {
  const repos = [...new Set(image.names.map((n) => n.replace(/@.*$/, '').replace(/:[^:/]*$/, '')))]
  const digests = [...new Set([image.digest, ...image.digests])]
  return repos.flatMap((repo) => digests.map((d) => `${repo}@${d}`))
}

function createdOf(image: Image, config: ImageConfig): string {
  return config.created ?? image.created ?? image.added
}

export interface ImageSummary {
  Id: string
  ParentId: string
  RepoTags: string[]
  RepoDigests: string[]
  Size: number
  SharedSize: number
  VirtualSize: number
  Labels: Record<string, string> | null
  Containers: number
  Names: string[]
  Digest: string
  /** omitted when empty, as Podman does */
  History?: string[]
  Created: number
  CreatedAt: string
}

export function imageSummary(image: Image, containers = 0): ImageSummary {
  const config = imageConfig(image)
  const created = createdOf(image, config)
  return {
    Id: image.id,
    ParentId: '',
    RepoTags: repoTags(image),
    RepoDigests: repoDigests(image),
    Size: image.size,
    SharedSize: 0,
    VirtualSize: image.size,
    Labels: config.config?.Labels ?? null,
    Containers: containers,
    Names: image.names,
    Digest: image.digest,
    ...(image.namesHistory.length > 0 ? {History: image.namesHistory} : {}),
    Created: Math.floor(new Date(created).getTime() / 1000),
    CreatedAt: created,
  }
}

export function inspectImage(image: Image, layout: StoreLayout) {
  const config = imageConfig(image)
  return {
    Id: image.id,
    Digest: image.digest,
    RepoTags: repoTags(image),
    RepoDigests: repoDigests(image),
    Parent: '',
    Comment: '',
    Created: createdOf(image, config),
    Config: config.config,
    Version: '',
    Author: config.author ?? '',
    Architecture: config.architecture ?? '',
    Os: config.os ?? '',
    ...(config.variant ? {Variant: config.variant} : {}),
    Size: image.size,
    VirtualSize: image.size,
    GraphDriver: {
      Name: layout.driver.name,
      Data: image.topLayer ? layout.driver.inspectData(image.layers) : {},
    },
    RootFS: {Type: config.rootfs.type, Layers: config.rootfs.diff_ids},
    Labels: config.config.Labels ?? null,
    Annotations: {},
    ManifestType: image.manifestType,
    User: config.config.User ?? '',
    History: config.history,
    NamesHistory: image.namesHistory,
    ...healthcheckOf(image),
  }
}

/** HEALTHCHECK, which the OCI config does not define: read from the stored config as Podman shows it. */
function healthcheckOf(image: Image): {Healthcheck?: unknown} {
  try {
    const healthcheck = (JSON.parse(image.config.toString()) as {config?: {Healthcheck?: unknown}}).config?.Healthcheck
    return healthcheck ? {Healthcheck: healthcheck} : {}
  } catch {
    return {}
  }
}
