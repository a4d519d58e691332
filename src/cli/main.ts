// The CLI entry (bin/run.js loads it bundled as dist/tspod.js): run oclif, then print any error
// once, Podman style.
import {Config, flush} from '@oclif/core'

import {loadHotPathModules} from '../engine/warm-up'
import {PACKAGE_ROOT} from '../package-info'
import {startTrace, tracePhase} from '../trace'
import {flagsEndAtFirstArg, prepareArgs} from './command-args'
import {readCommandTable} from './command-table'
import {COMMANDS} from './commands'
import {isExit, printError} from './exit'
import {exitCodeFor} from './exit-codes'
import {fastTarget, runFast} from './fast-start'
import {splitLeadingGlobals} from './global-flags'
import {commandTree} from './help/command-tree'
import {route} from './help/route'
import {invocation} from './invocation'
import {noRemoteClient, takeRemoteFlags} from './remote'
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

export async function main(argv: string[]): Promise<void> {
  const debug = argv.some((a) => a === '--log-level=debug' || a === '--log-level=trace' || a === '--debug' || a === '-D') ||
    argv.some((a, i) => a === '--log-level' && /^(debug|trace)$/.test(argv[i + 1] ?? ''))
  // the level is known only once the command's flags are parsed: keep the marks until then
  if (debug) startTrace()
  tracePhase('module load')
  try {
    const table = readCommandTable(PACKAGE_ROOT)
    const fast = table && fastTarget(table, argv, (id) => COMMANDS[id])
    if (fast) {
      tracePhase('command lookup')
      invocation.path = fast.path
      await runFast(table, fast)
    } else await fullStart(argv)
    await flush()
    // a detached terminal's process runs on with nothing more to print: its watch must not hold this one
    if (invocation.leftRunning) process.exit()
  } catch (err) {
    if (!isExit(err)) printError(err, debug)
    process.exitCode = exitCodeFor(err)
  }
}

/** oclif's path: its Config, help, errors of the command line, the unknown command's hook. */
async function fullStart(argv: string[]): Promise<void> {
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
}
