// Containers whose image is gone, or whose image's layers are: they cannot start again. Only
// with `force` does repair remove them (the runtime's removal, given by the caller).
import type {Store} from '../store'
import {imageLabel, listed, shortId} from './describe'
import {Finding} from './finding'
import {missingLayers} from './images'

export interface ContainerCheckOptions {
  repair?: boolean
  /** with repair: remove such containers */
  force?: boolean
  removeContainers?: (ids: string[]) => Promise<void>
}

export async function checkContainers(store: Store, opts: ContainerCheckOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const c of store.containers.list()) {
    const label = `container ${c.name} (${shortId(c.id)})`
    const image = store.images.get(c.imageId)
    let damage: string | undefined
    if (!image) damage = `its image ${shortId(c.imageId)} is gone`
    else {
      const missing = missingLayers(store, image)
      if (missing.length > 0) damage = `layers of its image ${imageLabel(image)} are missing: ${listed(missing.map(shortId))}`
    }
    if (damage === undefined) continue
    findings.push({kind: 'container', subject: c.id, message: `${label}: ${damage}`})
    if (!opts.repair) continue
    if (!opts.force || !opts.removeContainers) {
      findings.push({kind: 'container', subject: c.id, message: `${label}: not removed`, error: '--force removes containers whose image is damaged'})
      continue
    }
    try {
      await opts.removeContainers([c.id])
      findings.push({kind: 'container', subject: c.id, message: `${label}: removed: ${damage}`, repaired: true})
    } catch (err) {
      findings.push({kind: 'container', subject: c.id, message: `${label}: not removed`, error: (err as Error).message})
    }
  }
  return findings
}
