// What `secret ls` and `secret inspect` show of a secret: Podman's SecretInfoReport (inspect's
// JSON), its list rows, its --pretty text, and its list filters (name, id).
import {UsageError} from '../../errors'
import type {SecretRecord} from './secret-store'

export interface SecretInfo {
  ID: string
  CreatedAt: string
  UpdatedAt: string
  Spec: {Name: string; Driver: {Name: string; Options: Record<string, string>}; Labels: Record<string, string>}
}

export function secretInfo(record: SecretRecord): SecretInfo {
  return {
    ID: record.id,
    CreatedAt: record.createdAt,
    // the file driver never updates a secret
    UpdatedAt: record.createdAt,
    Spec: {Name: record.name, Driver: {Name: record.driver, Options: record.driverOptions ?? {}}, Labels: record.labels ?? {}},
  }
}

/** Go's time.Time String() of an RFC 3339 UTC time: "2006-01-02 15:04:05.999999999 +0000 UTC". */
export function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(rfc3339)
  if (!m) return rfc3339
  const fraction = (m[3] ?? '').replace(/0+$/, '')
  return `${m[1]} ${m[2]}${fraction === '.' ? '' : fraction} +0000 UTC`
}

/** `secret inspect --pretty`, one block per secret. */
export function prettySecret(info: SecretInfo): string {
  const labels = Object.entries(info.Spec.Labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const lines = [`ID:              ${info.ID}`, `Name:              ${info.Spec.Name}`]
  if (labels.length > 0) lines.push('Labels:', ...labels.map(([k, v]) => ` - ${k}${v ? `=${v}` : ''}`))
  lines.push(`Driver:            ${info.Spec.Driver.Name}`, `Created at:        ${goTimeString(info.CreatedAt)}`, `Updated at:        ${goTimeString(info.UpdatedAt)}`)
  return lines.join('\n') + '\n'
}

export type SecretFilters = Map<'name' | 'id', RegExp[]>

/** --filter name=REGEX and id=REGEX: the values of one key are alternatives, the keys all apply. */
export function parseSecretFilters(filters: string[]): SecretFilters {
  const parsed: SecretFilters = new Map()
  for (const filter of filters) {
    const eq = filter.indexOf('=')
    const key = eq < 0 ? filter : filter.slice(0, eq)
    if (eq < 0) throw new UsageError(`filter input must be in the form of filter=value: ${filter} is invalid`)
    if (key !== 'name' && key !== 'id') throw new UsageError(`invalid filter ${JSON.stringify(key)}`)
    let re: RegExp
    try {
      re = new RegExp(filter.slice(eq + 1))
    } catch (err) {
      throw new UsageError(`invalid filter ${JSON.stringify(filter)}: ${(err as Error).message}`)
    }
    parsed.set(key, [...(parsed.get(key) ?? []), re])
  }
  return parsed
}

export function matchesSecretFilters(record: SecretRecord, filters: SecretFilters): boolean {
  for (const [key, res] of filters) {
    const value = key === 'name' ? record.name : record.id
    if (!res.some((re) => re.test(value))) return false
  }
  return true
}
