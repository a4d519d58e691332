// `ps --filter`, `start --filter`: Podman's container filters (pkg/domain/filters/containers.go).
import {UsageError} from '../../errors'
import {RESTART_POLICY_NAMES} from '../../specgen/restart'
import {parseTimeValue} from '../time-value'
import {matchLabels} from '../volume/filter'
import {Container} from './config'

export type ContainerFilter = (c: Container) => boolean

/** What `before=`/`since=` need: a container by name or ID (throws NoSuchContainerError). */
export type ContainerLookup = (nameOrId: string) => Container

/** What `pod=` needs: a pod's ID by its name or ID, undefined when there is no such pod. */
export type PodIdLookup = (nameOrId: string) => string | undefined

/** A container's health status (starting, healthy, unhealthy, or '' before its first start); undefined: it has no healthcheck. */
export type HealthLookup = (c: Container) => string | undefined

/** What `network=` needs: a network's name by its name or ID, undefined when there is no such network. */
export type NetworkNameLookup = (nameOrId: string) => string | undefined

/** The states a status filter may name (Podman's StringToContainerStatus). */
export const CONTAINER_STATES = ['unknown', 'configured', 'created', 'initialized', 'running', 'stopped', 'paused', 'exited', 'removing']

/** Podman's StringMatchRegexSlice: the text matches one of the regular expressions (a bad one matches nothing). */
export function matchesAnyRegexp(text: string, patterns: string[]): boolean {
  return patterns.some((p) => {
    try {
      return new RegExp(p).test(text)
    } catch {
      return false
    }
  })
}

function oldestCreated(values: string[], lookup: ContainerLookup): number {
  return Math.min(...values.map((v) => Date.parse(lookup(v).config.created)))
}

/**
 * `network=`: a container on one of the named networks; one that joined another's network
 * (container:ID) matches `container:NAME-OR-ID` of that container.
 */
function networkFilter(values: string[], lookup: ContainerLookup, networkName: NetworkNameLookup): ContainerFilter {
  const names = values.map(networkName).filter((n): n is string => n !== undefined)
  return (c) => {
    const mode = c.config.containerSpec.network
    if (mode.kind === 'container')
      return values.some((v) => {
        if (!v.startsWith('container:')) return false
        try {
          return lookup(v.slice('container:'.length)).config.id === mode.container
        } catch {
          return false
        }
      })
    return mode.kind === 'bridge' && Object.keys(mode.networks).some((n) => names.includes(n))
  }
}

function byKey(key: string, values: string[], lookup: ContainerLookup, podId: PodIdLookup, health: HealthLookup, networkName: NetworkNameLookup): ContainerFilter {
  switch (key) {
    case 'id':
      return (c) => matchesAnyRegexp(c.config.id, values)
    case 'name':
      return (c) => matchesAnyRegexp(c.config.name, values)
    case 'label':
      return (c) => matchLabels(values, c.config.labels ?? {})
    case 'exited': {
      const codes = values.map((v) => {
        if (!/^[+-]?\d+$/.test(v)) throw new UsageError(`exited code out of range "${v}"`)
        return Number(v)
      })
      return (c) => c.state.status === 'exited' && codes.includes(c.state.exitCode)
    }
    case 'status': {
      for (const v of values) if (!CONTAINER_STATES.includes(v)) throw new UsageError(`unknown container state: ${v}: invalid argument`)
      const wanted = values.map((v) => (v === 'stopped' ? 'exited' : v))
      return (c) => wanted.includes(c.state.status)
    }
    case 'ancestor':
      // the image ID, the name as recorded, or NAME for NAME:latest
      return (c) => values.some((v) => c.config.imageId === v || c.config.imageName === v || c.config.imageName === `${v}:latest`)
    case 'before': {
      const created = oldestCreated(values, lookup)
      return (c) => Date.parse(c.config.created) < created
    }
    case 'since': {
      const created = oldestCreated(values, lookup)
      return (c) => Date.parse(c.config.created) > created
    }
    case 'until': {
      if (values.length !== 1) throw new UsageError('specify exactly one timestamp for until')
      const until = parseTimeValue(values[0])
      return (c) => Date.parse(c.config.created) < until
    }
    case 'volume':
      // SOURCE or SOURCE:DESTINATION; a source is a named volume or a bind mount's host path
      return (c) =>
        values.some((v) => {
          const colon = v.indexOf(':')
          const source = colon < 0 ? v : v.slice(0, colon)
          const destination = colon < 0 ? '' : v.slice(colon + 1)
          const fits = (src: string | undefined, dst: string) => src === source && (destination === '' || dst === destination)
          return (c.config.spec.mounts ?? []).some((m) => fits(m.source, m.destination)) || (c.config.volumes ?? []).some((vol) => fits(vol.name, vol.destination))
        })
    case 'restart-policy': {
      const invalid = values.filter((v) => !RESTART_POLICY_NAMES.includes(v))
      if (invalid.length > 0) throw new UsageError(`${invalid.join(', ')} ${invalid.length > 1 ? 'invalid restart policies' : 'invalid restart policy'}`)
      return (c) => {
        const policy = c.config.containerSpec.restart?.policy ?? ''
        return values.some((v) => (v === 'none' ? policy === '' : policy === v))
      }
    }
    case 'pod': {
      // a name or ID that names no pod matches nothing, as in Podman
      const ids = values.map(podId).filter((id): id is string => id !== undefined)
      return (c) => c.config.containerSpec.pod !== undefined && ids.includes(c.config.containerSpec.pod)
    }
    case 'network':
      return networkFilter(values, lookup, networkName)
    case 'health':
      return (c) => {
        const status = health(c)
        return status !== undefined && values.includes(status)
      }
    default:
      throw new UsageError(`${key} is an invalid filter`)
  }
}

/** Filters with the same key are ORed (label filters ANDed), different keys ANDed, as Podman does. */
export function parseContainerFilters(
  texts: string[],
  lookup: ContainerLookup = missingLookup,
  podId: PodIdLookup = () => undefined,
  health: HealthLookup = () => undefined,
  networkName: NetworkNameLookup = () => undefined,
): ContainerFilter {
  return containerFilterOf(groupFilters(texts), lookup, podId, health, networkName)
}

/** KEY=VALUE texts grouped by key. */
export function groupFilters(texts: string[]): Map<string, string[]> {
  const byName = new Map<string, string[]>()
  for (const text of texts) {
    const i = text.indexOf('=')
    if (i < 0) throw new UsageError(`invalid filter "${text}"`)
    const key = text.slice(0, i)
    byName.set(key, [...(byName.get(key) ?? []), text.slice(i + 1)])
  }
  return byName
}

export function containerFilterOf(
  groups: Map<string, string[]>,
  lookup: ContainerLookup = missingLookup,
  podId: PodIdLookup = () => undefined,
  health: HealthLookup = () => undefined,
  networkName: NetworkNameLookup = () => undefined,
): ContainerFilter {
  const tests = [...groups].map(([key, values]) => byKey(key, values, lookup, podId, health, networkName))
  return (c) => tests.every((f) => f(c))
}

function missingLookup(name: string): Container {
  throw new UsageError(`no container with name or ID "${name}" found: no such container`)
}
