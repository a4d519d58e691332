// `rmi` and `image prune` as a library: Podman's rules for untagging versus deleting, then
// removal of the layers no image uses any more, and of the layer copies made for containers'
// id mappings from them (mapped-layers.ts).
import {TspodError} from '../../../errors'
import {removeUnusedMappedLayers} from '../mapped-layers/mapped-layers'
import type {RegistriesConfig} from '../../image/config/registries-conf'
import {ImageInUseError} from './errors'
import {ImageTree} from './image-tree'
import type {Image} from './images'
import type {Store} from '../store'
import {ImageUnknownError, LocalMatch, resolveLocalImage} from './lookup'

export interface RemoveReport {
  untagged: string[]
  deleted: string[]
  /** one error per image that could not be removed */
  errors: TspodError[]
}

export {ImageInUseError}

function inUseError(containerId: string): ImageInUseError {
  // Podman's words (its rmi -f removes the containers first: the command does that)
  return new ImageInUseError(`image used by ${containerId}: image is in use by a container: consider listing external containers and force-removing image`)
}

/** Told each name taken from an image (untag) and each image removed (remove, with the name it was asked by), in Podman's order. */
export type ImageRemovalEvent = (status: 'untag' | 'remove', id: string, name: string) => void

function deleteImage(store: Store, image: Image, report: RemoveReport, asked: string, onEvent?: ImageRemovalEvent): boolean {
  const user = store.images.deleteUnlessUsed(image.id)
  if (user) {
    report.errors.push(inUseError(user))
    return false
  }
  report.untagged.push(...image.names)
  report.deleted.push(image.id)
  for (const name of image.names) onEvent?.('untag', image.id, name)
  onEvent?.('remove', image.id, asked)
  return true
}

/**
 * After an image went, its parent too if that is now dangling (unnamed, no other image made from
 * it, no container on it), and so on up: a build's intermediate images go with the last image
 * that needs them, as libimage removes them.
 */
function deleteDanglingParents(store: Store, parent: Image | undefined, inUse: Map<string, string[]>, report: RemoveReport, onEvent?: ImageRemovalEvent): void {
  while (parent) {
    const tree = new ImageTree(store.images.list())
    const current = store.images.get(parent.id)
    if (!current || !tree.isDangling(current) || inUse.has(current.id)) return
    parent = tree.parent(current)
    if (!deleteImage(store, current, report, '', onEvent)) return
  }
}

/** Under the layers lock, exclusively: no pull can decide to reuse one of them meanwhile. Returns the bytes the removed layers took. */
async function removeUnusedLayers(store: Store): Promise<number> {
  return store.withLayersLock('exclusive', async () => {
    const sizes = new Map(store.layers.list().map((l) => [l.id, l.diffSize]))
    const removed = await store.removeUnreferencedLayers()
    await removeUnusedMappedLayers(store)
    return removed.reduce((sum, id) => sum + (sizes.get(id) ?? 0), 0)
  })
}

export async function removeImages(store: Store, texts: string[], opts: {force: boolean; all: boolean; registries: RegistriesConfig; onEvent?: ImageRemovalEvent; noPrune?: boolean}): Promise<RemoveReport> {
  const report: RemoveReport = {untagged: [], deleted: [], errors: []}
  const inUse = store.imagesInUse()
  // -a: in the order the images came into the store, as containers-storage lists them to Podman
  const targets = opts.all ? store.images.list().reverse().map((image) => ({text: image.id, match: {image} as LocalMatch})) : texts.map((text) => ({text, match: undefined}))
  for (const target of targets) {
    let match: LocalMatch | undefined
    try {
      match = target.match ?? resolveLocalImage(store, target.text, opts.registries)
    } catch (err) {
      report.errors.push(err as TspodError)
      continue
    }
    if (!match) {
      report.errors.push(new ImageUnknownError(`${target.text}: image not known`))
      continue
    }
    const image = store.images.get(match.image.id)
    if (!image) continue // removed earlier in this run
    if (match.name && image.names.length > 1) {
      // A name of an image that has others: only that name goes.
      store.images.removeName(image.id, match.name)
      report.untagged.push(match.name)
      opts.onEvent?.('untag', image.id, match.name)
      continue
    }
    if (!match.name && image.names.length > 1 && !opts.force && !opts.all) {
      report.errors.push(new TspodError(`unable to delete image "${image.id}" by ID with more than one tag ([${image.names.join(' ')}]): please force removal`))
      continue
    }
    const users = inUse.get(image.id)
    if (users) {
      report.errors.push(inUseError(users[0]))
      continue
    }
    const parent = opts.noPrune ? undefined : new ImageTree(store.images.list()).parent(image)
    if (deleteImage(store, image, report, target.text, opts.onEvent)) deleteDanglingParents(store, parent, inUse, report, opts.onEvent)
  }
  if (report.deleted.length > 0) await removeUnusedLayers(store)
  return report
}

export interface PrunedImages {
  ids: string[]
  /** what the layers removed with them took */
  reclaimedBytes: number
}

/**
 * Dangling images (unnamed, no image made from them), or with `all` every image no container
 * uses; `wanted` narrows the choice (prune filters). Removing a dangling image can leave its
 * parent dangling: rounds go on until one removes nothing, as Podman prunes.
 */
export async function pruneImages(store: Store, opts: {all: boolean; wanted?: (image: Image) => boolean}): Promise<PrunedImages> {
  const ids: string[] = []
  const inUse = store.imagesInUse()
  for (let removed = true; removed; ) {
    removed = false
    const tree = new ImageTree(store.images.list())
    for (const image of tree.images) {
      if ((!opts.all && !tree.isDangling(image)) || inUse.has(image.id) || (opts.wanted && !opts.wanted(image))) continue
      // a container made on it since the list above keeps it
      if (store.images.deleteUnlessUsed(image.id) !== undefined) continue
      ids.push(image.id)
      removed = true
    }
  }
  const reclaimedBytes = await removeUnusedLayers(store)
  return {ids, reclaimedBytes}
}
