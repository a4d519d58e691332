// `--userns` as Podman parses it (pkg/namespaces UsernsMode, pkg/specgen ParseUserNamespace):
// "" and "host" (the rootless default), keep-id[:uid=UID,gid=GID,size=SIZE], nomap and
// auto[:size=,uidmapping=,gidmapping=]. The maps they ask for are computed at create (runtime/spec/userns.ts).
import {UsageError} from '../errors'
import type {UsernsMode} from './container-spec'
import type {IdMapping} from '../userns/idmap'

export const SUPPORTED_USERNS = '"" or "host" (the default), "keep-id[:uid=UID,gid=GID,size=SIZE]", "nomap" or "auto[:size=SIZE,uidmapping=C:H:S,gidmapping=C:H:S]"'

/** Go's strconv.ParseUint(val, 10, 32), with its error text. */
function parseUint32(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`)
  const n = Number(value)
  if (n > 0xffffffff) throw new UsageError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range`)
  return n
}

/** containers/storage's ParseIDMapping of one CONTAINER:HOST:SIZE triple, with its error text. */
function parseAutoMapping(value: string, kind: 'UID' | 'GID'): IdMapping {
  const parts = value.split(':')
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p) && Number(p) <= 0xffffffff))
    throw new UsageError(`failed to create ParseUIDMap ${kind}=[${value}]: initializing ID mappings: ${kind} setting is malformed expected ["uint32:uint32:uint32"]: ["${value}"]`)
  const [containerID, hostID, size] = parts.map(Number)
  return {containerID, hostID, size}
}

/** auto[:size=SIZE,uidmapping=C:H:S,gidmapping=C:H:S]: the mappings may repeat. */
function parseAuto(options: string | undefined): UsernsMode {
  const parsed: Extract<UsernsMode, {kind: 'auto'}> = {kind: 'auto'}
  for (const option of options === undefined || options === '' ? [] : options.split(',')) {
    const eq = option.indexOf('=')
    if (eq < 0) throw new UsageError(`invalid option specified: ${JSON.stringify(option)}`)
    const [name, val] = [option.slice(0, eq), option.slice(eq + 1)]
    if (name === 'size') parsed.size = parseUint32(val)
    else if (name === 'uidmapping') (parsed.uidMappings ??= []).push(parseAutoMapping(val, 'UID'))
    else if (name === 'gidmapping') (parsed.gidMappings ??= []).push(parseAutoMapping(val, 'GID'))
    else throw new UsageError(`unknown option specified: ${JSON.stringify(name)}`)
  }
  return parsed
}

/** Parse a --userns value; what Podman knows but tspod does not support is refused by name. */
export function parseUserns(value: string | undefined): UsernsMode {
  if (value === undefined || value === '' || value === 'host') return {kind: 'host'}
  const [mode, options] = value.split(/:(.*)/s, 2) as [string, string | undefined]
  if (mode === 'keep-id') {
    const parsed: UsernsMode = {kind: 'keep-id'}
    if (options === undefined) return parsed
    for (const option of options.split(',')) {
      const eq = option.indexOf('=')
      if (eq < 0) throw new UsageError(`invalid option specified: ${JSON.stringify(option)}`)
      const [name, val] = [option.slice(0, eq), option.slice(eq + 1)]
      if (name !== 'uid' && name !== 'gid' && name !== 'size') throw new UsageError(`unknown option specified: ${JSON.stringify(name)}`)
      parsed[name] = parseUint32(val)
    }
    return parsed
  }
  if (value === 'nomap') return {kind: 'nomap'}
  if (mode === 'auto') return parseAuto(options)
  const known = ['private', 'pod', 'auto', 'nomap'].includes(value) || ['auto', 'ns', 'container'].includes(mode)
  if (!known) throw new UsageError(`unrecognized namespace mode ${value} passed`)
  throw new UsageError(`--userns=${value} is not supported by tspod: use ${SUPPORTED_USERNS}`)
}
