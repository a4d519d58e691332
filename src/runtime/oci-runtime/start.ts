// Run a container's bundle with an external OCI runtime (`--runtime crun|runc|PATH`), the way
// Podman runs crun rootless: a helper process in tspod's user and mount namespaces mounts the
// overlay rootfs, then execs `<runtime> run`, which creates, starts, waits for and deletes the
// container in the foreground; its exit status is the container's.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable, Writable} from 'node:stream'

import {ContainerStartError, ExecCannotInvokeError, ExecNotFoundError, TspodError} from '../../errors'
import {NamespaceName, StdioSpec} from '../../native'
import {explainPermissionError} from '../../storage/store/preflight/preflight'
import type {AccessWalk} from '../../storage/store/preflight/access-walk'
import type {IdMapping, UserNamespaceMapping} from '../../userns/idmap'
import {ChildExit, NamespacedChild, spawnInNamespaces} from '../../userns/spawn'
import type {HostUser} from '../../userns/user'
import {FUSE_OVERLAY_LOG, FuseOverlayConfig, FuseOverlayMount, mountFuseOverlay} from '../fuse-overlay'
import type {OciSpec} from '../oci-spec'
import {RootfsLayout, sysctlSteps} from '../plan'
import {externalRuntimeSpec, helperNetworkNamespace, helperSysctls, joinedUserNamespace, nestedUserNamespace, writeBundleConfig} from './bundle'
import {ConsoleSocket, listenConsoleSocket} from './console-socket'
import {helperSteps} from './helper-steps'
import {checkOciRuntimeAccess} from './preflight'
import {makeSearchable} from './reachable-dirs'
import {OciRuntimeInfo, identifyOciRuntime} from './resolve'
import {readRuntimeLog, runtimeError, runtimeFailure} from './runtime-error'

export interface OciRuntimeStart {
  /** 'crun', 'runc' (looked up in PATH) or a path to the runtime's executable */
  runtime: string
  /** --runtime-flag: global options for the runtime, each as --FLAG, before its verb */
  runtimeFlags?: string[]
  /** --preserve-fds: fds 3 .. 3+N-1 of this process go through the helper to the runtime (`run --preserve-fds N`) */
  preserveFds?: number
  /** the runtime's state dir (`--root`); default `<bundleDir>/runtime` */
  runtimeRoot?: string
  containerId: string
  /** the spec as generated for the native runtime: root.path = the merged dir, user namespace and id maps when rootless */
  spec: OciSpec
  layout: RootfsLayout
  /** the store's mapping; undefined when tspod runs as real root */
  mapping?: UserNamespaceMapping
  /** an existing private dir: config.json, the pid file and the runtime's log go there */
  bundleDir: string
  stdio: [StdioSpec, StdioSpec, StdioSpec]
  /** -t: the runtime sends the container's pty master over --console-socket (see consoleMaster); not with runc */
  tty?: boolean
  /** --group-add=keep-groups is in effect (the spec carries run.oci.keep_original_groups=1) */
  keepGroups: boolean
  /** who runs it, for the permission preflight; default the current process */
  user?: HostUser
  /**
   * tspod sets up the container's network (slirp4netns): the helper gets a new network
   * namespace, this runs with its pid before the runtime starts, and the runtime creates none.
   */
  network?: (helperPid: number) => Promise<void>
  /** SIGKILL the runtime's process if this one dies (default true); false: a detached container's monitor takes it over */
  dieWithParent?: boolean
  /**
   * storage.conf's mount_program: fuse-overlayfs mounts the rootfs into the helper's mount
   * namespace before the helper runs (instead of the helper's native overlay mount), and exits
   * by itself once the runtime's container and the helper have ended.
   */
  fuseOverlay?: FuseOverlayConfig
  /**
   * The user namespace the runtime runs in, joined by path: the rootless network namespace's for
   * a named network (its netns is in the spec by path). Default: the one the spec joins (a pod's,
   * a donor's), else a new one with the store's maps.
   */
  userNamespace?: string
  /**
   * Dirs besides the rootfs that the runtime reaches as the container's root when the container
   * has a user namespace of its own (its /etc files, volumes): made searchable as Podman does.
   */
  reachableDirs?: string[]
  /**
   * `init`: the helper mounts the rootfs (and the network is set up) and waits before it execs
   * the runtime, until release(); the runtime creates and starts the container then.
   */
  hold?: boolean
}

export interface OciRuntimeChild {
  /** the runtime process (`<runtime> run`); it forwards the signals it gets to the container */
  pid: number
  runtime: OciRuntimeInfo
  /** preflight findings that do not stop the run, one line each */
  warnings: string[]
  stdin?: Writable
  stdout?: Readable
  stderr?: Readable
  /** resolves once the runtime has started the container (its pid file is written); rejects as `exited` does when it fails first */
  started: Promise<void>
  /**
   * The container's exit status as the runtime reports it (a container killed by signal N is
   * code 128+N: the runtime, not tspod, is its parent). Rejects with ExecNotFoundError or
   * ExecCannotInvokeError when the runtime could not find or run the container's program or
   * enter its working directory, and with a plain TspodError for any other runtime failure
   * (failure-class.ts decides which).
   */
  exited: Promise<ChildExit>
  /** the container's init pid (in tspod's pid namespace), once started */
  containerPid(): Promise<number>
  /** with tty: the pty master the runtime sent, once `started` has resolved */
  consoleMaster(): number
  /** send a signal to the container's init directly (SIGKILL cannot go through the runtime) */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** with `hold`: resolves once the helper waits before the runtime; rejects as `exited` does */
  holding?: Promise<void>
  /** with `hold`: the helper execs the runtime */
  release?(): void
}

const PID_FILE = 'pidfile'
const LOG_FILE = 'oci-log'

/** The runtime's environment: enough to run, nothing of the container's (that is in config.json). */
function runtimeEnv(): string[] {
  return ['PATH', 'HOME', 'XDG_RUNTIME_DIR', 'TMPDIR', 'LANG']
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name]}`)
}

function runtimeArgs(runtime: OciRuntimeInfo, o: {flags?: string[]; preserveFds?: number; root: string; log: string; bundle: string; pidFile: string; consoleSocket?: string; id: string}): string[] {
  return [
    runtime.path,
    ...(o.flags ?? []),
    '--root',
    o.root,
    '--log',
    o.log,
    '--log-format',
    'json',
    'run',
    '--bundle',
    o.bundle,
    '--pid-file',
    o.pidFile,
    ...(o.consoleSocket ? ['--console-socket', o.consoleSocket] : []),
    ...(o.preserveFds ? ['--preserve-fds', String(o.preserveFds)] : []),
    o.id,
  ]
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10)
    return pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Resolves with the pid once the runtime has written it to `file` (watched through its dir). */
function watchPidFile(file: string): {pid: Promise<number>; stop(): void} {
  let watcher: fs.FSWatcher | undefined
  let done = false
  let settle: (pid: number) => void = () => undefined
  const pid = new Promise<number>((resolve) => {
    settle = (value) => {
      if (done) return
      done = true
      watcher?.close()
      resolve(value)
    }
  })
  const check = () => {
    const value = readPid(file)
    if (value !== undefined) settle(value)
  }
  watcher = fs.watch(path.dirname(file), check)
  watcher.on('error', () => undefined)
  check()
  return {
    pid,
    stop() {
      check()
      done = true
      watcher?.close()
    },
  }
}

/** A failure of the helper itself (its mounts, or exec'ing the runtime) is tspod's (EngineError), whatever its step. */
function helperError(err: unknown, runtime: OciRuntimeInfo, walks: AccessWalk[]): unknown {
  if (err instanceof ExecNotFoundError || err instanceof ExecCannotInvokeError) {
    const e = err as TspodError
    return new TspodError(`cannot run the OCI runtime \`${runtime.path}\`: ${e.message}`, {code: e.code, errno: e.errno, syscall: e.syscall, path: runtime.path, cause: err})
  }
  return explainPermissionError(err, walks)
}

export async function startWithOciRuntime(o: OciRuntimeStart): Promise<OciRuntimeChild> {
  const runtime = identifyOciRuntime(o.runtime)
  if (o.tty && runtime.kind === 'runc')
    throw new TspodError(
      `${runtime.name} cannot hand the container's terminal to tspod when it runs in the foreground (its --console-socket needs --detach): use --runtime crun or tspod's own runtime with -t`,
    )
  const rootless = o.mapping !== undefined
  if (rootless !== o.layout.rootless)
    throw new TspodError(`internal error: the rootfs layout is ${o.layout.rootless ? '' : 'not '}rootless but a store mapping is ${rootless ? '' : 'not '}given`)
  const sharedUser = joinedUserNamespace(o.spec)
  const userNamespace = o.userNamespace ?? sharedUser
  if (userNamespace && o.network) throw new TspodError(`internal error: a container joining the user namespace \`${userNamespace}\` gets no network of tspod's making`)
  const ownUser = sharedUser === undefined ? nestedRootIds(o.spec, o.mapping) : undefined
  if (ownUser) for (const dir of [o.layout.mergedDir, o.bundleDir, ...(o.reachableDirs ?? [])]) makeSearchable(dir, ownUser.uid, ownUser.gid)
  const {walks, warnings} = checkOciRuntimeAccess({
    runtime,
    layout: o.layout,
    mounts: o.spec.mounts ?? [],
    mapping: o.mapping,
    containerMaps: sharedUser ? undefined : o.spec.linux,
    keepGroups: o.keepGroups,
    user: o.user,
  })

  const bundleDir = path.resolve(o.bundleDir)
  const root = path.resolve(o.runtimeRoot ?? path.join(bundleDir, 'runtime'))
  fs.mkdirSync(root, {recursive: true, mode: 0o700})
  const pidFile = path.join(bundleDir, PID_FILE)
  const logFile = path.join(bundleDir, LOG_FILE)
  for (const file of [pidFile, logFile]) fs.rmSync(file, {force: true})
  const specOptions = {ownNetwork: o.network !== undefined, rootless: o.mapping}
  writeBundleConfig(bundleDir, externalRuntimeSpec(o.spec, o.layout.mergedDir, o.tty ?? false, specOptions))
  const sysctlWrites = sysctlSteps(helperSysctls(o.spec, specOptions)).map((step) => ({...step, inRoot: false}))
  const sysctlNetwork = helperNetworkNamespace(o.spec, specOptions)
  if (sysctlNetwork && !userNamespace) throw new TspodError(`internal error: the network namespace \`${sysctlNetwork}\` is joined without the user namespace that owns it`)

  let consoleSocket: ConsoleSocket | undefined
  if (o.tty) consoleSocket = await listenConsoleSocket()
  const namespaces: NamespaceName[] = [...(rootless && !userNamespace ? ['user' as const] : []), 'mount', ...(o.network ? ['net' as const] : [])]
  const argv = runtimeArgs(runtime, {flags: o.runtimeFlags, preserveFds: o.preserveFds, root, log: logFile, bundle: bundleDir, pidFile, consoleSocket: consoleSocket?.path, id: o.containerId})
  const layout: RootfsLayout = {...o.layout, mountedBy: o.fuseOverlay ? 'fuse-overlayfs' : undefined}
  let fuse: FuseOverlayMount | undefined
  const mountFuse = o.fuseOverlay
    ? async (helperPid: number) => {
        fuse = await mountFuseOverlay({
          ...o.fuseOverlay!,
          layout,
          pid: helperPid,
          userNamespace: rootless,
          logFile: path.join(bundleDir, FUSE_OVERLAY_LOG),
          dieWithParent: o.dieWithParent ?? true,
        })
      }
    : undefined
  const beforeRelease =
    mountFuse || o.network
      ? async (helperPid: number) => {
          await mountFuse?.(helperPid)
          await o.network?.(helperPid)
        }
      : undefined
  let child: NamespacedChild
  try {
    child = await spawnInNamespaces({
      namespaces,
      ...(userNamespace ? {join: {paths: [{namespace: 'user' as const, path: userNamespace}, ...(sysctlNetwork ? [{namespace: 'net' as const, path: sysctlNetwork}] : [])]}} : {mapping: o.mapping}),
      steps: [...helperSteps({layout, runtime, bundleDir, rootless}), ...(o.network ? [{kind: 'loopback_up' as const, name: 'bring up lo'}] : []), ...sysctlWrites],
      command: {file: runtime.path, argv, env: runtimeEnv(), cwd: bundleDir},
      stdio: o.stdio,
      beforeRelease,
      dieWithParent: o.dieWithParent ?? true,
      preserveFds: o.preserveFds,
      hold: o.hold,
    })
  } catch (err) {
    consoleSocket?.close()
    await fuse?.finished()
    throw helperError(err, runtime, walks)
  }

  const pidWatch = watchPidFile(pidFile)
  const exited: Promise<ChildExit> = child.exited.then(
    (status) => {
      if (status.code !== 0 && status.code !== null) {
        const failure = runtimeFailure(readRuntimeLog(logFile))
        if (failure) throw explainPermissionError(runtimeError(runtime.name, failure), walks)
        // no container pid and nothing logged: the runtime refused its own command line (an
        // unknown --runtime-flag), having said why on stderr; Podman reports an OCI runtime error
        if (!fs.existsSync(pidFile))
          throw new ContainerStartError(`OCI runtime error: ${runtime.name} exited with status ${status.code} before it started the container`)
      }
      return status
    },
    (err) => Promise.reject(helperError(err, runtime, walks)),
  ).finally(() => fuse?.finished())
  const finished = exited.then(
    () => undefined,
    () => undefined,
  )
  void finished.then(() => {
    pidWatch.stop()
    consoleSocket?.close()
    cleanUpAfterAbnormalExit(root, o.containerId, pidFile, child)
  })

  let master: number | undefined
  const ready = Promise.all([pidWatch.pid, consoleSocket ? consoleSocket.master.then((fd) => (master = fd)) : undefined])
  const started = Promise.race([
    ready.then(() => undefined),
    exited.then(() => {
      // the container ran and exited before the pid file was seen: it did start
    }),
  ])
  started.catch(() => undefined) // callers may only await `exited`
  exited.catch(() => undefined)

  const containerPid = async (): Promise<number> => {
    await started
    const pid = readPid(pidFile)
    if (pid === undefined) throw new TspodError(`the OCI runtime ${runtime.name} wrote no pid file \`${pidFile}\``)
    return pid
  }
  const holding = child.holding?.catch((err) => Promise.reject(helperError(err, runtime, walks)))
  holding?.catch(() => undefined)
  return {
    ...(holding ? {holding, release: child.release} : {}),
    pid: child.pid,
    runtime,
    warnings,
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    started,
    exited,
    containerPid,
    consoleMaster() {
      if (!o.tty) throw new TspodError('the container has no terminal (run it with tty)')
      if (master === undefined) throw new TspodError(`the OCI runtime ${runtime.name} has not sent the container terminal`)
      return master
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const pid = await containerPid()
      try {
        process.kill(pid, signal)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
      }
    },
  }
}

/** The host ids of the container's root when it gets a user namespace nested in the store's (keep-id, nomap, auto). */
function nestedRootIds(spec: OciSpec, mapping: UserNamespaceMapping | undefined): {uid: number; gid: number} | undefined {
  const {uidMappings, gidMappings} = spec.linux ?? {}
  if (!mapping || !uidMappings || !gidMappings || !nestedUserNamespace(uidMappings, gidMappings, mapping)) return undefined
  const hostId = (map: IdMapping[]) => map.find((m) => m.containerID === 0)?.hostID
  const uid = hostId(uidMappings)
  const gid = hostId(gidMappings)
  return uid === undefined || gid === undefined ? undefined : {uid, gid}
}

/**
 * `<runtime> run` deletes the container when it ends. If the runtime itself was killed, its
 * container may still run (the runtime, not tspod, was its parent) and its state is left behind:
 * kill the container's init (the rest of its pid namespace goes with it) and drop the state.
 */
function cleanUpAfterAbnormalExit(root: string, id: string, pidFile: string, child: NamespacedChild): void {
  const state = path.join(root, id)
  if (!fs.existsSync(state)) return
  void child.exited.then(
    (status) => {
      if (status.signal === null) return
      const pid = readPid(pidFile)
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      fs.rmSync(state, {recursive: true, force: true})
    },
    () => fs.rmSync(state, {recursive: true, force: true}),
  )
}
