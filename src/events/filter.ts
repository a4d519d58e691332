// `events --filter` as Podman's (libpod/events/filters.go): KEY=VALUE, the key in any case;
// filters under one key are alternatives, each key must match; --since and --until bound the time.
import {UsageError} from '../errors'
import type {PodmanEvent} from './event'
import {parseInputTime, parseRfc3339} from './time'

type Test = (e: PodmanEvent) => boolean

const byNameOrId = (type: string, value: string): Test => (e) => e.Type === type && (e.Name === value || (e.ID ?? '').startsWith(value))

function filterFor(key: string, value: string): Test {
  switch (key.toUpperCase()) {
    case 'CONTAINER':
      return byNameOrId('container', value)
    case 'EVENT':
    case 'STATUS':
      return (e) => e.Status === value
    case 'IMAGE':
      return byNameOrId('image', value)
    case 'POD':
      return byNameOrId('pod', value)
    case 'VOLUME':
      // Podman's volume events carry the name only, and its filter compares the ID
      return (e) => e.Type === 'volume' && ((e.ID ?? '').startsWith(value) || e.Name === value)
    case 'TYPE':
      return (e) => e.Type === value
    case 'LABEL': {
      const eq = value.indexOf('=')
      if (eq < 0) return () => false
      const [k, v] = [value.slice(0, eq), value.slice(eq + 1)]
      return (e) => e.Attributes?.[k] === v
    }
  }
  throw new UsageError(`failed to parse event filters: ${key} is an invalid filter`)
}

const timeOf = (e: PodmanEvent): bigint | undefined => parseRfc3339(e.Time)?.ns

/** The test an event must pass; bad filters and times are usage errors in Podman's words. */
export function eventFilter(filters: string[], since?: string, until?: string): Test {
  const groups = new Map<string, Test[]>()
  for (const filter of filters) {
    const eq = filter.indexOf('=')
    if (eq < 0) throw new UsageError(`failed to parse event filters: ${filter} is an invalid filter`)
    const key = filter.slice(0, eq)
    groups.set(key, [...(groups.get(key) ?? []), filterFor(key, filter.slice(eq + 1))])
  }
  const bound = (text: string, isSince: boolean): bigint => {
    try {
      return parseInputTime(text, isSince)
    } catch (err) {
      throw new UsageError(`failed to parse event filters: unable to convert ${isSince ? 'since' : 'until'} time of ${text}: ${(err as Error).message}`)
    }
  }
  if (since) {
    const t = bound(since, true)
    groups.set('since', [(e) => (timeOf(e) ?? 0n) > t])
  }
  if (until) {
    const t = bound(until, false)
    groups.set('until', [(e) => (timeOf(e) ?? 0n) < t])
  }
  const all = [...groups.values()]
  return (e) => all.every((tests) => tests.some((test) => test(e)))
}
