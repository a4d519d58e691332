// What a command line asks for before any command runs, as Podman's cobra root decides it:
// help (`--help`, `-h`, `help [command]`), a group without its subcommand, an unknown command or
// flag; or else the command to run and its arguments.
import type {Command} from '@oclif/core'

import type {FlagShape} from '../command-args'
import {CommandLineError, seeHelp} from '../command-line-error'
import {programName} from '../program-name'
import {BOOLEAN_GLOBAL_FLAGS, GLOBAL_FLAGS_WITH_VALUE} from '../global-flags'
import {type Node, findNode} from './command-tree'
import {renderHelp, renderUsage} from './render'

export type Route =
  | {kind: 'print'; text: string}
  /** print `text` (the usage) on stdout, then fail with `error` */
  | {kind: 'fail'; text?: string; error: CommandLineError}
  | {kind: 'run'; node: Node; command: Command.Loadable; args: string[]}

function commandPath(path: string[]): string {
  return [programName(), ...path].join(' ')
}

function isGlobalFlag(arg: string): boolean {
  const name = arg.split('=')[0]
  return GLOBAL_FLAGS_WITH_VALUE.has(name) || BOOLEAN_GLOBAL_FLAGS.has(name) || name === '--help' || name === '-h'
}

/**
 * Whether a command's arguments ask for its help: `--help`, or `-h` when the command has no
 * `-h` of its own (`run -h` is --hostname). Flags end at `--`, and at the first argument of a
 * command whose flags end there (`run IMAGE --help` is the container's).
 */
export function asksForHelp(command: {flags: Record<string, FlagShape>}, args: string[], flagsEndAtFirstArg: boolean): boolean {
  const ownH = Object.values(command.flags).some((f) => f.char === 'h')
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') return false
    if (!arg.startsWith('-') || arg === '-') {
      if (flagsEndAtFirstArg) return false
      continue
    }
    if (arg === '--help' || (arg === '-h' && !ownH)) return true
    const long = arg.startsWith('--')
    const flag = long ? command.flags[arg.slice(2)] : Object.values(command.flags).find((f) => f.char === arg[1])
    if (flag?.type === 'option' && (long ? !arg.includes('=') : arg.length === 2)) i++
  }
  return false
}

/** `tspod help [command]`: that command's help, or the root's usage after "Unknown help topic". */
function helpTopic(root: Node, words: string[]): Route {
  const {node, used} = findNode(root, words)
  if (used < words.length) return {kind: 'print', text: `Unknown help topic [\`${words.join(' ')}\`]\n${renderUsage(root)}`}
  return {kind: 'print', text: renderHelp(node)}
}

/** The route of argv (global flags already taken out) over the command tree. */
export function route(root: Node, argv: string[], flagsEndAtFirstArg: (command: Command.Loadable) => boolean): Route {
  const words: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-')) break
    words.push(arg)
  }
  const {node, used} = findNode(root, words)
  const rest = argv.slice(used)
  if (node.path[0] === 'help') {
    if (rest.includes('--help') || rest.includes('-h')) return {kind: 'print', text: renderHelp(node)}
    return helpTopic(root, rest.filter((a) => !a.startsWith('-')))
  }
  if (node.command) {
    if (asksForHelp(node.command, rest, flagsEndAtFirstArg(node.command))) return {kind: 'print', text: renderHelp(node)}
    return {kind: 'run', node, command: node.command, args: rest}
  }
  // the root or a group: cobra parses its flags first, then looks at the next word
  const unknown = rest.find((a) => a.startsWith('-') && a !== '--' && !isGlobalFlag(a))
  if (unknown) {
    const message = unknown.startsWith('--') ? `unknown flag: ${unknown.split('=')[0]}` : `unknown shorthand flag: '${unknown[1]}' in ${unknown}`
    return {kind: 'fail', error: new CommandLineError(message, seeHelp(node.path))}
  }
  if (used < words.length) {
    const error = new CommandLineError(
      `unrecognized command \`${commandPath([...node.path, words[used]])}\``,
      `Try '${commandPath(node.path)} --help' for more information`,
    )
    return {kind: 'fail', error}
  }
  if (rest.includes('--help') || rest.includes('-h')) return {kind: 'print', text: renderHelp(node)}
  return {kind: 'fail', text: renderHelp(node), error: new CommandLineError(`missing command '${commandPath(node.path)} COMMAND'`)}
}
