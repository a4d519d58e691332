// Start a created container's process and record it as running; its exit is recorded by
// whoever waits for it: the foreground CLI (recordExit), or for a detached container its
// monitor (tspod-monitor and its cleanup step, see detach.ts).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainerStartError, TspodError, errorOfClass} from '../../errors'
import type {JoinTarget, StdioSpec} from '../../native'
import type {BridgeNetworkMode} from '../../specgen/container-spec'
import {secretEnv} from '../secret/container-secrets'
import {rewriteEtcFiles, writeBridgeEtcFiles} from './etc-files'
import {shareHostsFile} from './shared-hosts'
import {configFilePath} from '../../storage/config/storage-conf'
import type {HeldLock} from '../../storage/store/lockfile'
import {ensureMappedLayers} from '../../storage/store/mapped-layers/mapped-layers-build'
import type {Store} from '../../storage/store/store'
import {processStartTime} from '../../storage/store/owner'
import {ChildExit, NamespacedChild, spawnInNamespaces} from '../../userns/spawn'
import {FUSE_OVERLAY_LOG, FuseOverlayMount, explainNativeOverlayFailure, fuseOverlayConfig, mountFuseOverlay} from '../fuse-overlay'
import {NetworkHandle, prepareSlirp4netns, startSlirp4netns} from '../network/slirp4netns'
import type {OciNamespaceType, OciSpec} from '../oci-spec'
import {ContainerPlan, RootfsLayout, planContainer} from '../plan'
import {startFailureClass} from '../failure-class'
import {explainProcMountRefusal} from '../proc-mount-refusal'
import {statRootfsPath} from '../spec/rootfs-files'
import {Container, ContainerConfig, ContainerState, hasProcesses} from './config'
import {markHealthStarting} from './health-log'
import {isActiveHealthcheck} from '../../specgen/healthcheck'
import {containerLowerDirs} from '../../storage/store/mapped-layers/mapped-layers'
import {dependencies, joinedNamespacePaths} from './dependencies'
import {removeExitFile} from './exit-file'
import {clearExecSessions} from './exec-sessions'
import {withContainerLock} from './lock'
import {bundleDir, containerDirs, pastaPidFile, seccompCacheDir, monitorPidFileOf} from './paths'
import {containerPreflight} from './preflight'
import {checkPreservedFds, preserveFdsNeedForeground} from './preserve-fds'
import {notifyStarted, withNotifySocket} from './sd-notify'
import {socketActivation} from './socket-activation'
import {checkCgroupsMode} from './cgroups-mode'
import {ContainerRecords} from './records'
import {tracePhase} from '../../trace'

export interface LaunchOptions {
  stdio: [StdioSpec, StdioSpec, StdioSpec]
  /** a pty for the container (the spec's process.terminal) */
  tty: boolean
  /**
   * SIGKILL the container (or the external runtime's process) if this process dies (default
   * true). False for a detached container, which its monitor takes over once this one has exited.
   */
  dieWithParent?: boolean
  /** the process recorded as the container's monitor (ConmonPid); default this one */
  monitorPid?: number
  /**
   * An fd slirp4netns watches instead of one only this process holds: it then runs until every
   * copy of the fd's other end is closed (the detached monitor's), not until this process ends.
   */
  networkExitFd?: number
  /**
   * --preserve-fds: this process's fds 3 .. 3+N-1 go into the container; set by a foreground
   * start (its caller's fds). A detached start (the monitor) has none to pass.
   */
  preserveFds?: number
  /** the times its restart policy has started it again since the user last did (kept in its state) */
  restartCount?: number
  /**
   * `init`: the container's process is made (namespaces, mounts, network) and held before its
   * program, recorded as initialized; Launched.release runs the program.
   */
  hold?: boolean
  /** the terminal's size to start with, when not this process's (the detached monitor's attached CLI's) */
  consoleSize?: {height: number; width: number}
}

export interface Launched {
  child: NamespacedChild
  /** the container's init on the host */
  initPid: number
  /** preflight warnings, one line each */
  warnings: string[]
  /** the container's exit, with kernel permission errors explained */
  exited: Promise<ChildExit>
  /** with `hold`: resolves once the process waits before its program (rejects: the step that failed) */
  holding?: Promise<void>
  /** with `hold`: the program runs, and the container is recorded as running */
  release?(): Promise<void>
}

/** 128 + signal for a process killed by a signal, as Podman reports it. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code
  const signals = os.constants.signals as Record<string, number>
  return 128 + (exit.signal ? signals[exit.signal] : 0)
}

export function containerLayout(store: Store, container: Container): RootfsLayout {
  const image = store.images.get(container.config.imageId)
  if (!image) throw new TspodError(`the image ${container.config.imageId} of container ${container.config.id} is missing from the store`)
  const dirs = containerDirs(store, container.config.id)
  // a full-copy driver's (vfs) upper dir is the whole root: no lower dirs, nothing for fuse-overlayfs
  const fullCopy = store.layout.driver.fullCopies
  return {
    lowerDirs: fullCopy ? [] : containerLowerDirs(store, image, container.config.spec.linux),
    upperDir: dirs.upper,
    workDir: dirs.work,
    mergedDir: dirs.merged,
    rootless: store.mapping !== undefined,
    ...(!fullCopy && fuseOverlayConfig(store.config) ? {mountedBy: 'fuse-overlayfs' as const} : {}),
  }
}

/** The bundle dir; config.json in it (an external runtime writes its own form of it there). */
function writeBundle(store: Store, container: Container): void {
  const dir = bundleDir(store, container.config.id)
  fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  removeExitFile(store, container.config.id)
  clearExecSessions(store, container.config.id)
  if (!container.config.runtime) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(container.config.spec, null, 2), {mode: 0o600})
}

interface Spawned {
  child: NamespacedChild
  /** slirp4netns, when the container has it; stopped once the container ends */
  network?: NetworkHandle
  /** fuse-overlayfs serving the rootfs (storage.conf's mount_program); it exits once the container has */
  fuse?: FuseOverlayMount
  /** the container's init on the host (the external runtime's child, with --runtime) */
  initPid: number
  /** with `hold` and --runtime: the container's init once released (the runtime creates it then) */
  releasedPid?: () => Promise<number>
  warnings: string[]
  explain(err: unknown): unknown
}

/**
 * The spec with process.consoleSize, when the container gets a terminal and ours is one: the
 * program then starts with our window size (set later by attachTerminal, `stty size` could
 * still read 0 0), as Podman puts it in the spec.
 */
function withConsoleSize(spec: OciSpec, tty: boolean, given?: {height: number; width: number}): OciSpec {
  const stdout = process.stdout
  if (given && tty && spec.process) return {...spec, process: {...spec.process, consoleSize: given}}
  if (!tty || !stdout.isTTY || !spec.process || !stdout.rows || !stdout.columns) return spec
  return {...spec, process: {...spec.process, consoleSize: {height: stdout.rows, width: stdout.columns}}}
}

async function spawnNative(store: Store, container: Container, layout: RootfsLayout, options: LaunchOptions): Promise<Spawned> {
  const {config} = container
  refuseRuntimeFlags(config.containerSpec.runtimeFlags)
  const preflight = containerPreflight(store, config.spec.mounts ?? [], layout, containerDirs(store, config.id).userdata, config.keepGroups)
  const plan = planContainer(withConsoleSize(config.spec, options.tty, options.consoleSize), layout, {seccompCacheDir: seccompCacheDir(store), storeMapping: store.mapping})
  if (plan.joins.length > 0) return await spawnJoining(container, plan, layout, options, preflight.warnings)
  const explain = (err: unknown) =>
    explainNativeOverlayFailure(preflight.explain(explainProcMountRefusal(err)), store.config.configFile ?? configFilePath())
  const fuse = fuseStarter(store, container, layout, plan.namespaces.includes('user'), options)
  const bridge = config.containerSpec.network.kind === 'bridge' ? await startBridgeNetworks(store, container, fuse !== undefined) : undefined
  const network = bridge ? undefined : await networkStarter(store, config, options.networkExitFd)
  try {
    const child = await spawnInNamespaces({
      namespaces: bridge ? plan.namespaces.filter((n) => n !== 'user' && n !== 'net') : plan.namespaces,
      ...(bridge ? {join: bridge.join} : {mapping: plan.mapping}),
      steps: plan.steps,
      command: plan.command,
      stdio: options.stdio,
      console: options.tty,
      dieWithParent: options.dieWithParent ?? true,
      preserveFds: options.preserveFds,
      hold: options.hold,
      beforeRelease: fuse?.start,
      // slirp4netns comes up while the child mounts the rootfs; the program starts once it is ready
      besideSteps: network?.start,
    })
    // joined by path, the child forks into its pid namespace: the container's init is its child
    const initPid = bridge ? await onlyChildOf(child.pid) : child.pid
    return {child, network: bridge?.handle ?? network?.handle(), fuse: fuse?.handle(), initPid, warnings: preflight.warnings, explain}
  } catch (err) {
    await Promise.all([bridge?.handle.stop(), network?.handle()?.stop(), fuse?.handle()?.finished()])
    throw explain(err)
  }
}

/**
 * --runtime-flag is for an external runtime's global options (crun's --debug, --log-level...);
 * tspod's native runtime has none, so it fails the start as crun does an option it does not
 * know: an OCI runtime error (126), nothing started.
 */
function refuseRuntimeFlags(flags: string[] | undefined): void {
  if (!flags || flags.length === 0) return
  throw new ContainerStartError(
    `OCI runtime error: tspod: unrecognized runtime option '${flags[0]}': tspod's native runtime takes no runtime flags (they are for --runtime crun or runc)`,
  )
}

/** The one child of `pid` (found through /proc: not every kernel has /proc/<pid>/task/<pid>/children); `pid` if none comes. */
async function onlyChildOf(pid: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(entry)) continue
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) return Number(entry)
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return pid
}

/**
 * A container sharing another's namespaces: the child joins the donor's user namespace and the
 * shared ones, then makes its own; with a pid namespace it forks into it, and the program there
 * is the container's init (the intermediate process only forwards signals and exits like it).
 */
async function spawnJoining(container: Container, plan: ContainerPlan, layout: RootfsLayout, options: LaunchOptions, warnings: string[]): Promise<Spawned> {
  if (layout.mountedBy) throw new TspodError(`container ${container.config.id} shares another container's namespaces: storage.conf's mount_program is not supported for it`)
  const child = await spawnInNamespaces({
    namespaces: plan.namespaces,
    join: {paths: plan.joins},
    steps: plan.steps,
    command: plan.command,
    stdio: options.stdio,
    console: options.tty,
    dieWithParent: options.dieWithParent ?? true,
    hold: options.hold,
  })
  let initPid = child.pid
  if (plan.namespaces.includes('pid') || plan.joins.some((j) => j.namespace === 'pid')) {
    await (child.holding ?? child.started).catch(() => undefined) // a failure shows in child.exited
    initPid = await onlyChildOf(child.pid)
  }
  return {child, initPid, warnings, explain: (err) => explainProcMountRefusal(err)}
}

/** The spec with the variables of the container's env secrets (--secret type=env), read at each start. */
function withSecretEnv(store: Store, container: Container): Container {
  const env = secretEnv(store.config.graphRoot, container.config.containerSpec.secrets)
  const {spec} = container.config
  if (env.length === 0 || !spec.process) return container
  const names = new Set(env.map((e) => e.slice(0, e.indexOf('='))))
  const kept = (spec.process.env ?? []).filter((e) => !names.has(e.split('=')[0]))
  return {...container, config: {...container.config, spec: {...spec, process: {...spec.process, env: [...kept, ...env]}}}}
}

/** The spec with the namespaces the container shares with others (their files, their user namespace's first) at this start. */
function withJoinedNamespaces(spec: OciSpec, joins: {namespace: string; path: string}[]): OciSpec {
  if (joins.length === 0) return spec
  const type = (ns: string): OciNamespaceType => (ns === 'net' ? 'network' : (ns as OciNamespaceType))
  const joined = joins.map((j) => ({type: type(j.namespace), path: j.path}))
  const own = (spec.linux?.namespaces ?? []).filter((n) => !joined.some((j) => j.type === n.type))
  return {...spec, linux: {...spec.linux, namespaces: [...joined, ...own]}}
}

/**
 * storage.conf's mount_program: fuse-overlayfs mounts the rootfs into the held child's mount
 * namespace before it runs its steps (layout.mountedBy makes the plan skip the overlay step).
 */
function fuseStarter(
  store: Store,
  container: Container,
  layout: RootfsLayout,
  userNamespace: boolean,
  options: {dieWithParent?: boolean},
): {start: (pid: number) => Promise<void>; handle(): FuseOverlayMount | undefined} | undefined {
  const fuse = fuseOverlayConfig(store.config)
  if (!fuse || layout.mountedBy !== 'fuse-overlayfs') return undefined
  let handle: FuseOverlayMount | undefined
  return {
    start: async (pid) => {
      handle = await mountFuseOverlay({
        ...fuse,
        layout,
        pid,
        userNamespace,
        logFile: path.join(bundleDir(store, container.config.id), FUSE_OVERLAY_LOG),
        dieWithParent: options.dieWithParent ?? true,
      })
    },
    handle: () => handle,
  }
}

/** slirp4netns or pasta for a container that has it: host ports checked (and picked) before anything starts. */
async function networkStarter(
  store: Store,
  config: Container['config'],
  exitFd: number | undefined,
): Promise<{start: (pid: number) => Promise<void>; handle(): NetworkHandle | undefined} | undefined> {
  const mode = config.containerSpec.network
  if (mode.kind === 'pasta') {
    const {preparePasta, startPasta} = await import('../network/pasta')
    const ports = await preparePasta(config.ports)
    const pidFile = pastaPidFile(store, config.id)
    let handle: NetworkHandle | undefined
    return {
      start: async (pid) => {
        handle = await startPasta({pid, ports, options: mode.options, pidFile})
      },
      handle: () => handle,
    }
  }
  if (config.network !== 'slirp4netns') return undefined
  const settings = mode.kind === 'slirp4netns' ? mode.options : undefined
  const ports = await prepareSlirp4netns({...settings, ports: config.ports})
  let handle: NetworkHandle | undefined
  return {
    start: async (pid) => {
      handle = await startSlirp4netns({...settings, pid, ports, exitFd})
    },
    handle: () => handle,
  }
}

/**
 * Named networks: the container's netns made and set up by netavark in the rootless netns, its
 * /etc/hosts and /etc/resolv.conf written with the addresses it got; the container joins the
 * rootless netns' user namespace and its netns by path, and makes its other namespaces there.
 */
async function startBridgeNetworks(store: Store, container: Container, fuse: boolean): Promise<{join: Extract<JoinTarget, {paths: unknown}>; handle: NetworkHandle}> {
  if (fuse) throw new TspodError('named networks cannot be combined with storage.conf\'s mount_program (fuse-overlayfs) in tspod yet')
  const {ContainerNetworks} = await import('../network/netavark/netavark')
  const mode = container.config.containerSpec.network as BridgeNetworkMode
  const networks = new ContainerNetworks(store)
  const who = {id: container.config.id, name: container.config.name}
  const setup = await networks.setup(who, mode, container.config.ports)
  let stopping: Promise<void> | undefined
  let ended!: () => void
  const exited = new Promise<void>((resolve) => (ended = resolve))
  const stop = (): Promise<void> => {
    stopping ??= networks.teardown(who, mode).catch(() => undefined).finally(ended)
    return stopping
  }
  try {
    await writeBridgeEtcFiles(store, container, setup.status)
  } catch (err) {
    await stop()
    throw err
  }
  return {
    join: {paths: [{namespace: 'user', path: `/proc/${setup.holderPid}/ns/user`}, {namespace: 'net', path: setup.netnsPath}]},
    handle: {pid: setup.holderPid, ports: setup.ports, exited, stop, networks: setup.status},
  }
}

/** --runtime: the external runtime runs the same spec; tspod only mounts its rootfs (see oci-runtime/). */
/** The workdir is in a bind mount or a volume, or on the way to one (the runtime creates the dirs above a mount). */
function onMount(container: Container, workdir: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer.replace(/\/$/, '')}/`)
  return (container.config.spec.mounts ?? []).some((m) => m.type === 'bind' && (within(workdir, m.destination) || within(m.destination, workdir)))
}

/**
 * crun and runc create a missing working directory; Podman refuses a -w that does not exist in
 * the container before it calls them, as tspod's own runtime fails its chdir step, unless a
 * volume or bind mount holds it (libpod's resolveWorkDir).
 */
function checkWorkdir(container: Container, layout: RootfsLayout): void {
  const workdir = container.config.containerSpec.workdir
  if (workdir === undefined || onMount(container, workdir)) return
  const entry = statRootfsPath([layout.upperDir, ...layout.lowerDirs], workdir, {followSymlinks: true})
  if (entry?.type !== 'directory')
    throw errorOfClass(startFailureClass({step: 'chdir', code: 'ENOENT'}), `workdir "${workdir}" does not exist on container ${container.config.id}`)
}

async function spawnWithRuntime(store: Store, container: Container, layout: RootfsLayout, options: LaunchOptions): Promise<Spawned> {
  const {config} = container
  checkWorkdir(container, layout)
  const fuse = layout.mountedBy === 'fuse-overlayfs' ? fuseOverlayConfig(store.config) : undefined
  const joins = (config.spec.linux?.namespaces ?? []).some((ns) => ns.path)
  if (joins && fuse) throw new TspodError(`container ${config.id} shares another container's namespaces: storage.conf's mount_program is not supported for it`)
  // a named network: netavark sets up the netns in the rootless netns; the runtime runs in that
  // namespace's user namespace and joins the netns by path, as Podman hands it to crun
  const bridge = config.containerSpec.network.kind === 'bridge' ? await startBridgeNetworks(store, container, fuse !== undefined) : undefined
  // a container joining another's namespaces has no network of its own making, as with the native runtime
  const network = bridge || joins ? undefined : await networkStarter(store, config, options.networkExitFd)
  const networkHandle = () => bridge?.handle ?? network?.handle()
  const netns = bridge?.join.paths.find((p) => p.namespace === 'net')
  const spec = withConsoleSize(netns ? withJoinedNamespaces(config.spec, [netns]) : config.spec, options.tty, options.consoleSize)
  const {startWithOciRuntime} = await import('../oci-runtime')
  const child = await startWithOciRuntime({
    runtime: config.runtime!,
    runtimeFlags: config.containerSpec.runtimeFlags,
    preserveFds: options.preserveFds,
    containerId: config.id,
    spec,
    layout,
    mapping: store.mapping,
    bundleDir: bundleDir(store, config.id),
    stdio: options.stdio,
    tty: options.tty,
    keepGroups: config.keepGroups,
    network: network?.start,
    userNamespace: bridge?.join.paths.find((p) => p.namespace === 'user')?.path,
    reachableDirs: [containerDirs(store, config.id).userdata, store.layout.volumesDir],
    dieWithParent: options.dieWithParent ?? true,
    fuseOverlay: fuse,
    hold: options.hold,
  }).catch(async (err) => {
    await networkHandle()?.stop()
    throw err
  })
  const releasedPid = () => child.containerPid().catch(() => child.pid)
  // held, the runtime has not run yet: the helper holding the rootfs and network is the process
  if (options.hold) return {child, network: networkHandle(), initPid: child.pid, releasedPid, warnings: child.warnings, explain: (err) => err}
  await child.started.catch(() => undefined) // a failure shows in child.exited
  const initPid = await releasedPid()
  return {child, network: networkHandle(), initPid, warnings: child.warnings, explain: (err) => err}
}

/** The namespace files of the containers this one shares namespaces with, started first as Podman does when they are not running. */
async function namespacesToJoin(store: Store, records: ContainerRecords, container: Container): Promise<{namespace: string; path: string}[]> {
  const deps = dependencies(container)
  if (deps.length === 0) return []
  const {startDetachedOnce} = await import('./detach')
  for (const id of deps) {
    const dep = records.get(id)
    // a paused one's namespaces are there to join
    if (dep && !hasProcesses(dep.state)) await startDetachedOnce(store, records, id)
  }
  return joinedNamespacePaths(records, container)
}

export async function launchContainer(store: Store, records: ContainerRecords, container: Container, options: LaunchOptions): Promise<Launched> {
  const {config} = container
  // made at create; made again if it went missing (a container older than its store's copies)
  const image = store.images.get(config.imageId)
  if (image) await ensureMappedLayers(store, image, config.spec.linux)
  const joins = await namespacesToJoin(store, records, container)
  if (joins.length > 0) container = {...container, config: {...config, spec: withJoinedNamespaces(config.spec, joins)}}
  container = withNotifySocket(withSecretEnv(store, container))
  const sharedHosts = shareHostsFile(store, records, container)
  if (sharedHosts) container = sharedHosts.container
  let warnings: string[] = []
  try {
    // a foreground start: the caller's fds are there to pass
    const activation = options.preserveFds === undefined ? undefined : socketActivation(container, options.preserveFds, process.env)
    if (activation) {
      container = activation.container
      options = {...options, preserveFds: activation.preserveFds}
      warnings = activation.warnings
    }
    const launched = await launchPrepared(store, records, container, options, sharedHosts?.release)
    if (warnings.length > 0) launched.warnings = [...warnings, ...launched.warnings]
    return launched
  } catch (err) {
    sharedHosts?.release()
    throw err
  }
}

async function launchPrepared(store: Store, records: ContainerRecords, container: Container, options: LaunchOptions, release: (() => void) | undefined): Promise<Launched> {
  const {config} = container
  const layout = containerLayout(store, container)
  writeBundle(store, container)
  await rewriteEtcFiles(store, container, layout.lowerDirs)
  if (config.volumes.length > 0) {
    const {VolumeStore, prepareVolumes, processUserInStoreIds} = await import('../volume')
    await prepareVolumes(VolumeStore.open(store), config.volumes, {lowerDirs: layout.lowerDirs, fullRoot: store.layout.driver.fullCopies ? layout.upperDir : undefined}, processUserInStoreIds(store.mapping, config.spec))
  }
  if (config.containerSpec.mounts.some((m) => m.options.includes('U'))) {
    const {VolumeStore, chownSources, processUserInStoreIds, sourcesToChown} = await import('../volume')
    const volumes = VolumeStore.open(store)
    await chownSources(store.mapping, sourcesToChown(config.containerSpec.mounts, (name) => volumes.mountpoint(name)), processUserInStoreIds(store.mapping, config.spec))
  }
  checkPreservedFdsFor(config.containerSpec.preserveFds ?? 0, options.preserveFds)
  checkCgroupsMode(config.containerSpec.cgroups)
  tracePhase('bundle')
  const monitorPid = options.monitorPid ?? process.pid
  // before the container's process exists: a bad path fails the start with nothing running
  writeMonitorPidFile(monitorPidFileOf(store, config), monitorPid)
  const spawned = config.runtime ? await spawnWithRuntime(store, container, layout, options) : await spawnNative(store, container, layout, options)
  const running: ContainerState = {
    status: options.hold ? 'initialized' : 'running',
    pid: spawned.initPid,
    pidStart: processStartTime(spawned.initPid),
    monitorPid,
    monitorStart: processStartTime(monitorPid),
    ...(options.hold ? {} : {startedAt: new Date().toISOString()}),
    exitCode: 0,
    ports: spawned.network?.ports,
    ...(spawned.network?.networks ? {networks: spawned.network.networks} : {}),
    ...(options.restartCount ? {restartCount: options.restartCount} : {}),
  }
  const exited = spawned.child.exited
    .finally(() => Promise.all([spawned.network?.stop(), spawned.fuse?.finished(), release?.()]))
    .catch((err) => Promise.reject(spawned.explain(err)))
  exited.catch(() => undefined)
  const launched: Launched = {child: spawned.child, initPid: spawned.initPid, warnings: spawned.warnings, exited}
  if (options.hold) {
    const holding = spawned.child.holding!.catch((err) => Promise.reject(spawned.explain(err)))
    holding.catch(() => undefined)
    launched.holding = holding
    launched.release = async () => {
      spawned.child.release!()
      const pid = spawned.releasedPid ? await spawned.releasedPid() : spawned.initPid
      records.saveState(config.id, {...running, status: 'running', pid, pidStart: processStartTime(pid), startedAt: new Date().toISOString()})
      healthStarting(store, config)
      const warning = notifyStarted(config, monitorPid)
      if (warning) launched.warnings = [...launched.warnings, warning]
    }
  }
  records.saveState(config.id, running)
  if (!options.hold) {
    healthStarting(store, config)
    const warning = notifyStarted(config, monitorPid)
    if (warning) launched.warnings = [...launched.warnings, warning]
  }
  return launched
}

/** A container with a healthcheck is "starting" at each start, until a check tells otherwise. */
function healthStarting(store: Store, config: ContainerConfig): void {
  if (isActiveHealthcheck(config.healthcheck)) markHealthStarting(store, config.id)
}

/** --preserve-fds: the caller's fds for a foreground start; none for a detached one. */
function checkPreservedFdsFor(wanted: number, passed: number | undefined): void {
  if (wanted === 0) return
  if (passed === undefined) throw preserveFdsNeedForeground(wanted)
  checkPreservedFds(wanted)
}

/** --conmon-pidfile: replaced at each start (Podman's conmon overwrites it too), no newline as Podman. */
function writeMonitorPidFile(file: string, pid: number): void {
  try {
    fs.writeFileSync(file, String(pid))
  } catch (err) {
    throw new ContainerStartError(`writing the monitor's pid file ${file}: ${(err as Error).message}: give --conmon-pidfile a path in a writable directory`, {cause: err})
  }
}

/** The exit code recorded for a container whose program never ran (Podman's). */
export const NEVER_RAN_EXIT_CODE = 0

/**
 * Wait for the container's end and record it: exited with its code, or back to created with
 * the error when its process never started. A program that never ran has no exit code: 0, as
 * Podman 4.3.1 records it (inspect's State.ExitCode, `wait`); the CLI's status for the error is
 * src/cli/exit-codes.ts's. The record is written under the container's lock, unless `lockHeld`
 * (the monitor's setup step, while the CLI that starts the container holds it).
 */
export async function recordExit(
  records: ContainerRecords,
  container: Container,
  launched: Launched,
  options: {lockHeld?: boolean; timedOut?: () => boolean} = {},
): Promise<number> {
  const id = container.config.id
  const save = (state: (current: ContainerState) => ContainerState): Promise<void> | void => {
    const write = (held?: HeldLock) => {
      const current = records.get(id)
      if (current) records.saveState(id, state(current.state))
      else held?.releaseAndRemove() // removed meanwhile (rm -f)
    }
    return options.lockHeld ? write() : withContainerLock(records.store, id, write)
  }
  try {
    const exit = await launched.exited
    // killed by --timeout: -1, as Podman records it
    const exitCode = options.timedOut?.() ? -1 : exitCodeOf(exit)
    await save((current) => ({...current, status: 'exited', pid: 0, exitCode, finishedAt: new Date().toISOString()}))
    return exitCode
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    await save((current) => ({...current, status: 'created', pid: 0, exitCode: NEVER_RAN_EXIT_CODE, error: message, finishedAt: new Date().toISOString()}))
    throw err
  }
}
