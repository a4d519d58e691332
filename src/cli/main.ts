// The CLI entry (bin/run.js loads it bundled as dist/tspod.js): run oclif, then print any error
// once, Podman style.
import {Command, Config, flush} from '@oclif/core'

import {loadHotPathModules} from '../engine/warm-up'
import {PACKAGE_ROOT} from '../package-info'
import {startTrace, tracePhase} from '../trace'
import {COMMANDS} from './commands'
import {isExit, printError} from './exit'
import {exitCodeFor} from './exit-codes'
import {splitLeadingGlobals} from './global-flags'
import {commandTree} from './help/command-tree'
import {route} from './help/route'
import {invocation} from './invocation'
import {noRemoteClient, takeRemoteFlags} from './remote'
import {keepLastFlagValues} from './repeated-flags'
import {warmStartPath} from './warm-start'

// package.json's oclif.commands and oclif.hooks name these exports of the bundle (dist/tspod.js).
export {COMMANDS}
export {default as commandNotFound} from '../hooks/command-not-found'

/**
 * What scripts/bundle.js runs before it writes the code cache: `run` and the Engine's lifecycle
 * verbs it loads when called, so a container starts with their code compiled; and the listing
 * commands that scripts call in loops, run once (warm-start.ts) with all of the start path.
 */
export async function warmCodeCache(): Promise<void> {
  for (const id of ['container:run', 'image:ls', 'container:ls', 'inspect', 'container:exists']) void COMMANDS[id]
  loadHotPathModules()
  await warmStartPath(main)
}

/**
 * Podman (cobra) accepts `--flag=VALUE` for boolean flags, VALUE as Go's strconv.ParseBool reads
 * it (1, t, T, true, TRUE, True and the same forms of false); oclif does not. Rewrite them to
 * `--flag` / `--no-flag` (or drop `=false` of a flag without a negation, false being its default);
 * the short form `-a=false` too.
 */
function normalizeBooleans(command: Command.Loadable, argv: string[]): string[] {
  const out: string[] = []
  for (const arg of argv) {
    if (arg === '--') return [...out, ...argv.slice(out.length)]
    const short = /^-([a-zA-Z])=(1|t|T|true|TRUE|True|0|f|F|false|FALSE|False)$/.exec(arg)
    const byChar = short ? Object.entries(command.flags).find(([, f]) => f.char === short[1]) : undefined
    const m = byChar ? ([arg, byChar[0], short![2]] as const) : /^--([^=]+)=(1|t|T|true|TRUE|True|0|f|F|false|FALSE|False)$/.exec(arg)
    const flag = m ? command.flags[m[1]] : undefined
    if (!m || !flag || flag.type !== 'boolean') {
      out.push(arg)
      continue
    }
    if (/^(1|t|true)$/i.test(m[2])) out.push(`--${m[1]}`)
    else if (flag.allowNo) out.push(`--no-${m[1]}`)
  }
  return out
}

/** Commands whose flags end at the first argument (cobra's SetInterspersed(false)): `run IMAGE CMD -x`. */
const FLAGS_END_AT_FIRST_ARG = new Set(['run', 'create', 'exec', 'container:run', 'container:create', 'container:exec', 'unshare'])

/** Commands whose words are data, never their flags: the completion request's command line. */
const WORDS_NOT_PARSED = new Set(['__complete'])

/** Insert `--` after the first argument, so that what follows is the container's command. */
function endFlagsAtFirstArg(command: Command.Loadable, argv: string[]): string[] {
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    if (arg === '--') return argv
    if (!arg.startsWith('-') || arg === '-') return [...argv.slice(0, i + 1), '--', ...argv.slice(i + 1)]
    const long = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined
    const flag =
      long !== undefined
        ? (command.flags[long] ?? Object.values(command.flags).find((f) => f.aliases?.includes(long)))
        : Object.values(command.flags).find((f) => f.char === arg[1])
    // "--flag value" and "-f value" consume the next word; "--flag=value" and "-fvalue" do not.
    const inlineValue = arg.includes('=') || (long === undefined && arg.length > 2)
    i += flag?.type === 'option' && !inlineValue ? 2 : 1
  }
  return argv
}

/** What runs: the command's arguments made oclif's (global flags moved behind the command). */
function prepareArgs(command: Command.Loadable, globals: string[], rest: string[]): string[] {
  if (WORDS_NOT_PARSED.has(command.id)) return [...globals, ...rest]
  let args = normalizeBooleans(command, rest)
  if (flagsEndAtFirstArg(command)) args = endFlagsAtFirstArg(command, args)
  return keepLastFlagValues(command.flags, [...globals, ...args])
}

function flagsEndAtFirstArg(command: Command.Loadable): boolean {
  return FLAGS_END_AT_FIRST_ARG.has(command.id)
}

export async function main(argv: string[]): Promise<void> {
  const debug = argv.some((a) => a === '--log-level=debug' || a === '--log-level=trace' || a === '--debug' || a === '-D') ||
    argv.some((a, i) => a === '--log-level' && /^(debug|trace)$/.test(argv[i + 1] ?? ''))
  // the level is known only once the command's flags are parsed: keep the marks until then
  if (debug) startTrace()
  tracePhase('module load')
  try {
    const config = await Config.load(PACKAGE_ROOT)
    tracePhase('oclif config')
    const remote = takeRemoteFlags(argv)
    invocation.remote = remote.by !== undefined
    const {globals, rest} = splitLeadingGlobals(remote.argv)
    const target = route(commandTree(config), rest, flagsEndAtFirstArg)
    if (target.kind === 'run' && remote.by !== undefined) throw noRemoteClient(remote.by)
    if (target.kind === 'print') {
      process.stdout.write(target.text)
    } else if (target.kind === 'fail') {
      if (target.text) process.stdout.write(target.text)
      throw target.error
    } else {
      invocation.path = target.node.path
      await config.runCommand(target.command.id, prepareArgs(target.command, globals, target.args))
    }
    await flush()
  } catch (err) {
    if (!isExit(err)) printError(err, debug)
    process.exitCode = exitCodeFor(err)
  }
}
