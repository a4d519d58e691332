// The pre-manifest.json part of the `docker save` format, which containers/image still writes for
// old loaders: a directory per layer (`<id>/layer.tar` linking to the layer, `<id>/VERSION`,
// `<id>/json` with the parent chain) and `repositories` mapping each name and tag to the top layer.
import {createHash} from 'node:crypto'

import {isObject} from '../../manifest/json-fields'
import type {DockerReference} from '../../reference/docker-reference'

export interface LegacyLayer {
  id: string
  /** `<id>/json` */
  json: Buffer
}

/** Go's json.Marshal of a map: keys sorted at the top level. */
function marshalSorted(value: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = value[key]
  return JSON.stringify(sorted)
}

const TOP_LAYER_FIELDS = ['architecture', 'config', 'container', 'container_config', 'created', 'docker_version', 'os']

/**
 * The legacy layer entries for an image whose layers have these (uncompressed) digests, bottom
 * first. Each ID is the digest of the layer's json with the chain ID of the layers up to it, so
 * equal stacks get equal IDs; the top one carries a part of the image config, as Docker's did.
 */
export function legacyLayers(diffIds: string[], config: Buffer): LegacyLayer[] {
  let parsedConfig: Record<string, unknown> = {}
  try {
    const value = JSON.parse(config.toString('utf8')) as unknown
    if (isObject(value)) parsedConfig = value
  } catch {
    // the caller has checked the config; an unreadable one only leaves the top layer's fields null
  }
  const layers: LegacyLayer[] = []
  let chainId = ''
  let parent = ''
  for (const [i, diffId] of diffIds.entries()) {
    const layerConfig: Record<string, unknown> = {}
    if (parent !== '') layerConfig.parent = parent
    if (i === diffIds.length - 1) {
      for (const field of TOP_LAYER_FIELDS) layerConfig[field] = parsedConfig[field] ?? null
    }
    chainId = chainId === '' ? diffId : `sha256:${createHash('sha256').update(`${chainId} ${diffId}`).digest('hex')}`
    const id = createHash('sha256')
      .update(marshalSorted({...layerConfig, layer_id: chainId}))
      .digest('hex')
    layers.push({id, json: Buffer.from(marshalSorted({...layerConfig, id}))})
    parent = id
  }
  return layers
}

/** The `repositories` file: {"docker.io/library/busybox": {"latest": "<top layer id>"}}. */
export function repositoriesFile(tags: DockerReference[], topLayerId: string | undefined): Buffer {
  const repositories: Record<string, Record<string, string>> = {}
  if (topLayerId !== undefined) {
    for (const tag of tags) {
      const repository = tag.repository()
      repositories[repository] = {...repositories[repository], [tag.tag ?? 'latest']: topLayerId}
    }
  }
  return Buffer.from(JSON.stringify(repositories))
}
