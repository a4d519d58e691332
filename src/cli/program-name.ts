// The name tspod calls itself in usage lines and messages: the name it was started by, as
// Podman's root command is named after os.Args[0] (`podman-remote`, or `docker` through a link).
// Started through its own entry script (`node bin/run.js`), it is tspod.
import * as path from 'node:path'

const ENTRY_SCRIPT = 'run.js'

export function programName(script: string | undefined = process.argv[1]): string {
  const base = script ? path.basename(script) : ''
  return base === '' || base === ENTRY_SCRIPT ? 'tspod' : base
}

/**
 * How to run this same tspod again (a label's `podman` stands for it, as Podman runs
 * /proc/self/exe), and the path it is shown by: its entry script as the user started it.
 */
export function selfInvocation(): {argv: string[]; shown: string} {
  const script = process.argv[1]
  return {argv: [process.execPath, ...process.execArgv, '--', script], shown: script}
}
