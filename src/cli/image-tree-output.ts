// `image tree`'s text, as libimage's Image.Tree writes it: the image's ID, tags and size, then its
// layers (or, with --whatrequires, the layers built on its top layer) as a tree.
import type {ImageLayerTree, LayerBranch, TreeLayer} from '../engine'
import {printTextTree, textTree, TextTree} from './text-tree'
import {compactSize} from './units'

/** Go's fmt %s of a []string: "[a b]". */
function goList(items: string[]): string {
  return `[${items.join(' ')}]`
}

function layerLine(layer: TreeLayer): string {
  const tags = layer.topLayerOf.length > 0 ? ` Top Layer of: ${goList(layer.topLayerOf)}` : ''
  return `ID: ${layer.id.slice(0, 12)} Size: ${compactSize(layer.size).padStart(7)}${tags}`
}

/**
 * libimage's walk: a layer whose parent has one child continues its parent's list; one with
 * siblings opens a branch of its own that its descendants continue.
 */
function addBranch(branch: LayerBranch, parent: TextTree): void {
  let tree = parent
  if (branch.forks) {
    tree = textTree(layerLine(branch.layer))
    parent.items.push(tree)
  } else {
    parent.items.push(textTree(layerLine(branch.layer)))
  }
  for (const child of branch.children) addBranch(child, tree)
}

export function imageTreeText(tree: ImageLayerTree): string {
  const header = [`Image ID: ${tree.id.slice(0, 12)}`, `Tags:     ${goList(tree.tags)}`, `Size:     ${compactSize(tree.size)}`, tree.hasLayers ? 'Image Layers' : 'No Image Layers'].join('\n')
  const root = textTree(header)
  if (tree.descendants) addBranch(tree.descendants, root)
  else root.items.push(...tree.layers.map((layer) => textTree(layerLine(layer))))
  return printTextTree(root)
}
