// Find a local image from what a user typed, in c/common's LookupImage order: an ID, the name's
// local candidates (alias, localhost/NAME, each search registry), Docker normalization, then a
// unique short-ID prefix.
import {TspodError} from '../../../errors'
import type {RegistriesConfig} from '../../image/config/registries-conf'
import {DockerReference, isImageId, parseNormalizedName} from '../../image/reference/docker-reference'
import {localCandidates} from '../../image/reference/short-names'
import {ImageUnknownError} from './errors'
import type {Image} from './images'
import type {Store} from '../store'

export {ImageUnknownError}

const SHORT_ID = /^[0-9a-f]{3,63}$/

function byReference(store: Store, ref: DockerReference): Image | undefined {
  if (ref.digest) {
    const repo = ref.repository()
    const named = (img: Image) => img.names.some((n) => n.startsWith(`${repo}:`) || n.startsWith(`${repo}@`))
    return store.images.byName(ref.toString()) ?? store.images.byDigest(ref.digest).find(named)
  }
  return store.images.byName(ref.withDefaultTag().toString())
}

function candidates(text: string, registries: RegistriesConfig): DockerReference[] {
  const refs: DockerReference[] = []
  try {
    refs.push(...localCandidates(text, registries))
  } catch {
    // not a valid name: only an ID prefix can still match
  }
  try {
    refs.push(parseNormalizedName(text))
  } catch {
    // idem
  }
  return refs
}

/**
 * libimage's last resort for a short name ("app", "team/app:1"): an image with a name whose
 * repository ends in "/<name>" and whose tag is the given one (latest by default), such as
 * "registry.example.com:5000/app:latest" pulled from a registry that is not a search registry.
 */
function byRepoTagSuffix(store: Store, text: string): LocalMatch | undefined {
  const match = /^([a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?$/.exec(text)
  if (!match) return undefined
  const [, name, tag = 'latest'] = match
  const first = name.split('/')[0]
  if (name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return undefined
  const suffix = `/${name}:${tag}`
  for (const image of store.images.list()) {
    const found = image.names.find((n) => n.endsWith(suffix))
    if (found) return {image, name: found}
  }
  return undefined
}

export interface LocalMatch {
  image: Image
  /** the image's name that the text resolved to; undefined when it matched by ID */
  name?: string
}

export function resolveLocalImage(store: Store, text: string, registries: RegistriesConfig): LocalMatch | undefined {
  if (isImageId(text)) {
    const image = store.images.get(text.replace(/^sha256:/, ''))
    return image && {image}
  }
  for (const ref of candidates(text, registries)) {
    const image = byReference(store, ref)
    if (image) return {image, name: image.names.find((n) => n === ref.withDefaultTag().toString())}
  }
  const prefix = text.replace(/^sha256:/, '')
  if (SHORT_ID.test(prefix)) {
    const matches = store.images.byIdPrefix(prefix)
    if (matches.length > 1) throw new TspodError(`${text}: ambiguous image ID prefix: ${matches.length} images match`)
    if (matches[0]) return {image: matches[0]}
  }
  return byRepoTagSuffix(store, text)
}

export function findImage(store: Store, text: string, registries: RegistriesConfig): Image | undefined {
  return resolveLocalImage(store, text, registries)?.image
}

/** As findImage, but a missing image is an error in Podman's words. */
export function lookupImage(store: Store, text: string, registries: RegistriesConfig): Image {
  const image = findImage(store, text, registries)
  if (!image) throw new ImageUnknownError(`${text}: image not known`)
  return image
}
