// A point in time as Podman's --since/--until and filters take it (Docker's timetype): a Go
// duration before now ("10m", "1h30m"), Unix seconds ("1700000000.5"), or an RFC 3339 / ISO date
// ("2026-01-02", "2026-01-02T15:04:05Z").
import {UsageError} from '../errors'

const GO_DURATION_UNITS: Record<string, number> = {ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000}

/** Go's time.ParseDuration ("1h30m", "-10s", "1.5h"), in ms; undefined when it is none. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text)
  if (!m) return text === '0' ? 0 : undefined
  let total = 0
  for (const part of text.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * GO_DURATION_UNITS[part[2]]
  return m[1] === '-' ? -total : total
}

/** Milliseconds since the epoch. */
export function parseTimeValue(value: string, now = Date.now()): number {
  const duration = parseGoDuration(value)
  if (duration !== undefined) return now - duration
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) {
    const time = Date.parse(value.replace(' ', 'T'))
    if (!Number.isNaN(time)) return time
  }
  throw new UsageError(`failed to parse value as time or duration: ${JSON.stringify(value)}`)
}
