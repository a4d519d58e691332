// Manifest lists kept in the store (libimage's ManifestList over buildah's manifests package): an
// image without layers whose manifest is the list, with the instances data that says where each
// instance came from. `manifest create/add/annotate/remove/inspect` work on these.
import type {Readable} from 'node:stream'

import {TspodError} from '../../errors'
import type {RegistriesConfig} from './config/registries-conf'
import {sha256Digest} from '../digest'
import {parseImageConfig} from './manifest/image-config'
import {
  InstancePlatform,
  ManifestList,
  ManifestListInstance,
  isManifestList,
  parseImageManifest,
  parseManifest,
} from './manifest/manifest'
import {MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX} from './manifest/media-types'
import {serializeDockerManifestList} from './manifest/docker-schema2'
import {serializeOciIndex} from './manifest/oci'
import {chooseInstance} from './manifest/platform'
import {formatImageName, parseTransportOrRegistry} from './transports/registry'
import type {ImageContext, ImageReference, ImageSource} from './transports/types'
import type {Image} from '../store/images/images'
import {ImageUnknownError, lookupImage} from '../store/images/lookup'
import {normalizeTagName} from '../store/images/names'
import type {Store} from '../store/store'

export class NotAManifestListError extends TspodError {}

export interface StoredList {
  image: Image
  list: ManifestList
  instances: Record<string, string>
}

/** The platform fields and annotations `manifest add` and `manifest annotate` set on an instance. */
export interface InstanceOverrides {
  arch?: string
  os?: string
  variant?: string
  osVersion?: string
  osFeatures?: string[]
  features?: string[]
  /** KEY=VALUE */
  annotations?: string[]
}

/**
 * The list's bytes as buildah saves them: a Docker manifest list, unless the list or an instance
 * carries annotations, which only an OCI index can hold.
 */
export function serializeList(list: ManifestList): {manifest: Buffer; mediaType: string} {
  const annotated = Object.keys(list.annotations ?? {}).length > 0 || list.instances.some((i) => Object.keys(i.annotations ?? {}).length > 0)
  if (annotated) return {manifest: serializeOciIndex({...list, mediaType: MEDIA_TYPE_OCI_INDEX}), mediaType: MEDIA_TYPE_OCI_INDEX}
  return {manifest: serializeDockerManifestList({...list, mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST}), mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST}
}

/** The stored list a name or id refers to; an image that is not a list is an error. */
export function loadList(store: Store, name: string, registries: RegistriesConfig): StoredList {
  const image = lookupImage(store, name, registries)
  if (!image.listInstances) throw new NotAManifestListError(`${name}: image is not a manifest list`)
  const parsed = parseManifest(image.manifest, image.manifestType)
  if (!isManifestList(parsed)) throw new NotAManifestListError(`${name}: image is not a manifest list`)
  return {image, list: parsed, instances: {...image.listInstances}}
}

export function saveList(store: Store, stored: StoredList): void {
  store.images.updateList(stored.image.id, {...serializeList(stored.list), instances: stored.instances})
}

/** `manifest create`: an empty list under the name, which no image may hold yet. */
export function createList(store: Store, name: string): Image {
  const empty: ManifestList = {mediaType: MEDIA_TYPE_DOCKER_MANIFEST_LIST, instances: []}
  try {
    return store.images.createList([normalizeTagName(name)], {...serializeList(empty), instances: {}})
  } catch (err) {
    throw new TspodError(`creating image to hold manifest list: ${(err as Error).message}`, {cause: err})
  }
}

/** A reference as `manifest add` reads it: a transport prefix, else a registry (docker://). */
export function parseAddReference(text: string, tmpDir: string): ImageReference {
  return parseTransportOrRegistry(text, {tmpDir})
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** One image manifest of the source as a list entry, its platform read from its config. */
async function describeImage(source: ImageSource, digest?: string): Promise<ManifestListInstance> {
  const blob = await source.getManifest(digest)
  const manifest = parseImageManifest(blob.bytes, blob.mediaType)
  const {stream} = await source.getBlob(manifest.config)
  const config = await readAll(stream)
  if (sha256Digest(config) !== manifest.config.digest) throw new TspodError(`the config of ${formatImageName(source.reference)} does not match its digest ${manifest.config.digest}`)
  const parsed = parseImageConfig(config)
  const platform: InstancePlatform = {architecture: parsed.architecture, os: parsed.os}
  if (parsed.variant) platform.variant = parsed.variant
  if (parsed['os.version']) platform.osVersion = parsed['os.version']
  return {digest: sha256Digest(blob.bytes), size: blob.bytes.length, mediaType: blob.mediaType, platform}
}

/**
 * The entries an image adds to a list: the image itself, or for a list the instance that fits the
 * platform (the overridden one), or with `all` every instance as that list describes it.
 */
export async function instancesOf(reference: ImageReference, ctx: ImageContext, all: boolean): Promise<ManifestListInstance[]> {
  const source = await reference.newSource(ctx)
  try {
    const top = await source.getManifest()
    const parsed = parseManifest(top.bytes, top.mediaType)
    if (!isManifestList(parsed)) return [await describeImage(source)]
    if (all) return parsed.instances.map((i) => ({...i}))
    // the host's instance: --arch and the like change the entry, not which one is read (Podman 4.3)
    const wanted = chooseInstance(parsed, ctx.platform)
    return [await describeImage(source, wanted.digest)]
  } finally {
    await source.close()
  }
}

function parseAnnotations(values: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values) {
    const i = value.indexOf('=')
    if (i <= 0) throw new TspodError(`no value given for annotation ${JSON.stringify(value)}`)
    out[value.slice(0, i)] = value.slice(i + 1)
  }
  return out
}

/** Set what the user gave on an instance (buildah's SetArchitecture, SetOS, … SetAnnotations). */
export function applyOverrides(instance: ManifestListInstance, overrides: InstanceOverrides): void {
  const platform: InstancePlatform = instance.platform ?? {architecture: '', os: ''}
  if (overrides.arch) platform.architecture = overrides.arch
  if (overrides.os) platform.os = overrides.os
  if (overrides.variant) platform.variant = overrides.variant
  if (overrides.osVersion) platform.osVersion = overrides.osVersion
  if (overrides.osFeatures && overrides.osFeatures.length > 0) platform.osFeatures = overrides.osFeatures
  if (overrides.features && overrides.features.length > 0) platform.features = overrides.features
  instance.platform = platform
  if (overrides.annotations && overrides.annotations.length > 0) instance.annotations = {...instance.annotations, ...parseAnnotations(overrides.annotations)}
}

/** `manifest add`: the image's entries put in the list (an entry with the same digest is replaced); returns the list's id. */
export async function addToList(
  store: Store,
  listName: string,
  imageText: string,
  opts: {ctx: ImageContext & {registries: RegistriesConfig}; tmpDir: string; all: boolean; overrides: InstanceOverrides},
): Promise<string> {
  const stored = loadList(store, listName, opts.ctx.registries)
  const reference = parseAddReference(imageText, opts.tmpDir)
  const added = await instancesOf(reference, {...opts.ctx, store}, opts.all)
  // read again: the list may have changed while the image was read
  const fresh = loadList(store, stored.image.id, opts.ctx.registries)
  for (const instance of added) {
    applyOverrides(instance, opts.overrides)
    const at = fresh.list.instances.findIndex((i) => i.digest === instance.digest)
    if (at >= 0) fresh.list.instances[at] = instance
    else fresh.list.instances.push(instance)
    fresh.instances[instance.digest] = formatImageName(reference)
  }
  saveList(store, fresh)
  return fresh.image.id
}

function findInstance(stored: StoredList, listName: string, digest: string, action: string): number {
  const at = stored.list.instances.findIndex((i) => i.digest === digest)
  if (at < 0) throw new TspodError(`${action} ${listName}: no instance matching digest ${JSON.stringify(digest)} found in manifest list`)
  return at
}

/** `manifest annotate`: platform fields and annotations set on one instance; returns the list's id. */
export function annotateInstance(store: Store, listName: string, digest: string, overrides: InstanceOverrides, registries: RegistriesConfig): string {
  const stored = loadList(store, listName, registries)
  applyOverrides(stored.list.instances[findInstance(stored, listName, digest, 'annotating')], overrides)
  saveList(store, stored)
  return stored.image.id
}

/** `manifest remove`: one instance taken out of the list; returns the list's id. */
export function removeFromList(store: Store, listName: string, digest: string, registries: RegistriesConfig): string {
  const stored = loadList(store, listName, registries)
  stored.list.instances.splice(findInstance(stored, listName, digest, 'removing from manifest list'), 1)
  delete stored.instances[digest]
  saveList(store, stored)
  return stored.image.id
}

/**
 * `manifest inspect`: a stored list, or else the manifest a registry has under the name. The
 * result is the document itself, for the caller to print.
 */
export async function inspectList(store: Store, name: string, ctx: ImageContext & {registries: RegistriesConfig}, tmpDir: string): Promise<unknown> {
  try {
    const stored = loadList(store, name, ctx.registries)
    return JSON.parse(stored.image.manifest.toString('utf8')) as unknown
  } catch (err) {
    if (!(err instanceof ImageUnknownError) && !(err instanceof NotAManifestListError)) throw err
  }
  const reference = parseAddReference(name, tmpDir)
  let source: ImageSource
  try {
    source = await reference.newSource({...ctx, store})
  } catch (err) {
    throw new TspodError(`reading image ${JSON.stringify(formatImageName(reference))}: ${(err as Error).message}`, {cause: err})
  }
  try {
    const top = await source.getManifest()
    return JSON.parse(top.bytes.toString('utf8')) as unknown
  } catch (err) {
    throw new TspodError(`reading image ${JSON.stringify(formatImageName(reference))}: ${(err as Error).message}`, {cause: err})
  } finally {
    await source.close()
  }
}

/**
 * What a list stands for where one image is wanted (`image inspect`): its instance for this
 * platform, when that image is in the store.
 */
export function platformImage(store: Store, image: Image): Image {
  if (!image.listInstances) return image
  const parsed = parseManifest(image.manifest, image.manifestType)
  try {
    if (!isManifestList(parsed)) throw new TspodError('not a manifest list')
    const instance = chooseInstance(parsed)
    const found = store.images.byDigest(instance.digest)[0]
    if (!found) throw new TspodError(`no image with digest ${instance.digest} in local storage`)
    return found
  } catch (err) {
    throw new ImageUnknownError(`${(err as Error).message}: image not known`, {cause: err})
  }
}
