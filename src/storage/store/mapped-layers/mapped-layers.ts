// Image layers for a container whose user namespace maps ids differently from the store's default
// rootless mapping (--userns=keep-id). Layers are unpacked once, owned by the host ids that the
// default mapping gives the image's ids; under another mapping the same files would show other
// owners (root's files as the user's). As containers-storage does for a layer with different ID
// mappings, such a container gets copies of its image's layers chowned for its mapping, so that
// it sees every file with the owner the default mapping shows (see id-shift.ts):
//
//   mapped-layers/<top-layer-id>-<mapping-hash>/<n>   layer n (0 = bottom) of that layer chain
//
// A copy is named by the image's top layer (which names the whole chain below it) and a hash of
// both mappings, so every container with the same layers and mapping shares it, and no DB row
// records it. It is built under staging/ and renamed into place (mapped-layers-build.ts): a copy
// that exists is complete. Copies whose top layer is gone are removed after rmi and prune.
// Nothing counts them: `system df` sizes images by their layers, doctor lists only overlay/.
//
// Only a store with subordinate ranges gets copies: with a single-id namespace no other owner can
// be given, so such a container keeps the original layers (root's files show as the user's).
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {IdMapping, sameIdMapping} from '../../../userns/idmap'
import {IdShift, planIdShift} from './id-shift'
import type {Image} from '../images/images'
import type {Store} from '../store'

export interface MappedLayersPlan {
  /** the copy's dir under mapped-layers/ */
  dir: string
  uids: IdShift
  gids: IdShift
}

/** A container's id maps, host ids (an OCI spec's \`linux\` section has this shape). */
export interface ContainerIdMaps {
  uidMappings?: IdMapping[]
  gidMappings?: IdMapping[]
}

export function mappedLayersRoot(store: Store): string {
  return path.join(store.config.graphRoot, 'mapped-layers')
}

function sorted(map: IdMapping[]): number[][] {
  return [...map].sort((a, b) => a.containerID - b.containerID).map((m) => [m.containerID, m.hostID, m.size])
}

/**
 * The copy the container needs, or undefined when it runs on the original layers: the default
 * mapping, no user namespace (real root), a single-id store namespace, or an image without layers.
 */
export function mappedLayersPlan(store: Store, image: Image, maps: ContainerIdMaps | undefined): MappedLayersPlan | undefined {
  const mapping = store.mapping
  const uidMappings = maps?.uidMappings
  const gidMappings = maps?.gidMappings
  const top = image.layers.at(-1)
  if (!mapping || mapping.mode !== 'subid' || !uidMappings?.length || !gidMappings?.length || top === undefined) return undefined
  if (sameIdMapping(uidMappings, mapping.uidMap) && sameIdMapping(gidMappings, mapping.gidMap)) return undefined
  const key = JSON.stringify({store: [sorted(mapping.uidMap), sorted(mapping.gidMap)], container: [sorted(uidMappings), sorted(gidMappings)]})
  const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)
  return {
    dir: path.join(mappedLayersRoot(store), `${top}-${hash}`),
    uids: planIdShift(uidMappings, mapping.uidMap),
    gids: planIdShift(gidMappings, mapping.gidMap),
  }
}

/** The dir of layer `index` (0 = bottom) in a copy. */
export function mappedLayerDir(copyDir: string, index: number): string {
  return path.join(copyDir, String(index))
}

/**
 * The container's overlay lower dirs, top layer first: the copy for its mapping (see
 * ensureMappedLayers, which makes it) or the image's own layer dirs.
 */
export function containerLowerDirs(store: Store, image: Image, maps: ContainerIdMaps | undefined): string[] {
  const plan = mappedLayersPlan(store, image, maps)
  const dirs = image.layers.map((layer, i) => (plan ? mappedLayerDir(plan.dir, i) : store.layout.diffDir(layer)))
  return dirs.reverse()
}

/** The top layer id a copy's dir name starts with; undefined for a name that is not a copy's. */
function topLayerOf(name: string): string | undefined {
  const match = /^(.+)-[0-9a-f]{16}$/.exec(name)
  return match?.[1]
}

/** Remove the copies whose top layer is no longer in the store (after its last image went). */
export async function removeUnusedMappedLayers(store: Store): Promise<string[]> {
  const root = mappedLayersRoot(store)
  let names: string[]
  try {
    names = fs.readdirSync(root)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const unused = names.filter((name) => {
    const top = topLayerOf(name)
    return top !== undefined && store.layers.get(top) === undefined
  })
  await store.removeTrees(unused.map((name) => path.join(root, name)))
  return unused
}
