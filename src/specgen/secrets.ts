// --secret NAME[,type=mount|env][,target=T][,uid=U][,gid=G][,mode=M], as Podman's parseSecrets:
// a mounted secret goes to /run/secrets/NAME by default (a relative target below /run/secrets),
// an env secret sets the variable named by its target (default NAME).
import * as path from 'node:path'

import {UsageError} from '../errors'

export interface SecretRequest {
  /** the secret's name or ID */
  source: string
  type: 'mount' | 'env'
  /** mount: the absolute path in the container; env: the variable's name */
  target: string
  uid: number
  gid: number
  mode: number
}

const SECRETS_DIR = '/run/secrets'

function parseError(text: string): UsageError {
  return new UsageError(`${text}: parsing secret`)
}

function parseId(key: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) throw parseError(`${key} ${value} invalid`)
  return Number(value)
}

export function parseSecret(value: string): SecretRequest {
  let source: string | undefined
  let type: string | undefined
  let target: string | undefined
  let uid: number | undefined
  let gid: number | undefined
  let mode: number | undefined
  for (const option of value.split(',')) {
    const eq = option.indexOf('=')
    if (eq < 0) {
      if (source !== undefined) throw parseError(`option ${option} must be in form option=value`)
      source = option
      continue
    }
    const [key, val] = [option.slice(0, eq), option.slice(eq + 1)]
    if (key === 'source' && source === undefined) source = val
    else if (key === 'type') {
      if (val !== 'mount' && val !== 'env') throw parseError(`type ${val} is invalid`)
      type = val
    } else if (key === 'target') target = val
    else if (key === 'uid') uid = parseId('uid', val)
    else if (key === 'gid') gid = parseId('gid', val)
    else if (key === 'mode') {
      if (!/^[0-7]{1,4}$/.test(val)) throw parseError(`mode ${val} invalid`)
      mode = parseInt(val, 8)
    } else throw parseError(`option ${option} invalid`)
  }
  if (!source) throw parseError('no secret name given')
  if (type === 'env') {
    if (uid !== undefined || gid !== undefined || mode !== undefined) throw parseError('UID, GID, Mode options cannot be set with secret type env')
    return {source, type, target: target || source, uid: 0, gid: 0, mode: 0}
  }
  const dest = !target ? path.posix.join(SECRETS_DIR, source) : path.posix.isAbsolute(target) ? path.posix.normalize(target) : path.posix.join(SECRETS_DIR, target)
  return {source, type: 'mount', target: dest, uid: uid ?? 0, gid: gid ?? 0, mode: mode ?? 0o444}
}

/** Every --secret, parsed; two secrets for one target are refused. */
export function parseSecrets(values: string[]): SecretRequest[] {
  const parsed = values.map(parseSecret)
  const seen = new Set<string>()
  for (const s of parsed) {
    const key = `${s.type}:${s.target}`
    if (seen.has(key)) throw new UsageError(`${s.target}: duplicate secret target`)
    seen.add(key)
  }
  return parsed
}
