// `history`: the image's build steps, newest first, with the size of the layer each one made.
import type {Image} from './images'
import type {Store} from '../store'
import {imageConfig} from './report'

export interface HistoryRow {
  id: string
  created: string | null
  createdBy: string
  size: number
  comment: string
  tags: string[] | null
}

export function imageHistory(store: Store, image: Image): HistoryRow[] {
  const config = imageConfig(image)
  const layers = [...image.layers]
  const rows: HistoryRow[] = (config.history ?? []).map((h) => {
    const size = h.empty_layer ? 0 : store.layers.get(layers.shift() ?? '')?.diffSize ?? 0
    return {id: '<missing>', created: h.created ?? null, createdBy: h.created_by ?? '', size, comment: h.comment ?? '', tags: null}
  })
  if (rows.length === 0) rows.push({id: '<missing>', created: config.created ?? null, createdBy: '', size: image.size, comment: '', tags: null})
  rows.reverse()
  rows[0] = {...rows[0], id: image.id, tags: image.names.length > 0 ? image.names : null}
  return rows
}
