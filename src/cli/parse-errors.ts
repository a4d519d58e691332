// oclif's parse errors, reworded as Podman's (cobra's argument validators, pflag's flag errors).
import type {Command} from '@oclif/core'
import {Errors} from '@oclif/core'

import {CommandLineError, seeHelp} from './command-line-error'
import {programName} from './program-name'

type ArgsSpec = Pick<Command.Class, 'args' | 'strict' | 'flags'>

interface ParseErrorLike {
  parse?: {output?: {raw?: {type: string}[]}}
  flags?: string[]
}

function argCounts(spec: ArgsSpec): {min: number; max: number} {
  const args = Object.values(spec.args ?? {})
  return {min: args.filter((a) => a.required).length, max: spec.strict === false ? Infinity : args.length}
}

/** cobra's words for a wrong number of arguments (NoArgs, ExactArgs, MaximumNArgs, RangeArgs, MinimumNArgs). */
export function argCountMessage(spec: ArgsSpec, path: string[], received: number): string {
  const {min, max} = argCounts(spec)
  if (max === 0) return `\`${[programName(), ...path].join(' ')}\` takes no arguments`
  if (received < min && max === Infinity) return `requires at least ${min} arg(s), only received ${received}`
  if (min === max) return `accepts ${max} arg(s), received ${received}`
  if (min === 0) return `accepts at most ${max} arg(s), received ${received}`
  return `accepts between ${min} and ${max} arg(s), received ${received}`
}

/** How a flag was written on the command line: `--name` or its short form `-n`. */
function writtenShort(spec: ArgsSpec, name: string, argv: string[]): string | undefined {
  const char = spec.flags?.[name]?.char
  if (!char || argv.includes(`--${name}`) || argv.some((a) => a.startsWith(`--${name}=`))) return undefined
  return char
}

function unknownFlag(flag: string): string {
  if (flag.startsWith('--')) return `unknown flag: ${flag.split('=')[0]}`
  return `unknown shorthand flag: '${flag[1]}' in ${flag}`
}

/**
 * The Podman error for an oclif parse error of the command at `path` (the words typed), or the
 * error itself when it is not one.
 */
export function translateParseError(err: unknown, spec: ArgsSpec, path: string[], argv: string[]): unknown {
  if (!(err instanceof Error)) return err
  const e = err as Error & ParseErrorLike
  const received = e.parse?.output?.raw?.filter((t) => t.type === 'arg').length
  if (err instanceof Errors.CLIError && /^(Missing \d+ required args?|Unexpected arguments?:)/.test(err.message) && received !== undefined)
    return new CommandLineError(argCountMessage(spec, path, received))
  const see = seeHelp(path)
  if (e.flags && /^Nonexistent flags?:/.test(err.message)) return new CommandLineError(unknownFlag(e.flags[0]), see)
  const needsValue = /^Flag --(\S+) expects (a value|one of these values)/.exec(err.message)
  if (needsValue) {
    const short = writtenShort(spec, needsValue[1], argv)
    return new CommandLineError(short ? `flag needs an argument: '${short}' in -${short}` : `flag needs an argument: --${needsValue[1]}`, see)
  }
  const invalid = /^Expected --(\S+?)=(.*) to be one of: (.+)$/.exec(err.message.split('\n')[0])
  if (invalid) return new CommandLineError(`invalid argument "${invalid[2]}" for "--${invalid[1]}" flag: expected one of ${invalid[3]}`, see)
  const parsing = /^Parsing --(\S+)\s*\n\s*(.*)/.exec(err.message)
  if (parsing) {
    const inner = parsing[2].trim()
    return new CommandLineError(inner.startsWith('invalid argument') ? inner : `invalid argument for "--${parsing[1]}" flag: ${inner}`, see)
  }
  return err
}
