// The flags of a recorded create command that `generate systemd --new` must know about, read as
// Podman reads them (pflag with unknown flags allowed, stopping at the first argument), and the
// filters that drop what the unit sets itself (--rm, --cgroups, --cidfile, --restart, --pod ...).
import {UsageError} from '../errors'

export interface FlagDefinition {
  long: string
  short?: string
  /** bool: takes no value unless --flag=VALUE; string: the last value; array: every value */
  kind: 'bool' | 'string' | 'array'
}

export interface ParsedFlags {
  /** by long name, every value given in order */
  values: Map<string, string[]>
  /** the number of arguments after the flags (the image, command and its arguments) */
  nArg: number
}

/**
 * pflag's parse of `args` against `flags`, interspersed off and unknown flags allowed: an
 * unknown --flag (or -f) without `=` takes the next word as its value unless that starts with -,
 * as pflag's stripUnknownFlagValue does; the first other word ends the flags.
 */
export function parseKnownFlags(args: string[], flags: FlagDefinition[]): ParsedFlags {
  const values = new Map<string, string[]>()
  const set = (flag: FlagDefinition, value: string) => {
    if (flag.kind === 'bool') parseGoBool(value, flag)
    values.set(flag.long, [...(values.get(flag.long) ?? []), value])
  }
  let rest = args
  while (rest.length > 0) {
    const word = rest[0]
    rest = rest.slice(1)
    if (word.length < 2 || !word.startsWith('-')) return {values, nArg: rest.length + 1}
    if (word === '--') return {values, nArg: rest.length}
    if (word.startsWith('--')) {
      const [name, ...valueParts] = word.slice(2).split('=')
      if (name === '') throw new UsageError(`parsing remaining command-line arguments: bad flag syntax: ${word}`)
      const flag = flags.find((f) => f.long === name)
      if (!flag) {
        if (valueParts.length === 0) rest = withoutUnknownValue(rest)
        continue
      }
      if (valueParts.length > 0) set(flag, valueParts.join('='))
      else if (flag.kind === 'bool') set(flag, 'true')
      else if (rest.length > 0) {
        set(flag, rest[0])
        rest = rest.slice(1)
      } else throw new UsageError(`parsing remaining command-line arguments: flag needs an argument: ${word}`)
      continue
    }
    rest = parseShorthands(word.slice(1), rest, flags, set)
  }
  return {values, nArg: 0}
}

/** A cluster of shorthands (-dit, -efoo, -e=foo); as pflag, each letter sees the words after the cluster. */
function parseShorthands(cluster: string, after: string[], flags: FlagDefinition[], set: (flag: FlagDefinition, value: string) => void): string[] {
  let shorthands = cluster
  let rest = after
  while (shorthands.length > 0) {
    const letter = shorthands[0]
    const flag = flags.find((f) => f.short === letter)
    let next = shorthands.slice(1)
    rest = after
    if (!flag) {
      if (shorthands.length > 2 && shorthands[1] === '=') next = ''
      else rest = withoutUnknownValue(after)
    } else if (shorthands.length > 2 && shorthands[1] === '=') {
      set(flag, shorthands.slice(2))
      next = ''
    } else if (flag.kind === 'bool') {
      set(flag, 'true')
    } else if (shorthands.length > 1) {
      set(flag, shorthands.slice(1))
      next = ''
    } else if (after.length > 0) {
      set(flag, after[0])
      rest = after.slice(1)
    } else {
      throw new UsageError(`parsing remaining command-line arguments: flag needs an argument: '${letter}' in -${shorthands}`)
    }
    shorthands = next
  }
  return rest
}

function withoutUnknownValue(rest: string[]): string[] {
  if (rest.length === 0 || rest[0].startsWith('-')) return rest
  return rest.slice(1)
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** Go's strconv.ParseBool, with pflag's message for a bad value. */
export function parseGoBool(value: string, flag?: FlagDefinition): boolean {
  if (GO_TRUE.has(value)) return true
  if (GO_FALSE.has(value)) return false
  const name = flag ? (flag.short ? `-${flag.short}, --${flag.long}` : `--${flag.long}`) : 'bool'
  throw new UsageError(`parsing remaining command-line arguments: invalid argument "${value}" for "${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`)
}

/** The last value of a string or bool flag; undefined when it was not given. */
export function lastValue(parsed: ParsedFlags, long: string): string | undefined {
  return parsed.values.get(long)?.at(-1)
}

/** `fn` over the flags part of `args`, the last `argCount` words (image, command) kept as they are. */
function onFlagsPart(args: string[], argCount: number, fn: (flags: string[]) => string[]): string[] {
  const split = args.length - argCount
  return [...fn(args.slice(0, split)), ...args.slice(split)]
}

/** Drops `--NAME VALUE` and `--NAME=VALUE` of the value flags, and `--NAME`/`--NAME=...` of the bool ones. */
function dropFlags(args: string[], argCount: number, valueFlags: string[], boolFlags: string[] = []): string[] {
  return onFlagsPart(args, argCount, (flags) => {
    const kept: string[] = []
    for (let i = 0; i < flags.length; i++) {
      const word = flags[i]
      if (boolFlags.includes(word)) continue
      if (valueFlags.includes(word)) {
        i++
        continue
      }
      if ([...valueFlags, ...boolFlags].some((f) => word.startsWith(`${f}=`))) continue
      kept.push(word)
    }
    return kept
  })
}

/** Without --rm, --cgroups, --cidfile and --restart: the unit sets its own. */
export function withoutCommonContainerFlags(args: string[], argCount: number): string[] {
  return dropFlags(args, argCount, ['--cgroups', '--cidfile', '--restart'], ['--rm'])
}

/** Without --pod, --pod-id-file and --infra-conmon-pidfile: the pod's unit gives its own. */
export function withoutPodFlags(args: string[], argCount: number): string[] {
  return dropFlags(args, argCount, ['--pod', '--pod-id-file', '--infra-conmon-pidfile'])
}

export function withoutSdNotify(args: string[], argCount: number): string[] {
  return dropFlags(args, argCount, ['--sdnotify'])
}

/** Without these exact words in the flags part (-d=false, --replace=false). */
export function withoutWords(args: string[], argCount: number, words: string[]): string[] {
  return onFlagsPart(args, argCount, (flags) => flags.filter((w) => !words.includes(w)))
}
