// `volume ls --filter` and `volume prune --filter`, as Podman applies them
// (pkg/domain/filters/volumes.go): filters of different keys must all match; the values of one
// key match if any does (label: all must).
import {UsageError} from '../../errors'
import {parseTimeValue} from '../time-value'
import type {Volume, VolumeStore} from './volume-store'

export type VolumeFilters = Map<string, string[]>

/** Podman's FilterArgumentsIntoFilters: KEY=VALUE, repeated keys collect their values. */
export function parseVolumeFilters(specs: string[]): VolumeFilters {
  const filters: VolumeFilters = new Map()
  for (const spec of specs) {
    const i = spec.indexOf('=')
    if (i < 0) throw new UsageError(`filter input must be in the form of filter=value: ${spec} is invalid`)
    const key = spec.slice(0, i)
    filters.set(key, [...(filters.get(key) ?? []), spec.slice(i + 1)])
  }
  return filters
}

/**
 * containers/common filters.matchPattern: a pattern with `*` matches anywhere in the value
 * (filepath.Match of *pattern*, with `/` made an ordinary character, so `*` and `?` cross it).
 */
function matchPattern(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return false
  const source = pattern.replace(/[.+^${}()|[\]\\?*]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`))
  return new RegExp(`^.*${source}.*$`, 's').test(value)
}

/** containers/common MatchLabelFilters: every `key` or `key=value` must be among the labels. */
export function matchLabels(values: string[], labels: Record<string, string>): boolean {
  return values.every((spec) => {
    const i = spec.indexOf('=')
    const key = i < 0 ? spec : spec.slice(0, i)
    const value = i < 0 ? '' : spec.slice(i + 1)
    return Object.entries(labels).some(([k, v]) => (value === '' || v === value) && (k === key || matchPattern(key, k)))
  })
}

/** MatchNegatedLabelFilters: none of them may be among the labels. */
function matchNoLabels(values: string[], labels: Record<string, string>): boolean {
  return values.every((spec) => !matchLabels([spec], labels))
}

function parseBool(key: string, value: string): boolean {
  switch (value.toLowerCase()) {
    case 'true':
    case '1':
      return true
    case 'false':
    case '0':
      return false
  }
  throw new UsageError(`${JSON.stringify(value)} is not a valid value for the ${JSON.stringify(key)} filter - must be true or false`)
}

/** `until`: exactly one point in time (src/runtime/time-value.ts). */
export function parseUntil(values: string[], now = Date.now()): number {
  if (values.length !== 1) throw new UsageError('specify exactly one timestamp for until')
  return parseTimeValue(values[0], now)
}

type VolumeTest = (volume: Volume) => boolean

/** Keys `volume ls` takes, and the subset `volume prune` takes. */
const LIST_KEYS = ['after', 'since', 'name', 'driver', 'scope', 'label', 'label!', 'opt', 'until', 'dangling', 'anonymous']
const PRUNE_KEYS = ['after', 'since', 'anonymous', 'label', 'label!', 'until']

export function volumeTests(volumes: VolumeStore, filters: VolumeFilters, use: 'list' | 'prune'): VolumeTest[] {
  const tests: VolumeTest[] = []
  for (const [key, values] of filters) {
    if (!(use === 'list' ? LIST_KEYS : PRUNE_KEYS).includes(key)) throw new UsageError(`${JSON.stringify(key)} is an invalid volume filter`)
    switch (key) {
      case 'after':
      case 'since': {
        const times = values.map((v) => Date.parse(volumes.lookup(v).created))
        const earliest = Math.min(...times)
        tests.push((v) => Date.parse(v.created) > earliest)
        break
      }
      case 'name':
        tests.push((v) =>
          values.some((pattern) => {
            try {
              return new RegExp(pattern).test(v.name)
            } catch {
              return false // Go's regexp.MatchString error: no match
            }
          }),
        )
        break
      case 'driver':
        tests.push((v) => values.includes(v.driver))
        break
      case 'scope':
        tests.push(() => values.includes('local'))
        break
      case 'label':
        tests.push((v) => matchLabels(values, v.labels))
        break
      case 'label!':
        tests.push((v) => matchNoLabels(values, v.labels))
        break
      case 'opt':
        tests.push((v) =>
          values.some((spec) => {
            const i = spec.indexOf('=')
            const k = i < 0 ? spec : spec.slice(0, i)
            const want = i < 0 ? '' : spec.slice(i + 1)
            return Object.entries(v.options).some(([ok, ov]) => ok === k && (want === '' || ov === want))
          }),
        )
        break
      case 'until': {
        const until = parseUntil(values)
        tests.push((v) => Date.parse(v.created) < until)
        break
      }
      case 'dangling': {
        const wanted = values.map((value) => parseBool(key, value))
        tests.push((v) => wanted.some((w) => volumes.isDangling(v.name) === w))
        break
      }
      case 'anonymous': {
        const wanted = values.map((value) => parseBool(key, value))
        tests.push((v) => wanted.some((w) => v.anonymous === w))
        break
      }
    }
  }
  return tests
}

export function filterVolumes(volumes: VolumeStore, filters: VolumeFilters, use: 'list' | 'prune' = 'list'): Volume[] {
  const tests = volumeTests(volumes, filters, use)
  return volumes.list().filter((v) => tests.every((t) => t(v)))
}
