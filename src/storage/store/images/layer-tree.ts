// `image tree`: the store's layers as the tree their parents make (libimage's layerTree), with
// the tags of the images each layer is the top layer of: an image's own layers, bottom first, or
// (--whatrequires) every layer built on its top layer.
import type {Image} from './images'
import {repoTags} from './report'
import type {Store} from '../store'

export interface TreeLayer {
  id: string
  /** bytes of the layer's diff */
  size: number
  /** the tags of the images whose top layer this is, each once, images oldest first */
  topLayerOf: string[]
}

export interface LayerBranch {
  layer: TreeLayer
  /** the layer's parent has other children too: libimage prints it as a branch of its own */
  forks: boolean
  /** in the order the layers were made */
  children: LayerBranch[]
}

export interface ImageLayerTree {
  id: string
  tags: string[]
  size: number
  /** the image has a top layer (Podman: "Image Layers", else "No Image Layers") */
  hasLayers: boolean
  /** the image's layers, bottom first */
  layers: TreeLayer[]
  /** with whatRequires: the image's top layer and every layer above it; undefined without layers */
  descendants?: LayerBranch
}

interface Node {
  layer: TreeLayer
  parent?: Node
  children: Node[]
}

function layerNodes(store: Store): Map<string, Node> {
  const nodes = new Map<string, Node>()
  for (const layer of store.layers.list()) {
    if (layer.incomplete) continue
    nodes.set(layer.id, {layer: {id: layer.id, size: layer.diffSize, topLayerOf: []}, children: []})
  }
  for (const layer of store.layers.list()) {
    const node = nodes.get(layer.id)
    const parent = layer.parent === null ? undefined : nodes.get(layer.parent)
    if (!node || !parent) continue
    node.parent = parent
    parent.children.push(node)
  }
  // oldest image first, as containers-storage lists them
  for (const image of store.images.list().reverse()) {
    const node = image.topLayer === null ? undefined : nodes.get(image.topLayer)
    if (!node) continue
    for (const tag of repoTags(image)) if (!node.layer.topLayerOf.includes(tag)) node.layer.topLayerOf.push(tag)
  }
  return nodes
}

function branch(node: Node): LayerBranch {
  return {layer: node.layer, forks: (node.parent?.children.length ?? 0) > 1, children: node.children.map(branch)}
}

export function imageLayerTree(store: Store, image: Image, options: {whatRequires?: boolean} = {}): ImageLayerTree {
  const nodes = layerNodes(store)
  const top = image.topLayer === null ? undefined : nodes.get(image.topLayer)
  const layers: TreeLayer[] = []
  for (let node = top; node; node = node.parent) layers.unshift(node.layer)
  const tree: ImageLayerTree = {id: image.id, tags: repoTags(image), size: image.size, hasLayers: image.topLayer !== null, layers}
  if (options.whatRequires && top) tree.descendants = branch(top)
  return tree
}
