// Event times to the nanosecond, as Go's time.Time: written as RFC 3339 with nanoseconds in the
// local zone (Go's MarshalJSON), compared as nanoseconds since the epoch, and shown as Go's
// Time.String() ("2006-01-02 15:04:05.999999999 -0700 MST").
import {UsageError} from '../errors'
import {parseGoDuration} from '../runtime/time-value'

const NS_PER_MS = 1_000_000n

// wall clock at a monotonic origin: later readings add the monotonic time elapsed, so the times
// one process writes keep their order and carry real nanoseconds
const originWallNs = BigInt(Date.now()) * NS_PER_MS
const originHr = process.hrtime.bigint()

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function offsetText(offsetMin: number, colon: boolean): string {
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`
}

interface Parts {
  /** local date and time to the second, "2006-01-02T15:04:05" */
  base: string
  /** nanoseconds within the second */
  nanos: number
  /** minutes east of UTC */
  offsetMin: number
}

/** The wall time `ns` in the local zone. */
function localParts(ns: bigint): Parts {
  const ms = Number(ns / NS_PER_MS)
  const date = new Date(ms)
  const offsetMin = -date.getTimezoneOffset()
  const local = new Date(ms + offsetMin * 60_000)
  const nanos = Number(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n)
  return {base: local.toISOString().slice(0, 19), nanos, offsetMin}
}

const fraction = (nanos: number) => (nanos === 0 ? '' : `.${pad(nanos, 9).replace(/0+$/, '')}`)

/** Now, as Go marshals time.Now(). */
export function nowTime(): string {
  return rfc3339Nano(originWallNs + (process.hrtime.bigint() - originHr))
}

export function rfc3339Nano(ns: bigint): string {
  const p = localParts(ns)
  return `${p.base}${fraction(p.nanos)}${p.offsetMin === 0 ? 'Z' : offsetText(p.offsetMin, true)}`
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/

/** Nanoseconds since the epoch of an RFC 3339 time; undefined when it is not one. */
export function parseRfc3339(text: string): {ns: bigint; offsetMin: number} | undefined {
  const m = RFC3339.exec(text)
  if (!m) return undefined
  const seconds = Date.parse(`${m[1]}T${m[2]}${m[4]}`)
  if (Number.isNaN(seconds)) return undefined
  const offsetMin = m[4] === 'Z' ? 0 : (m[4][0] === '-' ? -1 : 1) * (Number(m[4].slice(1, 3)) * 60 + Number(m[4].slice(4, 6)))
  return {ns: BigInt(seconds) * NS_PER_MS + BigInt((m[3] ?? '').padEnd(9, '0') || '0'), offsetMin}
}

/** The zone's name as Go shows it: the local zone's abbreviation, else the offset ("+0200"). */
function zoneName(ms: number, offsetMin: number): string {
  const local = -new Date(ms).getTimezoneOffset()
  if (local === offsetMin) {
    const name = new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value
    if (name && !/^GMT[+-]/.test(name)) return name === 'GMT' && offsetMin === 0 ? 'UTC' : name
  }
  return offsetText(offsetMin, false)
}

/** Go's Time.String() of an event's time, in the zone it was written in. */
export function goTimeString(text: string): string {
  const parsed = parseRfc3339(text)
  if (!parsed) return text
  const ms = Number(parsed.ns / NS_PER_MS)
  const shifted = new Date(ms + parsed.offsetMin * 60_000).toISOString()
  const nanos = Number(parsed.ns % 1_000_000_000n)
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}${fraction(nanos)} ${offsetText(parsed.offsetMin, false)} ${zoneName(ms, parsed.offsetMin)}`
}

/**
 * --since and --until as Podman's ParseInputTime: an RFC 3339 time (or a date, a time without a
 * zone: UTC), Unix seconds, or a Go duration before now (since) or after now (until); in ns.
 */
export function parseInputTime(text: string, since: boolean): bigint {
  const rfc = parseRfc3339(text)
  if (rfc) return rfc.ns
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text)
  if (m) {
    const seconds = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[4] ?? 'Z'}`)
    if (!Number.isNaN(seconds)) return BigInt(seconds) * NS_PER_MS + BigInt((m[3] ?? '').padEnd(9, '0') || '0')
  }
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    const [whole, frac = ''] = text.replace(/^\+/, '').split('.')
    return BigInt(whole) * 1_000_000_000n + BigInt(frac.slice(0, 9).padEnd(9, '0') || '0') * (whole.startsWith('-') ? -1n : 1n)
  }
  const duration = parseGoDuration(text)
  if (duration === undefined) throw new UsageError('unable to interpret time value')
  const now = originWallNs + (process.hrtime.bigint() - originHr)
  const delta = BigInt(Math.round(duration * 1e6))
  return since ? now - delta : now + delta
}
