// The name tspod calls itself in usage lines and messages. tspod stands in for Podman, so under
// its own names (the `tspod` command, or `node bin/run.js`) it speaks as `podman`: "Usage: podman
// ps [options]", "See 'podman run --help'", the words scripts and users of Podman look for, as
// the container's `container=podman` says. Started by any other name (a link named `docker`),
// it uses that name, as Podman's root command is named after os.Args[0].
import * as fs from 'node:fs'
import * as path from 'node:path'

const OWN_NAMES = new Set(['', 'run.js', 'tspod'])

/** The name the user typed to start this process: what a completion script must complete. */
export function invokedName(script: string | undefined = process.argv[1]): string {
  const base = script ? path.basename(script) : ''
  return base === '' || base === 'run.js' ? 'tspod' : base
}

export function programName(script: string | undefined = process.argv[1]): string {
  const base = script ? path.basename(script) : ''
  return OWN_NAMES.has(base) ? 'podman' : base
}

/**
 * How to run this same tspod again (a label's `podman` stands for it, as Podman runs
 * /proc/self/exe), and the path it is shown by: its entry script as the user started it.
 */
export function selfInvocation(): {argv: string[]; shown: string} {
  const script = process.argv[1]
  return {argv: [process.execPath, ...process.execArgv, '--', script], shown: script}
}

/** The command line that started this process, as Podman records os.Args: tspod's entry script, then the arguments. */
export function commandLine(argv: string[] = process.argv): string[] {
  return [argv[1] ?? 'tspod', ...argv.slice(2)]
}

/** The tspod CLI the user ran, as a unit's Exec line must name it (Podman's os.Executable()): its real path. */
export function executablePath(script: string | undefined = process.argv[1]): string {
  if (!script) return '/usr/bin/podman'
  try {
    return fs.realpathSync(script)
  } catch {
    return script
  }
}
