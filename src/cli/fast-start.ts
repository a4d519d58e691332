// A command run without oclif's Config: its id found in the build-time table (command-table.ts),
// its arguments rewritten as main.ts rewrites them, and its class run with a stand-in config
// (start-config.ts). oclif's own parser still parses them, so flags, values and parse errors are
// the same on both paths. What this path is not sure of takes oclif's full path: help, a group
// or an unknown command, remote flags, the commands that read oclif's config, oclif's DEBUG output.
import type {Command} from '@oclif/core'

import {type CommandFlags, type FlagShape, WORDS_NOT_PARSED, flagsEndAtFirstArg, prepareArgs} from './command-args'
import {type CommandTable, findCommand} from './command-table'
import {splitLeadingGlobals} from './global-flags'
import {asksForHelp} from './help/route'
import {takeRemoteFlags} from './remote'
import {asOclifConfig, startConfig} from './start-config'

/** Commands that read more of oclif's config than start-config.ts gives: the command tree, the version's details. */
const NEEDS_OCLIF_CONFIG = new Set([...WORDS_NOT_PARSED, 'version'])

export interface FastTarget {
  id: string
  /** the words that named it, as typed */
  path: string[]
  command: Command.Class
  /** its arguments as oclif's parser takes them */
  argv: string[]
}

/** A command's flags as oclif's config caches them: its base (global) flags, then its own. */
function flagsOf(command: Command.Class): CommandFlags['flags'] {
  return {...command.baseFlags, ...command.flags} as unknown as Record<string, FlagShape>
}

/** The command argv runs and its arguments, or undefined where oclif's full path must decide. */
export function fastTarget(table: CommandTable, argv: string[], load: (id: string) => Command.Class, env: NodeJS.ProcessEnv = process.env): FastTarget | undefined {
  if (env.DEBUG) return undefined
  const remote = takeRemoteFlags(argv, env)
  if (remote.by !== undefined) return undefined
  const {globals, rest} = splitLeadingGlobals(remote.argv)
  const found = findCommand(table, rest)
  if (!found || NEEDS_OCLIF_CONFIG.has(found.id)) return undefined
  const command = load(found.id)
  if (command.enableJsonFlag) return undefined
  const shape = {id: found.id, flags: flagsOf(command)}
  if (asksForHelp(shape, found.args, flagsEndAtFirstArg(shape))) return undefined
  return {id: found.id, path: found.path, command, argv: prepareArgs(shape, globals, found.args)}
}

type Runnable = {_run(): Promise<unknown>}

/** Run the target as oclif's Config.runCommand would (it has no hooks to run: buildCommandTable checked). */
export async function runFast(table: CommandTable, target: FastTarget): Promise<void> {
  // Config.load also leaves package.json's oclif.exitCodes for oclif's parse errors: tspod's
  // status of an error is exit-codes.ts's, which reads them in no path.
  const config = startConfig(table)
  target.command.id = target.id
  const command = new (target.command as unknown as new (argv: string[], config: unknown) => Runnable)(target.argv, asOclifConfig(config))
  await command._run()
}
