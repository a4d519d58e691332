// The manifest verbs (Podman's `manifest` family): lists kept in the store as images, edited
// through the storage library's manifest-list module. Each verb opens the store once and loads
// the library only when it is called.
import * as fs from 'node:fs'

import type {TspodError} from '../errors'
import type {InstanceOverrides} from '../storage/image/manifest-list'
import type {CopyEvent} from '../storage/image/copy/copy'
import type {ImageContext} from '../storage/image/transports/types'
import type {RemoveReport} from '../storage/store/images/remove'
import type {Engine} from './engine'

export type {InstanceOverrides} from '../storage/image/manifest-list'

/** `manifest create`: a new list under the name, with the images given added; returns its id. */
export async function manifestCreate(
  engine: Engine,
  name: string,
  images: string[],
  options: {all?: boolean; amend?: boolean; context: ImageContext},
): Promise<string> {
  const store = await engine.store()
  const {createList, loadList, NotAManifestListError} = await import('../storage/image/manifest-list')
  const {findImage} = await import('../storage/store/images/lookup')
  let id: string
  const existing = options.amend ? findImage(store, name, engine.registries) : undefined
  if (existing) {
    if (!existing.listInstances) throw new NotAManifestListError(`${name}: image is not a manifest list`)
    id = loadList(store, existing.id, engine.registries).image.id
  } else {
    id = createList(store, name).id
  }
  for (const image of images) await manifestAdd(engine, id, image, {all: options.all, context: options.context, overrides: {}})
  return id
}

/** `manifest add`: the image (a registry's by default) added to the list; returns the list's id. */
export async function manifestAdd(
  engine: Engine,
  list: string,
  image: string,
  options: {all?: boolean; context: ImageContext; overrides: InstanceOverrides},
): Promise<string> {
  const store = await engine.store()
  const {addToList} = await import('../storage/image/manifest-list')
  const work = store.newWorkDir('tmp')
  try {
    return await addToList(store, list, image, {
      ctx: {...options.context, registries: engine.registries},
      tmpDir: work,
      all: options.all ?? false,
      overrides: options.overrides,
    })
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}

/** `manifest inspect`: the stored list, or the manifest a registry has under the name. */
export async function manifestInspect(engine: Engine, name: string, context: ImageContext): Promise<unknown> {
  const store = await engine.store()
  const {inspectList} = await import('../storage/image/manifest-list')
  const work = store.newWorkDir('tmp')
  try {
    return await inspectList(store, name, {...context, registries: engine.registries}, work)
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}

/** `manifest annotate`: returns the list's id. */
export async function manifestAnnotate(engine: Engine, list: string, digest: string, overrides: InstanceOverrides): Promise<string> {
  const store = await engine.store()
  const {annotateInstance} = await import('../storage/image/manifest-list')
  return annotateInstance(store, list, digest, overrides, engine.registries)
}

/** `manifest remove`: returns the list's id. */
export async function manifestRemove(engine: Engine, list: string, digest: string): Promise<string> {
  const store = await engine.store()
  const {removeFromList} = await import('../storage/image/manifest-list')
  return removeFromList(store, list, digest, engine.registries)
}

/** `manifest exists`: whether a stored list has the name; an image that is not a list is an error. */
export async function manifestExists(engine: Engine, name: string): Promise<boolean> {
  const store = await engine.store()
  const {loadList} = await import('../storage/image/manifest-list')
  const {ImageUnknownError} = await import('../storage/store/images/lookup')
  try {
    loadList(store, name, engine.registries)
    return true
  } catch (err) {
    if (err instanceof ImageUnknownError) return false
    throw err
  }
}

/** `manifest rm`: the lists removed as `rmi` removes images; a name that is not a list fails alone. */
export async function manifestRm(engine: Engine, names: string[]): Promise<RemoveReport> {
  const store = await engine.store()
  const {loadList} = await import('../storage/image/manifest-list')
  const lists: string[] = []
  const errors: TspodError[] = []
  for (const name of names) {
    try {
      loadList(store, name, engine.registries)
      lists.push(name)
    } catch (err) {
      errors.push(err as TspodError)
    }
  }
  const report = lists.length > 0 ? await engine.removeImages({names: lists}) : {untagged: [], deleted: [], errors: []}
  return {...report, errors: [...errors, ...report.errors]}
}

/** `manifest push`: the list (with `all`, its instances first) to a registry; with `rm` the list is removed after. Returns the list's digest. */
export async function manifestPush(
  engine: Engine,
  list: string,
  destination: string,
  options: {all: boolean; rm?: boolean; format?: string; compressionFormat?: string; digestFile?: string; context: ImageContext},
  events: {report?: (line: string) => void; onEvent?: (event: CopyEvent) => void} = {},
): Promise<string> {
  const store = await engine.store()
  const {pushList} = await import('../storage/image/manifest-push')
  const work = store.newWorkDir('tmp')
  let digest: string
  try {
    digest = await pushList(store, list, destination, {
      ctx: {...options.context, registries: engine.registries, tmpDir: work},
      all: options.all,
      format: options.format,
      compressionFormat: options.compressionFormat,
      digestFile: options.digestFile,
      tmpDir: work,
      ...events,
    })
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
  if (options.rm) {
    const report = await manifestRm(engine, [list])
    if (report.errors.length > 0) throw report.errors[0]
  }
  return digest
}
