// `ps --filter`: Podman's container filters that tspod can answer.
import {UsageError} from '../../errors'
import {Container} from './config'

export type ContainerFilter = (c: Container) => boolean

const STATUSES = ['created', 'running', 'paused', 'stopping', 'exited', 'unknown']

function one(key: string, value: string): ContainerFilter {
  switch (key) {
    case 'id':
      return (c) => c.config.id.startsWith(value)
    case 'name': {
      const re = new RegExp(value)
      return (c) => re.test(c.config.name)
    }
    case 'status':
      if (!STATUSES.includes(value)) throw new UsageError(`${value} is not a valid status`)
      return (c) => c.state.status === value
    case 'exited': {
      const code = Number(value)
      if (!Number.isInteger(code)) throw new UsageError(`exited code out of range "${value}"`)
      return (c) => c.state.status === 'exited' && c.state.exitCode === code
    }
    case 'ancestor':
      return (c) => c.config.imageName === value || c.config.imageId.startsWith(value) || c.config.imageName.split(':')[0] === value
    case 'label': {
      const eq = value.indexOf('=')
      if (eq < 0) return (c) => value in (c.config.labels ?? {})
      return (c) => (c.config.labels ?? {})[value.slice(0, eq)] === value.slice(eq + 1)
    }
    default:
      throw new UsageError(`${key} is an invalid filter`)
  }
}

/** Filters with the same key are ORed, different keys ANDed, as Podman does. */
export function parseContainerFilters(texts: string[]): ContainerFilter {
  const byKey = new Map<string, ContainerFilter[]>()
  for (const text of texts) {
    const i = text.indexOf('=')
    if (i <= 0) throw new UsageError(`invalid filter "${text}", should be of form key=value`)
    const key = text.slice(0, i)
    byKey.set(key, [...(byKey.get(key) ?? []), one(key, text.slice(i + 1))])
  }
  const groups = [...byKey.values()]
  return (c) => groups.every((g) => g.some((f) => f(c)))
}
