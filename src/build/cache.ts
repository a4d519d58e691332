// The layer cache, as buildah's: a step's result is an image whose parent is the step's parent
// image and whose last history entry was made by the same instruction (its created_by holds the
// instruction, the build args it used and, for COPY/ADD, the digest of what it copied).
import type {Image} from '../storage/store/images/images'
import type {Store} from '../storage/store/store'
import type {RawImageConfig} from './image-writer'

function historyOf(image: Image): {created?: string; created_by?: string}[] {
  try {
    return (JSON.parse(image.config.toString()) as RawImageConfig).history ?? []
  } catch {
    return []
  }
}

function sameEntries(a: {created?: string; created_by?: string}[], b: {created?: string; created_by?: string}[]): boolean {
  return a.length === b.length && a.every((e, i) => e.created === b[i].created && e.created_by === b[i].created_by)
}

export interface CacheLimits {
  /** --cache-ttl: only images created at or after this time (ms since the epoch) */
  notBefore?: number
  /** --platform: only images of this platform */
  platform?: {os: string; architecture: string; variant?: string}
  /** --format: only images of this manifest type (an OCI build does not reuse a docker one's steps, as buildah) */
  manifestType?: string
}

function platformMatches(image: Image, platform: CacheLimits['platform']): boolean {
  if (!platform) return true
  try {
    const config = JSON.parse(image.config.toString()) as RawImageConfig
    return config.os === platform.os && config.architecture === platform.architecture && (config.variant ?? undefined) === platform.variant
  } catch {
    return false
  }
}

/** An image made from `parent` (undefined: scratch) by the step `createdBy`, newest first. */
export function findCachedStep(store: Store, parent: Image | undefined, createdBy: string, withLayer: boolean, limits: CacheLimits = {}): Image | undefined {
  const parentHistory = parent ? historyOf(parent) : []
  const parentLayers = parent?.layers ?? []
  const candidates = store.images
    .list()
    .filter((img) => img.layers.length === parentLayers.length + (withLayer ? 1 : 0) && parentLayers.every((l, i) => img.layers[i] === l))
    .sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''))
  for (const img of candidates) {
    if (parent && img.id === parent.id) continue
    if (limits.notBefore !== undefined && Date.parse(img.created ?? '') < limits.notBefore) continue
    if (!platformMatches(img, limits.platform)) continue
    if (limits.manifestType !== undefined && img.manifestType !== limits.manifestType) continue
    const history = historyOf(img)
    if (history.length !== parentHistory.length + 1) continue
    if (!sameEntries(history.slice(0, -1), parentHistory)) continue
    if (history.at(-1)?.created_by === createdBy) return img
  }
  return undefined
}
