// Podman's global flags. Podman accepts them before the command (`tspod --root /x info`);
// oclif only parses flags after the command id, so main.ts moves them there.
import {Flags} from '@oclif/core'

import {LOG_LEVELS} from './log'

export const globalFlags = {
  root: Flags.string({description: 'Path to the graph root directory where images, containers, etc. are stored', helpGroup: 'GLOBAL'}),
  runroot: Flags.string({description: "Path to the 'run directory' where all state information is stored", helpGroup: 'GLOBAL'}),
  'storage-driver': Flags.string({description: 'Select which storage driver is used to manage storage of images and containers (overlay, vfs)', helpGroup: 'GLOBAL'}),
  'storage-opt': Flags.string({multiple: true, description: 'Used to pass an option to the storage driver', helpGroup: 'GLOBAL'}),
  volumepath: Flags.string({description: 'Path to the volume directory in which volume data is stored', helpGroup: 'GLOBAL'}),
  runtime: Flags.string({description: "Path or name of the OCI runtime for new containers (crun, runc); default: tspod's native runtime", helpGroup: 'GLOBAL'}),
  'cgroup-manager': Flags.string({description: 'Cgroup manager to use ("cgroupfs"|"systemd"); tspod manages no cgroups through either, so both change nothing', helpGroup: 'GLOBAL'}),
  'events-backend': Flags.string({description: 'Events backend to use ("file"|"none"; tspod has no journald backend)', helpGroup: 'GLOBAL'}),
  'runtime-flag': Flags.string({multiple: true, multipleNonGreedy: true, description: 'add global flags for the container runtime (each given to it as --FLAG; tspod\'s native runtime takes none)', helpGroup: 'GLOBAL'}),
  // hidden, as Podman's (its man pages call it a testing aid)
  'default-mounts-file': Flags.string({hidden: true, description: 'Path to default mounts file', helpGroup: 'GLOBAL'}),
  noout: Flags.boolean({description: "Do not output to stdout (a container's output still is)", helpGroup: 'GLOBAL'}),
  // checked by TspodCommand (an unknown level exits 1, as Podman's), so any value parses here
  'log-level': Flags.string({default: 'warn', description: `Log messages above specified level (${LOG_LEVELS.join(', ')})`, helpGroup: 'GLOBAL'}),
  // Docker's spelling of --log-level=debug
  debug: Flags.boolean({char: 'D', hidden: true, description: 'Docker compatibility, force setting of log-level', helpGroup: 'GLOBAL'}),
}

/** Global flags that take a value as the next argument when not written with `=`. */
export const GLOBAL_FLAGS_WITH_VALUE = new Set(['--cgroup-manager', '--default-mounts-file', '--events-backend', '--root', '--runroot', '--runtime', '--runtime-flag', '--log-level', '--storage-driver', '--storage-opt', '--volumepath'])

/** Global flags that take no value. */
export const BOOLEAN_GLOBAL_FLAGS = new Set(['--noout', '--debug', '-D'])

/**
 * Split leading global flags from the rest: `--root /x info -f json` →
 * {globals: ['--root', '/x'], rest: ['info', '-f', 'json']}.
 */
export function splitLeadingGlobals(argv: string[]): {globals: string[]; rest: string[]} {
  const globals: string[] = []
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    const name = arg.split('=')[0]
    if (BOOLEAN_GLOBAL_FLAGS.has(name)) {
      globals.push(arg)
      i++
      continue
    }
    if (!GLOBAL_FLAGS_WITH_VALUE.has(name)) break
    globals.push(arg)
    if (!arg.includes('=') && i + 1 < argv.length) globals.push(argv[++i])
    i++
  }
  return {globals, rest: argv.slice(i)}
}
