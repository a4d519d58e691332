// Podman's remote-client flags: -r/--remote, --url, -c/--connection, --identity, and the
// CONTAINER_HOST / CONTAINER_CONNECTION variables, which make Podman a client of a Podman
// service. tspod has no such client (and no service): they are taken as Podman takes them, before
// the command only, and a command asked to run remotely fails with one line and exit 125.
import {TspodError} from '../errors'
import {BOOLEAN_GLOBAL_FLAGS, GLOBAL_FLAGS_WITH_VALUE} from './global-flags'
import {invokedName} from './program-name'

const REMOTE_BOOLEAN = new Set(['--remote', '-r'])
const REMOTE_WITH_VALUE = new Set(['--url', '--connection', '-c', '--identity'])

/** How root help lists them (pflag's layout is made by render.ts). */
export const REMOTE_FLAG_HELP = [
  {name: 'connection', char: 'c', type: 'option', description: 'Connection to use for remote Podman service (tspod has no remote client)'},
  {name: 'identity', type: 'option', description: 'path to SSH identity file, (CONTAINER_SSHKEY)'},
  {name: 'remote', char: 'r', type: 'boolean', description: 'Access remote Podman service (tspod has no remote client)'},
  {name: 'url', type: 'option', description: 'URL to access Podman service (CONTAINER_HOST)'},
] as const

export interface RemoteRequest {
  /** argv without the remote flags */
  argv: string[]
  /** what asked for a remote service: a flag or a variable; undefined when nothing did */
  by?: string
}

/** Take the remote flags out of the leading (global) flags; those after the command stay, to be refused as unknown. */
export function takeRemoteFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): RemoteRequest {
  const out: string[] = []
  let by: string | undefined
  let i = 0
  for (; i < argv.length; i++) {
    const arg = argv[i]
    const name = arg.split('=')[0]
    if (REMOTE_BOOLEAN.has(name)) {
      by ??= name
      continue
    }
    if (REMOTE_WITH_VALUE.has(name)) {
      by ??= name
      if (!arg.includes('=')) i++
      continue
    }
    if (BOOLEAN_GLOBAL_FLAGS.has(name)) out.push(arg)
    else if (GLOBAL_FLAGS_WITH_VALUE.has(name)) {
      out.push(arg)
      if (!arg.includes('=') && i + 1 < argv.length) out.push(argv[++i])
    } else break
  }
  if (!by && env.CONTAINER_HOST) by = 'CONTAINER_HOST'
  if (!by && env.CONTAINER_CONNECTION) by = 'CONTAINER_CONNECTION'
  return {argv: [...out, ...argv.slice(i)], by}
}

export function noRemoteClient(by: string): TspodError {
  return new TspodError(`${invokedName()} has no remote client to reach a Podman service (asked for by ${by}): run ${invokedName()} without it`)
}
