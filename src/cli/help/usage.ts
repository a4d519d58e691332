// A command's one-line synopsis, as Podman's cobra `Use:` reads: `tspod image rm [options] IMAGE [IMAGE...]`.
// Derived from the command's own definition (its args, whether it takes more, its flags), so a new
// command's help and its argument checks never disagree; a command may still set oclif's `usage`.
import type {Command} from '@oclif/core'

import {globalFlags} from '../global-flags'

const GLOBAL_FLAG_NAMES = new Set(Object.keys(globalFlags))

type ArgLike = {name?: string; required?: boolean}

/** The flags a command's help lists under Options: its own, not the global ones, not hidden ones. */
export function ownFlags(command: Command.Loadable): Command.Flag.Cached[] {
  return Object.entries(command.flags)
    .filter(([name, flag]) => !GLOBAL_FLAG_NAMES.has(name) && !flag.hidden)
    .map(([name, flag]) => ({...flag, name}))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** `containers` → CONTAINER: the placeholder of an argument, upper case, one item of a list. */
function placeholder(name: string, variadic: boolean): string {
  const upper = name.toUpperCase().replace(/-/g, '_')
  return variadic && upper.length > 1 && upper.endsWith('S') && !upper.endsWith('SS') ? upper.slice(0, -1) : upper
}

/** The arguments part: required ones first as NAME, optional ones as [NAME], the last one repeatable when the command takes more. */
export function argsSynopsis(command: Pick<Command.Loadable, 'args' | 'strict'>): string {
  const args = Object.entries(command.args ?? {}).map(([name, arg]) => ({...(arg as ArgLike), name}))
  const variadic = command.strict === false
  return args
    .map((arg, i) => {
      const last = i === args.length - 1
      const name = placeholder(arg.name, variadic && last)
      if (last && variadic) return arg.required ? `${name} [${name}...]` : `[${name}...]`
      return arg.required ? name : `[${name}]`
    })
    .join(' ')
}

/** `[options] ARGS`, as the synopsis ends after the command's path. */
export function synopsisTail(command: Command.Loadable): string {
  if (command.usage) return Array.isArray(command.usage) ? command.usage[0] : command.usage
  const parts = ownFlags(command).length > 0 ? ['[options]'] : []
  const args = argsSynopsis(command)
  if (args) parts.push(args)
  return parts.join(' ')
}
