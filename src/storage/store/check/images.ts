// Images whose layers are gone (a layer's row or dir), and the removal of images that cannot be
// rebuilt: the repair of `system check` for damage no kept blob can undo.
import * as fs from 'node:fs'

import {removeUnusedMappedLayers} from '../mapped-layers/mapped-layers'
import type {Image} from '../images/images'
import type {Store} from '../store'
import {imageLabel, listed, shortId} from './describe'
import {Finding} from './finding'

export interface ImageCheckOptions {
  /** remove the damaged images (those no container uses, or every one with `force`) */
  repair?: boolean
  /** with repair: also remove the containers that use a damaged image */
  force?: boolean
  /** removes containers (the runtime's removal, which the storage layer cannot reach); needed with force */
  removeContainers?: (ids: string[]) => Promise<void>
}

/** The layers of `image` that have no complete row or no dir under overlay/. */
export function missingLayers(store: Store, image: Image): string[] {
  return image.layers.filter((id) => !store.layers.has(id) || !fs.existsSync(store.layout.diffDir(id)))
}

export async function checkImages(store: Store, opts: ImageCheckOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = []
  const damaged = new Map<string, string>()
  for (const image of store.images.list()) {
    const missing = missingLayers(store, image)
    if (missing.length === 0) continue
    const what = `${missing.length === 1 ? 'layer' : 'layers'} ${listed(missing.map(shortId))} missing`
    findings.push({kind: 'image', subject: image.id, message: `image ${imageLabel(image)}: ${what}`})
    damaged.set(image.id, `${what}, and ${missing.length === 1 ? 'its blob is' : 'their blobs are'} gone with ${missing.length === 1 ? 'it' : 'them'}`)
  }
  if (opts.repair && damaged.size > 0) findings.push(...(await removeDamagedImages(store, damaged, opts)))
  return findings
}

/**
 * Remove images that cannot be rebuilt (`reasons`: image id → why), then the layers no image
 * uses any more. An image that containers use stays unless `force`, which removes them first.
 * One finding per image (and per container) removed or kept.
 */
export async function removeDamagedImages(store: Store, reasons: Map<string, string>, opts: ImageCheckOptions): Promise<Finding[]> {
  const findings: Finding[] = []
  let removedAny = false
  for (const [id, reason] of reasons) {
    const image = store.images.get(id)
    if (!image) continue
    const label = imageLabel(image)
    const users = store.containers.list().filter((c) => c.imageId === id)
    if (users.length > 0) {
      const names = listed(users.map((c) => `${c.name} (${shortId(c.id)})`))
      if (!opts.force || !opts.removeContainers) {
        findings.push({
          kind: 'image',
          subject: id,
          message: `image ${label}: not removed (${reason}): used by ${users.length === 1 ? 'container' : 'containers'} ${names}`,
          error: `${users.length === 1 ? 'a container uses' : 'containers use'} it; --force removes ${users.length === 1 ? 'it' : 'them'} with the image`,
        })
        continue
      }
      try {
        await opts.removeContainers(users.map((c) => c.id))
        for (const c of users)
          findings.push({kind: 'container', subject: c.id, message: `container ${c.name} (${shortId(c.id)}): removed: its image ${label} is damaged (${reason})`, repaired: true})
      } catch (err) {
        findings.push({kind: 'image', subject: id, message: `image ${label}: not removed (${reason}): removing its containers ${names} failed`, error: (err as Error).message})
        continue
      }
    }
    const user = store.images.deleteUnlessUsed(id)
    if (user) {
      findings.push({kind: 'image', subject: id, message: `image ${label}: not removed (${reason}): container ${shortId(user)} uses it`, error: 'a container was created on it meanwhile'})
      continue
    }
    removedAny = true
    findings.push({kind: 'image', subject: id, message: `image ${label}: removed: ${reason}; pull it again`, repaired: true})
  }
  if (removedAny)
    await store.withLayersLock('exclusive', async () => {
      await store.removeUnreferencedLayers()
      await removeUnusedMappedLayers(store)
    })
  return findings
}
