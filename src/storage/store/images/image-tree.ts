// Parents and children among the store's images, as libimage's layer tree decides them: a parent
// has all of its child's layers but at most the last one, and the child's history less its last
// entry. Build steps leave such chains of unnamed (intermediate) images, which `images` hides
// without -a, and which go with the last image that needs them (rmi, image prune).
import type {Image} from './images'
import {imageConfig} from './report'

interface HistoryEntry {
  created?: string
  created_by?: string
  author?: string
  comment?: string
  empty_layer?: boolean
}

function historyOf(image: Image): HistoryEntry[] {
  try {
    return (imageConfig(image) as {history?: HistoryEntry[]}).history ?? []
  } catch {
    return []
  }
}

function sameEntry(a: HistoryEntry, b: HistoryEntry): boolean {
  const time = (t?: string) => (t === undefined ? undefined : Date.parse(t))
  return time(a.created) === time(b.created) && a.created_by === b.created_by && a.author === b.author && a.comment === b.comment && (a.empty_layer ?? false) === (b.empty_layer ?? false)
}

function isParentOf(parent: Image, child: Image, history: (image: Image) => HistoryEntry[]): boolean {
  if (parent.id === child.id || parent.listInstances || child.listInstances) return false
  // an image without layers is only ever the parent of another without layers
  if (parent.layers.length === 0 && child.layers.length > 0) return false
  if (parent.layers.length > child.layers.length || child.layers.length - parent.layers.length > 1) return false
  if (!parent.layers.every((layer, i) => child.layers[i] === layer)) return false
  const [p, c] = [history(parent), history(child)]
  return p.length + 1 === c.length && p.every((entry, i) => sameEntry(entry, c[i]))
}

export class ImageTree {
  private readonly parents = new Map<string, Image | undefined>()
  private readonly histories = new Map<string, HistoryEntry[]>()

  constructor(readonly images: Image[]) {}

  parent(image: Image): Image | undefined {
    if (!this.parents.has(image.id)) this.parents.set(image.id, this.images.find((candidate) => isParentOf(candidate, image, (i) => this.history(i))))
    return this.parents.get(image.id)
  }

  children(image: Image): Image[] {
    return this.images.filter((candidate) => candidate.layers.length >= image.layers.length && this.parent(candidate)?.id === image.id)
  }

  private history(image: Image): HistoryEntry[] {
    let entries = this.histories.get(image.id)
    if (!entries) this.histories.set(image.id, (entries = historyOf(image)))
    return entries
  }

  /** Unnamed, and no image was made from it. */
  isDangling(image: Image): boolean {
    return image.names.length === 0 && this.children(image).length === 0
  }

  /** Unnamed, with images made from it: a build step's result. */
  isIntermediate(image: Image): boolean {
    return image.names.length === 0 && this.children(image).length > 0
  }
}
