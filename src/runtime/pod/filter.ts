// `pod ps --filter`, as Podman applies it (pkg/domain/filters/pods.go): the values of one key match
// if any does (label: all must), different keys must all match.
import {UsageError} from '../../errors'
import {matchesAnyRegexp} from '../container/filter'
import {matchLabels, parseUntil} from '../volume/filter'

/** What the filters look at of a pod. */
export interface FilteredPod {
  Id: string
  Name: string
  Created: string
  /** Podman's pod status: Created, Running, Degraded, Paused, Exited, Stopped */
  Status: string
  Labels: Record<string, string>
  InfraId: string
  Containers: {Id: string; Names: string; Status: string}[]
}

export interface PodFilterContext {
  /** A network's name by its name or ID; undefined when there is none (such a value matches nothing). */
  networkName(nameOrId: string): string | undefined
  /** The names of the networks a container is on. */
  networksOf(containerId: string): string[]
}

export type PodFilter = (pod: FilteredPod) => boolean

const POD_STATUSES = ['stopped', 'running', 'paused', 'exited', 'dead', 'created', 'degraded']
const CONTAINER_STATUSES = ['created', 'running', 'paused', 'stopped', 'exited', 'unknown']


/** A container state as the ctr-status filter names it. */
function containerStatusName(state: string): string {
  if (state === 'configured') return 'created'
  if (state === 'stopped') return 'exited'
  return state
}

function byKey(key: string, values: string[], context: PodFilterContext): PodFilter {
  switch (key) {
    case 'id':
      return (p) => matchesAnyRegexp(p.Id, values)
    case 'name':
      return (p) => matchesAnyRegexp(p.Name, values)
    case 'label':
      return (p) => matchLabels(values, p.Labels)
    case 'status': {
      for (const v of values) if (!POD_STATUSES.includes(v)) throw new UsageError(`${v} is not a valid pod status`)
      return (p) => values.includes(p.Status.toLowerCase())
    }
    case 'ctr-ids':
      return (p) => p.Containers.some((c) => matchesAnyRegexp(c.Id, values))
    case 'ctr-names':
      return (p) => p.Containers.some((c) => matchesAnyRegexp(c.Names, values))
    case 'ctr-number':
      // a value that is no number matches nothing
      return (p) => values.some((v) => /^[+-]?\d+$/.test(v) && Number(v) === p.Containers.length)
    case 'ctr-status': {
      for (const v of values) if (!CONTAINER_STATUSES.includes(v)) throw new UsageError(`${v} is not a valid status`)
      const wanted = values.map((v) => (v === 'stopped' ? 'exited' : v))
      return (p) => p.Containers.some((c) => wanted.includes(containerStatusName(c.Status)))
    }
    case 'until': {
      const until = parseUntil(values)
      return (p) => Date.parse(p.Created) < until
    }
    case 'network': {
      const names = values.map((v) => context.networkName(v)).filter((n): n is string => n !== undefined)
      return (p) => p.InfraId !== '' && context.networksOf(p.InfraId).some((n) => names.includes(n))
    }
    default:
      throw new UsageError(`${key} is an invalid filter`)
  }
}

/** The KEY=VALUE texts as one test. */
export function parsePodFilters(texts: string[], context: PodFilterContext): PodFilter {
  const groups = new Map<string, string[]>()
  for (const text of texts) {
    const i = text.indexOf('=')
    if (i < 0) throw new UsageError(`filter input must be in the form of filter=value: ${text} is invalid`)
    groups.set(text.slice(0, i), [...(groups.get(text.slice(0, i)) ?? []), text.slice(i + 1)])
  }
  const tests = [...groups].map(([key, values]) => byKey(key, values, context))
  return (p) => tests.every((t) => t(p))
}
