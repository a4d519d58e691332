// Layers no image uses, older than --max: what a cancelled pull left (Podman's --max). Pulls in
// progress pin the layers they reuse, so a layer younger than --max is never judged.
import * as fs from 'node:fs'

import type {Check} from './check'
import type {Finding} from './finding'

export const checkUnusedLayers: Check = async (ctx) => {
  const store = ctx.store
  if (!store) return []
  const cutoff = Date.now() - ctx.options.maxAge
  const old = (layers: ReturnType<typeof store.layers.unreferenced>) => layers.filter((l) => Date.parse(l.created) < cutoff)
  // the removal goes children first: a parent whose children all go, goes next
  const found = await store.withLayersLock('exclusive', () => {
    const all = store.layers.list()
    const going = new Map(old(store.layers.unreferenced()).map((l) => [l.id, l]))
    for (let grew = true; grew; ) {
      grew = false
      for (const l of old(all.filter((c) => !c.incomplete && !going.has(c.id) && store.layers.referenceCount(c.id) === 0))) {
        const children = all.filter((c) => c.parent === l.id)
        if (children.length > 0 && children.every((c) => going.has(c.id))) {
          going.set(l.id, l)
          grew = true
        }
      }
    }
    return [...going.values()]
  })
  const finding = (id: string): Finding => ({kind: 'layer', subject: `layer ${id.slice(0, 12)}`, message: `is used by no image and older than --max`})
  if (!ctx.options.repair || found.length === 0) return found.map((l) => finding(l.id))
  const removed = await store.withLayersLock('exclusive', async () => {
    const ids: string[] = []
    for (let batch = old(store.layers.unreferenced()); batch.length > 0; batch = old(store.layers.unreferenced())) {
      await store.removeTrees(batch.map((l) => store.layout.layerDir(l.id)).filter((d) => fs.existsSync(d)))
      store.layers.delete(batch.map((l) => l.id))
      ids.push(...batch.map((l) => l.id))
    }
    return ids
  })
  return removed.map((id) => ({...finding(id), repaired: true}))
}
