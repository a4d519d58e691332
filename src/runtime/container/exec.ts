// `exec`: a new process in a running container. A native child joins the container's
// namespaces (user first, mount last; a second fork enters its pid namespace) and runs the
// same process steps as the container's own process: groups, ids, umask, capabilities.
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'

import {TspodError, UsageError} from '../../errors'
import type {NamespaceName, StdioSpec} from '../../native'
import type {Store} from '../../storage/store/store'
import {NamespacedChild, spawnInNamespaces} from '../../userns/spawn'
import type {OciProcess, OciSpec} from '../oci-spec'
import {processSteps} from '../plan'
import {EnvMap, parseEnvEntries, parseEnvFile} from '../../specgen/env'
import type {ContainerSpec} from '../../specgen/container-spec'
import {resolveUser} from '../spec/user'
import {Container} from './config'
import {sharedNamespaces} from './dependencies'
import {containerLayout} from './launch'
import {seccompCacheDir} from './paths'
import {isAlive} from './records'
import {isRunning} from './report'

export interface ExecOptions {
  command: string[]
  interactive?: boolean
  tty?: boolean
  /** -e KEY=VAL, KEY, PREFIX* */
  env?: string[]
  envFile?: string[]
  /** -u name|uid[:group|gid]: resolved through the container's /etc/passwd and /etc/group */
  user?: string
  /** -w */
  workdir?: string
  /** --privileged is not supported; caps are the container's */
  /**
   * -d: the process outlives the CLI (no parent-death signal, never reaped here); it ends with
   * the container, whose pid namespace it is in.
   */
  detach?: boolean
  /** --detach-keys, as written; undefined: containers.conf's detach_keys, else ctrl-p,ctrl-q */
  detachKeys?: string
}

/** Podman's OCI namespace names → the primitive's. */
const JOINED: Record<string, NamespaceName> = {user: 'user', ipc: 'ipc', uts: 'uts', network: 'net', pid: 'pid', cgroup: 'cgroup', mount: 'mount'}

/** The namespaces of a running container, as a child joins them. */
/** The namespaces of the container's spec, and those it shares with another container, which its spec leaves to each start. */
export function joinedNamespaces(spec: OciSpec, containerSpec: ContainerSpec): NamespaceName[] {
  const own = (spec.linux?.namespaces ?? []).map((ns) => JOINED[ns.type]).filter((n): n is NamespaceName => n !== undefined)
  return [...new Set([...own, ...(Object.keys(sharedNamespaces(containerSpec)) as NamespaceName[])])]
}

function execEnv(spec: OciSpec, options: ExecOptions): string[] {
  const env: EnvMap = new Map()
  for (const entry of spec.process.env ?? []) {
    const eq = entry.indexOf('=')
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
  for (const file of options.envFile ?? []) parseEnvFile(file, process.env, env)
  parseEnvEntries(options.env ?? [], process.env, env)
  return [...env].map(([k, v]) => `${k}=${v}`)
}

/** A file bound over the container's own (its /etc/passwd with the users tspod added): what the container sees there. */
function boundFile(spec: OciSpec, destination: string): string | undefined {
  const mount = spec.mounts?.find((m) => m.destination === destination && m.type === 'bind')
  if (!mount?.source) return undefined
  try {
    return fs.readFileSync(mount.source, 'utf8')
  } catch {
    return undefined
  }
}

function execProcess(store: Store, c: Container, options: ExecOptions): OciProcess {
  const spec = c.config.spec
  let user = spec.process.user
  if (options.user) {
    const layout = containerLayout(store, c)
    const resolved = resolveUser({
      layerDirs: [layout.upperDir, ...layout.lowerDirs],
      user: options.user,
      gidMappings: spec.linux?.gidMappings,
      extraPasswd: boundFile(spec, '/etc/passwd'),
      extraGroup: boundFile(spec, '/etc/group'),
    })
    user = {uid: resolved.uid, gid: resolved.gid, additionalGids: resolved.additionalGids, umask: spec.process.user.umask}
  }
  return {
    ...spec.process,
    terminal: options.tty ?? false,
    user,
    args: options.command,
    env: execEnv(spec, options),
    cwd: options.workdir ?? spec.process.cwd,
  }
}

export async function execInContainer(store: Store, c: Container, options: ExecOptions, stdio: [StdioSpec, StdioSpec, StdioSpec]): Promise<NamespacedChild> {
  if (options.command.length === 0) throw new UsageError('must provide a non-empty command to start an exec session')
  if (!isRunning(c.state) || !isAlive(c.state.pid, c.state.pidStart)) throw new TspodError('can only create exec sessions on running containers: container state improper')
  if (options.workdir !== undefined && !options.workdir.startsWith('/')) throw new UsageError(`workdir "${options.workdir}" must be an absolute path`)
  const spec: OciSpec = {...c.config.spec, process: execProcess(store, c, options)}
  const steps = processSteps(spec, store.mapping, {seccompCacheDir: seccompCacheDir(store)})
  const proc = spec.process
  return spawnInNamespaces({
    namespaces: [],
    join: {pid: c.state.pid, namespaces: joinedNamespaces(spec, c.config.containerSpec)},
    steps,
    command: {file: proc.args[0], argv: proc.args, env: proc.env ?? [], cwd: proc.cwd},
    stdio,
    console: options.tty ?? false,
    // a session the user can detach from (-it) lives on without this process, as under conmon
    dieWithParent: !options.detach && !(options.tty && options.interactive),
    noReap: options.detach,
  })
}

/**
 * After a detach (or for `exec -d -t`): the session's terminal stays open without this process, its output read and
 * discarded (as conmon does for a session nobody is attached to), so the process neither gets a
 * hangup nor blocks on a full terminal. The reader (cat) ends when the session's side closes.
 */
export function keepTerminalOpen(master: number): void {
  const reader = spawn('cat', [], {stdio: [master, 'ignore', 'ignore'], detached: true})
  reader.on('error', () => undefined) // no cat: the session gets its hangup, as if nobody held it
  reader.unref()
}
