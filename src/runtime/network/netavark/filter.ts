// `network ls --filter` and `network prune --filter` as containers/common libnetwork/util
// applies them: different keys must all match, the values of one key any (label: all).
import {UsageError} from '../../../errors'
import {matchLabels, parseUntil, parseVolumeFilters} from '../../volume/filter'
import type {Network} from './config'

export interface NetworkFilters {
  filters: Map<string, string[]>
  /** dangling needs the containers */
  needsUsage: boolean
}

const LS_KEYS = ['name', 'id', 'driver', 'label', 'label!', 'dangling', 'until']
const PRUNE_KEYS = ['label', 'label!', 'until']

export function parseNetworkFilters(specs: string[], options: {prune?: boolean} = {}): NetworkFilters {
  const filters = parseVolumeFilters(specs)
  const keys = options.prune ? PRUNE_KEYS : LS_KEYS
  for (const key of filters.keys()) if (!keys.includes(key)) throw new UsageError(`invalid filter ${JSON.stringify(key)}`)
  for (const value of filters.get('dangling') ?? [])
    if (!['true', 'false', '1', '0'].includes(value.toLowerCase())) throw new UsageError(`invalid dangling filter value "${value}"`)
  return {filters, needsUsage: filters.has('dangling')}
}

function regexMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value)
  } catch {
    throw new UsageError(`invalid filter regex ${JSON.stringify(pattern)}`)
  }
}

export function filterNetworks(networks: Network[], parsed: NetworkFilters, inUse: (name: string) => boolean): Network[] {
  const tests: ((n: Network) => boolean)[] = []
  for (const [key, values] of parsed.filters) {
    switch (key) {
      case 'name':
        tests.push((n) => values.some((v) => regexMatch(v, n.name)))
        break
      case 'id':
        tests.push((n) => values.some((v) => regexMatch(v, n.id)))
        break
      case 'driver':
        tests.push((n) => values.includes(n.driver))
        break
      case 'label':
        tests.push((n) => matchLabels(values, n.labels ?? {}))
        break
      case 'label!':
        tests.push((n) => values.every((v) => !matchLabels([v], n.labels ?? {})))
        break
      case 'dangling': {
        const want = ['true', '1'].includes(values.at(-1)!.toLowerCase())
        tests.push((n) => !inUse(n.name) === want)
        break
      }
      case 'until': {
        const until = parseUntil(values)
        tests.push((n) => Date.parse(n.created) < until)
        break
      }
    }
  }
  return networks.filter((n) => tests.every((t) => t(n)))
}
