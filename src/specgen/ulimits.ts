// --ulimit TYPE=SOFT[:HARD] (docker's go-units ParseUlimit, as Podman takes it): a resource limit
// of the container's process, in place of the default one of that type; -1 is unlimited.
import {UsageError} from '../errors'
import type {OciRlimit} from '../runtime/oci-spec'

const NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']

/** RLIM_INFINITY, as the OCI spec's rlimits carry it */
const UNLIMITED = 2 ** 64 - 1

function limit(text: string, flag: string): number {
  if (text === '-1') return UNLIMITED
  if (!/^\d+$/.test(text)) throw new UsageError(`ulimit option ${JSON.stringify(flag)}: invalid limit ${JSON.stringify(text)}`)
  return Number(text)
}

export function parseUlimits(values: string[] | undefined): OciRlimit[] {
  const out = new Map<string, OciRlimit>()
  for (const value of values ?? []) {
    const eq = value.indexOf('=')
    if (eq < 0) throw new UsageError(`invalid ulimit argument: ${value}`)
    const name = value.slice(0, eq)
    if (!NAMES.includes(name)) throw new UsageError(`invalid ulimit type: ${name}`)
    const parts = value.slice(eq + 1).split(':')
    if (parts.length > 2) throw new UsageError(`too many limit value arguments - ${value.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``)
    const soft = limit(parts[0], value)
    const hard = parts.length === 2 ? limit(parts[1], value) : soft
    if (soft > hard) throw new UsageError(`ulimit soft limit must be less than or equal to hard limit: ${parts[0]} > ${parts[1]}`)
    out.set(name, {type: `RLIMIT_${name.toUpperCase()}`, soft, hard})
  }
  return [...out.values()]
}

/** The defaults with each --ulimit in place of its type's. */
export function withUlimits(defaults: OciRlimit[], ulimits: OciRlimit[] | undefined): OciRlimit[] {
  if (!ulimits || ulimits.length === 0) return defaults
  return [...defaults.filter((d) => !ulimits.some((u) => u.type === d.type)), ...ulimits]
}
