// `--userns` as Podman parses it (pkg/namespaces UsernsMode, pkg/specgen ParseUserNamespace):
// "" and "host" (the rootless default) and keep-id[:uid=UID,gid=GID,size=SIZE]. The maps keep-id
// asks for are computed at create (runtime/spec/userns.ts).
import {UsageError} from '../errors'
import type {UsernsMode} from './container-spec'

export const SUPPORTED_USERNS = '"" or "host" (the default), "keep-id" or "keep-id:uid=UID,gid=GID,size=SIZE"'

/** Go's strconv.ParseUint(val, 10, 32), with its error text. */
function parseUint32(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`)
  const n = Number(value)
  if (n > 0xffffffff) throw new UsageError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range`)
  return n
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
  const known = ['private', 'pod', 'auto', 'nomap'].includes(value) || ['auto', 'ns', 'container'].includes(mode)
  if (!known) throw new UsageError(`unrecognized namespace mode ${value} passed`)
  throw new UsageError(`--userns=${value} is not supported by tspod: use ${SUPPORTED_USERNS}`)
}
