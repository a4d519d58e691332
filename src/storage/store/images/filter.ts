// `images --filter KEY=VALUE`, as Podman (c/common libimage/filters.go) applies them: filters of
// different keys must all match; several values of one key match if any does (label: all).
import {minimatch} from 'minimatch'

import {UsageError} from '../../../errors'
import type {RegistriesConfig} from '../../image/config/registries-conf'
import type {Image} from './images'
import type {Store} from '../store'
import {ImageTree} from './image-tree'
import {lookupImage} from './lookup'
import {imageConfig} from './report'

const KEYS = ['dangling', 'reference', 'label', 'before', 'since', 'after', 'id', 'digest', 'readonly', 'intermediate'] as const
type FilterKey = (typeof KEYS)[number]

export type ImageFilters = Map<FilterKey, string[]>

export function parseImageFilters(specs: string[]): ImageFilters {
  const filters: ImageFilters = new Map()
  for (const spec of specs) {
    const i = spec.indexOf('=')
    const key = (i < 0 ? spec : spec.slice(0, i)) as FilterKey
    if (!KEYS.includes(key)) throw new UsageError(`unsupported image filter "${key}"`)
    if (i < 0) throw new UsageError(`invalid image filter "${spec}": must be in the format "filter=value"`)
    filters.set(key, [...(filters.get(key) ?? []), spec.slice(i + 1)])
  }
  return filters
}

function bool(key: string, value: string): boolean {
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  throw new UsageError(`invalid image filter "${key}=${value}": must be true or false`)
}

/** Glob match of a reference pattern on a name, the name without its tag, or its short form. */
function referenceMatches(pattern: string, image: Image): boolean {
  return image.names.some((name) => {
    const repo = name.replace(/:[^:/]*$/, '')
    const familiar = name.replace(/^docker\.io\/(library\/)?/, '').replace(/^localhost\//, '')
    const familiarRepo = familiar.replace(/:[^:/]*$/, '')
    return [name, repo, familiar, familiarRepo].some((candidate) => minimatch(candidate, pattern) || candidate.endsWith(`/${pattern}`))
  })
}

function labelMatches(spec: string, image: Image): boolean {
  const labels = imageConfig(image).config?.Labels ?? {}
  const i = spec.indexOf('=')
  if (i < 0) return spec in labels
  return labels[spec.slice(0, i)] === spec.slice(i + 1)
}

function addedTime(image: Image): number {
  return new Date(imageConfig(image).created ?? image.added).getTime()
}

/** `registries` is read only when a filter names an image (before, since), so a plain listing reads no config. */
export function filterImages(store: Store, filters: ImageFilters, registries: () => RegistriesConfig): Image[] {
  const tests: ((image: Image) => boolean)[] = []
  const images = store.images.list()
  const tree = new ImageTree(images)
  for (const [key, values] of filters) {
    switch (key) {
      case 'dangling':
        tests.push((image) => values.some((v) => bool(key, v) === tree.isDangling(image)))
        break
      case 'reference':
        tests.push((image) => values.some((v) => referenceMatches(v, image)))
        break
      case 'label':
        tests.push((image) => values.every((v) => labelMatches(v, image)))
        break
      case 'before':
      case 'since':
      case 'after': {
        const times = values.map((v) => addedTime(lookupImage(store, v, registries())))
        tests.push((image) => times.some((t) => (key === 'before' ? addedTime(image) < t : addedTime(image) > t)))
        break
      }
      case 'id':
        tests.push((image) => values.some((v) => image.id.startsWith(v.replace(/^sha256:/, ''))))
        break
      case 'digest':
        tests.push((image) => values.some((v) => image.digest === v || image.digests.includes(v)))
        break
      case 'readonly':
        tests.push((image) => values.some((v) => bool(key, v) === false))
        break
      case 'intermediate':
        tests.push((image) => values.some((v) => bool(key, v) === tree.isIntermediate(image)))
        break
    }
  }
  return images.filter((image) => tests.every((t) => t(image)))
}
