// `commit --change` (and `import --change`): Containerfile instructions applied to an image's
// config, as containers/common's ImageConfigFromChanges reads them. Each change is
// "INSTRUCTION VALUE" (or "INSTRUCTION=VALUE"); CMD and ENTRYPOINT take a JSON array or a shell
// command (run by /bin/sh -c), VOLUME a JSON array or words, ENV and LABEL "k=v ..." or "k v".
import * as path from 'node:path'

import {UsageError} from '../errors'
import {parseStopSignal} from '../runtime/spec/stop-signal'

/** The fields of an image config's `config` that changes and builds set. */
export interface RunConfig {
  User?: string
  ExposedPorts?: Record<string, object>
  Env?: string[]
  Entrypoint?: string[] | null
  Cmd?: string[] | null
  Volumes?: Record<string, object>
  WorkingDir?: string
  Labels?: Record<string, string>
  StopSignal?: string
  OnBuild?: string[] | null
  Shell?: string[]
  Healthcheck?: ImageHealthcheck
  [key: string]: unknown
}

/** The Docker image config's Healthcheck (Schema2HealthConfig): durations in nanoseconds. */
export interface ImageHealthcheck {
  Test: string[]
  Interval?: number
  Timeout?: number
  StartPeriod?: number
  Retries?: number
}

export const CHANGE_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']

/** Words split at blanks, quotes grouping (and removed), backslash escaping the next character. */
export function splitWords(text: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i]
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      inWord = true
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) throw new UsageError(`unterminated quote in ${JSON.stringify(text)}`)
  if (inWord) words.push(word)
  return words
}

/** "k=v k2=v2" or the legacy "k v": the pairs, in order. */
export function parseKeyValuePairs(value: string, what: string): [string, string][] {
  const words = splitWords(value)
  if (words.length === 0) throw new UsageError(`${what} requires at least one argument`)
  if (!words[0].includes('=')) {
    const legacy = /^(\S+)\s+([\s\S]+)$/.exec(value.trim())
    if (!legacy) throw new UsageError(`${what} must have two arguments`)
    return [[legacy[1], splitWords(legacy[2]).join(' ')]]
  }
  return words.map((w) => {
    const eq = w.indexOf('=')
    if (eq <= 0) throw new UsageError(`${what} names can not be blank`)
    return [w.slice(0, eq), w.slice(eq + 1)]
  })
}

/** A JSON array of strings, or undefined when the text is not one. */
export function jsonStringArray(value: string): string[] | undefined {
  if (!value.trim().startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed
  } catch {
    // not JSON: the shell form
  }
  return undefined
}

/** `EXPOSE` words as ExposedPorts keys ("80/tcp"). */
export function exposedPorts(words: string[]): string[] {
  return words.map((w) => {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w)
    if (!m || Number(m[1]) > 65535) throw new UsageError(`invalid port ${JSON.stringify(w)}`)
    return `${w.split('/')[0]}/${(m[3] ?? 'tcp').toLowerCase()}`
  })
}

/** ENV on an env list: a name set again keeps its place with the new value. */
export function setEnv(env: string[], name: string, value: string): string[] {
  const out = env.filter((e) => e.split('=')[0] !== name)
  const at = env.findIndex((e) => e.split('=')[0] === name)
  const entry = `${name}=${value}`
  if (at < 0) return [...out, entry]
  const copy = [...env]
  copy[at] = entry
  return copy.filter((e, i) => i === at || e.split('=')[0] !== name)
}

/** Apply one instruction with its value to `config` (changed in place). */
export function applyInstruction(config: RunConfig, instruction: string, value: string, change: string): void {
  const fail = (why: string): never => {
    throw new UsageError(`invalid change ${JSON.stringify(change)} - ${why}`)
  }
  try {
    switch (instruction) {
      case 'USER':
        if (!value) fail('must provide a value to USER')
        config.User = value
        break
      case 'EXPOSE': {
        const words = splitWords(value)
        if (words.length === 0) fail('must provide at least one port to EXPOSE')
        config.ExposedPorts ??= {}
        for (const p of exposedPorts(words)) config.ExposedPorts[p] = {}
        break
      }
      case 'ENV':
        for (const [k, v] of parseKeyValuePairs(value, 'ENV')) config.Env = setEnv(config.Env ?? [], k, v)
        break
      case 'LABEL':
        config.Labels ??= {}
        for (const [k, v] of parseKeyValuePairs(value, 'LABEL')) config.Labels[k] = v
        break
      case 'ENTRYPOINT':
        config.Entrypoint = jsonStringArray(value) ?? ['/bin/sh', '-c', value]
        break
      case 'CMD':
        config.Cmd = jsonStringArray(value) ?? ['/bin/sh', '-c', value]
        break
      case 'VOLUME': {
        const volumes = jsonStringArray(value) ?? splitWords(value)
        if (volumes.length === 0) fail('must provide an argument to VOLUME')
        config.Volumes ??= {}
        for (const v of volumes) config.Volumes[v] = {}
        break
      }
      case 'WORKDIR':
        if (!value) fail('must provide a non-empty WORKDIR')
        config.WorkingDir = path.posix.resolve('/', config.WorkingDir ?? '/', value)
        break
      case 'STOPSIGNAL':
        parseStopSignal(value)
        config.StopSignal = value
        break
      case 'ONBUILD':
        config.OnBuild = [...(config.OnBuild ?? []), value]
        break
      default:
        fail(`invalid instruction ${instruction}`)
    }
  } catch (err) {
    if (err instanceof UsageError && err.message.startsWith('invalid change')) throw err
    fail((err as Error).message)
  }
}

/** Split "INSTRUCTION VALUE" (or "INSTRUCTION=VALUE"). */
export function splitChange(change: string): {instruction: string; value: string} {
  const text = change.trim()
  const m = /^([A-Za-z]+)(?:\s+|=)([\s\S]*)$/.exec(text)
  if (!m) throw new UsageError(`invalid change ${JSON.stringify(change)} - must be formatted as KEY VALUE`)
  return {instruction: m[1].toUpperCase(), value: m[2].trim()}
}

/** Check every change before anything is done with them. */
export function checkChanges(changes: string[]): void {
  applyChanges({}, changes)
}

/** The changes applied, in order, to a copy of `config`. */
export function applyChanges(config: RunConfig, changes: string[]): RunConfig {
  const out: RunConfig = structuredClone(config)
  for (const change of changes) {
    const {instruction, value} = splitChange(change)
    applyInstruction(out, instruction, value, change)
  }
  return out
}
