// The container lifecycle verbs of the Engine: create (pull-if-missing), run, start, stop, kill,
// restart, rm, wait and exec, with the `--rm` clean-up and the foreground loop each written once.
// engine.ts loads this module when one of them is called.
import * as fs from 'node:fs'

import {TspodError, UsageError} from '../errors'
import type {StdioSpec} from '../native'
import {followForeground, runAttached} from '../runtime/container/attach'
import {stopPodIfDone} from '../runtime/pod/exit-policy'
import {NetworkConfigs} from '../runtime/network/netavark/config'
import {PodConfig, PodRecords} from '../runtime/pod/records'
import {Container, hasProcesses} from '../runtime/container/config'
import type {Created} from '../runtime/container/create'
import {removalOrder} from '../runtime/container/dependencies'
import {initDetachedOnce, startDetachedAttached, startDetachedOnce} from '../runtime/container/detach'
import type {ExecOptions} from '../runtime/container/exec'
import {DEFAULT_DETACH_KEYS, parseDetachKeys} from '../runtime/detach-keys'
import {loadContainersConf} from '../storage/config/containers-conf'
import {newExecSessionId, recordExecSession, removeExecSession} from '../runtime/container/exec-sessions'
import {exitCodeOf} from '../runtime/container/launch'
import {healthStatusOf} from '../runtime/container/health-log'
import {preserveFdsNeedForeground} from '../runtime/container/preserve-fds'
import {CONTAINER_STATES, parseContainerFilters} from '../runtime/container/filter'
import {ContainerRecords, NoSuchContainerError} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import {isRunning} from '../runtime/container/report'
import {ContainerStateError, killContainer, stopContainer, waitForState} from '../runtime/container/stop'
import {parseGoDuration} from '../runtime/time-value'
import type {RegistriesConfig} from '../storage/image/config/registries-conf'
import {removeImages} from '../storage/store/images/remove'
import type {Store} from '../storage/store/store'
import {removeIfAutoRemove} from './auto-remove'
import {CreateEvents, CreateInput, createFromImage} from './create'
import type {AttachOptions, RunEvents, RunOptions, RunResult, Targets} from './engine'
import type {TargetEvents, WarningEvents} from './events'
import type {EventRecorder} from '../events/recorder'
import {tracePhase} from '../trace'

export class ContainerLifecycle {
  constructor(
    readonly store: Store,
    readonly records: ContainerRecords,
    private readonly registries: RegistriesConfig,
    private readonly events: EventRecorder,
  ) {}

  /** The image event of create's pull-if-missing (Podman's libimage writes it whether or not it pulled), then the container's. */
  private async created(input: CreateInput, container: Container): Promise<void> {
    await this.events.image('pull', '', input.image)
    await this.events.container(container.config, 'create')
  }

  /** `--rm`: the container removed once it ended, and its remove event. */
  private async autoRemove(container: Container): Promise<void> {
    const there = this.records.get(container.config.id) !== undefined
    await removeIfAutoRemove(this.store, this.records, container)
    if (there && container.config.autoRemove && !this.records.get(container.config.id)) await this.events.container(container.config, 'remove')
  }

  /** The --detach-keys bytes: as given, else containers.conf's, else ctrl-p,ctrl-q. */
  private detachKeys(given: string | undefined): Buffer {
    return parseDetachKeys(given ?? loadContainersConf().detachKeys ?? DEFAULT_DETACH_KEYS)
  }

  /**
   * `run -it`, `start -ai`: the container started under its monitor with this process attached
   * from the start, as Podman's; returns its exit code, undefined when the user detached (it
   * runs on).
   */
  private async startMonitoredAttached(container: Container, detachKeys: Buffer, events: WarningEvents & {onStarted?: (id: string) => void}): Promise<number | undefined> {
    const {store, records} = this
    const {followMonitored} = await import('../runtime/container/attach-monitored')
    const id = container.config.id
    const stdout = process.stdout
    const consoleSize = stdout.isTTY && stdout.rows && stdout.columns ? {height: stdout.rows, width: stdout.columns} : undefined
    const {warnings, connection} = await startDetachedAttached(store, records, id, {events: this.events.config, consoleSize})
    warnings.forEach((w) => events.onWarning?.(w))
    if (!connection) throw new ContainerStateError(`container ${id} is already running: container state improper`)
    events.onStarted?.(id)
    await this.events.container(container.config, 'attach')
    return await followMonitored(records, container, connection, {tty: true, stdin: true, closeStdinAtEnd: false, detachKeys, sigProxy: true})
  }

  /** `attach`: this terminal attached to a running container's monitor; its exit code, undefined on a detach. */
  async attach(name: string, options: AttachOptions = {}): Promise<number | undefined> {
    const {store, records} = this
    const {connectToRunning, followMonitored, refuseUnlessRunning} = await import('../runtime/container/attach-monitored')
    const container = records.lookup(name)
    const id = container.config.id
    // as Podman's: the state is checked first, the keys as the attach begins
    refuseUnlessRunning(container)
    let detachKeys: Buffer
    try {
      detachKeys = this.detachKeys(options.detachKeys)
    } catch (err) {
      throw new UsageError(`attaching to container ${id}: ${(err as Error).message}`)
    }
    const connection = await connectToRunning(store, container)
    await this.events.container(container.config, 'attach')
    const tty = container.config.spec.process.terminal ?? false
    const stdin = !options.noStdin && (container.config.containerSpec.interactive ?? false)
    // as Podman's, --sig-proxy is for a container without a terminal (with one, ^C is a byte typed)
    const sigProxy = (options.sigProxy ?? true) && !tty
    const code = await followMonitored(records, container, connection, {tty, stdin, closeStdinAtEnd: false, detachKeys, sigProxy})
    if (code !== undefined) await stopPodIfDone(records, container)
    return code
  }

  /** With a terminal and -i, a foreground start goes under the monitor, attached (the detach keys can leave it running). */
  private attachesToMonitor(container: Container, interactive: boolean): boolean {
    return interactive && (container.config.spec.process.terminal ?? false) && !container.config.containerSpec.preserveFds
  }

  /** A foreground start's init, start and attach events. */
  private async startedAttached(container: Container): Promise<void> {
    for (const status of ['init', 'start', 'attach']) await this.events.container(container.config, status)
  }

  /** Run `action` for each named container; errors go to onError as they come, except those `ignore` accepts. */
  private async eachContainer(
    records: ContainerRecords,
    names: string[],
    action: (c: Container, name: string) => Promise<void | boolean> | void | boolean,
    events: TargetEvents,
    ignore: (err: unknown) => boolean = () => false,
  ): Promise<unknown[]> {
    const errors: unknown[] = []
    for (const name of names) {
      try {
        // false: nothing was done to it, and nothing is told
        if ((await action(records.lookup(name), name)) !== false) events.onDone?.(name)
      } catch (err) {
        if (ignore(err)) continue
        events.onError?.(err)
        errors.push(err)
      }
    }
    return errors
  }

  /** `create`: the image (pulled if missing) and a new container from it. */
  async create(input: CreateInput, events: CreateEvents = {}): Promise<Created> {
    const {store, records} = this
    const created = await createFromImage(store, records, this.registries, input, events)
    await this.created(input, created.container)
    return created
  }

  /** `run`: create, then start in the foreground (returns the exit code) or under the monitor (-d). */
  async run(input: CreateInput, options: RunOptions, events: RunEvents = {}): Promise<RunResult> {
    const {store, records} = this
    // nothing created for what a detached start cannot do (launch.ts checkPreservedFds)
    if (options.detach && input.spec.preserveFds) throw preserveFdsNeedForeground(input.spec.preserveFds)
    const detachKeys = options.detach ? undefined : this.detachKeys(options.detachKeys)
    const {container, warnings} = await createFromImage(store, records, this.registries, input, events)
    await this.created(input, container)
    tracePhase('spec')
    const id = container.config.id
    warnings.forEach((w) => events.onWarning?.(w))
    if (!options.detach && this.attachesToMonitor(container, options.interactive ?? false)) {
      let exitCode: number | undefined
      try {
        exitCode = await this.startMonitoredAttached(container, detachKeys!, events)
      } finally {
        // detached: it runs on, --rm and --rmi wait for its end
        if (exitCode !== undefined) await this.endOfForegroundRun(input, container, options, events)
      }
      return {id, exitCode}
    }
    if (options.detach) {
      try {
        for (const w of await startDetachedOnce(store, records, id, {events: this.events.config})) events.onWarning?.(w)
      } catch (err) {
        await this.autoRemove(container)
        throw err
      }
      return {id}
    }
    let exitCode: number
    let started: Promise<void> = Promise.resolve()
    try {
      exitCode = await runAttached(store, records, container, {
        interactive: options.interactive ?? false,
        log: !container.config.autoRemove,
        streams: options.streams,
        onLaunched: (launched) => {
          launched.warnings.forEach((w) => events.onWarning?.(w))
          events.onStarted?.(id)
          started = this.startedAttached(container)
        },
      })
      await started
      await this.events.container(container.config, 'died', exitCode)
    } finally {
      await started
      await this.endOfForegroundRun(input, container, options, events)
    }
    return {id, exitCode}
  }

  /** Once a foreground run's container has ended: --rm, its pod's exit policy, --rmi. */
  private async endOfForegroundRun(input: CreateInput, container: Container, options: RunOptions, events: RunEvents): Promise<void> {
    await this.autoRemove(container)
    await stopPodIfDone(this.records, container)
    tracePhase('clean-up')
    if (options.removeImage) {
      const report = await removeImages(this.store, [input.image], {force: false, all: false, registries: this.registries})
      report.errors.forEach((err) => events.onImageRemovalError?.(err))
    }
  }

  /**
   * The containers `start` acts on, as Podman picks them: with filters, those that match (and,
   * if names are given, whose ID or name is one of them), told by ID; with `all`, every one, by
   * ID; else each name as given, every one of which must exist.
   */
  private startTargets(targets: Targets & {filters?: string[]}): string[] {
    const {records} = this
    const filtered = this.filteredTargets(targets)
    if (filtered) return filtered
    if (targets.all) return records.list().map((c) => c.config.id)
    for (const name of targets.names) records.lookup(name)
    return targets.names
  }

  /** With filters (start, stop, restart, rm --filter): the IDs of the matching containers, only those named if names are given. */
  private filteredTargets(targets: Targets & {filters?: string[]}): string[] | undefined {
    if (!targets.filters || targets.filters.length === 0) return undefined
    const {records} = this
    const pods = new PodRecords(records.store)
    const networkName = (nameOrId: string) => NetworkConfigs.forGraphRoot(records.store.config.graphRoot).nameOf(nameOrId)
    const picked = records.list().filter(parseContainerFilters(targets.filters, (name) => records.lookup(name), (name) => pods.idOf(name), (c) => healthStatusOf(records.store, c), networkName))
    if (targets.names.length === 0) return picked.map((c) => c.config.id)
    return picked.filter((c) => targets.names.includes(c.config.id) || targets.names.includes(c.config.name)).map((c) => c.config.id)
  }

  /**
   * `start`: each container under the detached monitor (one already running is left, untold);
   * with `attach`, one container in the foreground, whose exit code is returned.
   */
  async start(
    targets: Targets & {attach?: boolean; interactive?: boolean; filters?: string[]; detachKeys?: string},
    events: TargetEvents & WarningEvents = {},
  ): Promise<{errors: unknown[]; exitCode?: number; detached?: boolean}> {
    const {store, records} = this
    const names = this.startTargets(targets)
    if (targets.attach) {
      if (names.length > 1) throw new UsageError('you cannot start and attach multiple containers at once')
      const container = records.lookup(names[0])
      if (container.state.status === 'paused') throw new ContainerStateError(`cannot start paused container ${container.config.id}: container state improper`)
      if (container.state.status === 'initialized') return {errors: [], exitCode: await this.startInitializedAttached(container, events)}
      if (isRunning(container.state)) throw new UsageError(`container ${container.config.id} is already running; tspod cannot attach to a running container`)
      if (this.attachesToMonitor(container, targets.interactive ?? false)) {
        const exitCode = await this.startMonitoredAttached(container, this.detachKeys(targets.detachKeys), events)
        if (exitCode === undefined) return {errors: [], detached: true}
        await this.autoRemove(container)
        await stopPodIfDone(records, container)
        return {errors: [], exitCode}
      }
      let exitCode: number
      let started: Promise<void> = Promise.resolve()
      try {
        exitCode = await runAttached(store, records, container, {
          interactive: targets.interactive ?? false,
          log: true,
          onLaunched: (l) => {
            l.warnings.forEach((w) => events.onWarning?.(w))
            started = this.startedAttached(container)
          },
        })
        await started
        await this.events.container(container.config, 'died', exitCode)
      } finally {
        await started
        await this.autoRemove(container)
        await stopPodIfDone(records, container)
      }
      return {errors: [], exitCode}
    }
    const errors = await this.eachContainer(
      records,
      names,
      async (c) => {
        if (isRunning(c.state)) return false
        try {
          for (const w of await startDetachedOnce(store, records, c.config.id, {events: this.events.config})) events.onWarning?.(w)
        } catch (err) {
          // Podman's start fails as the engine (125) whatever stopped the container's command
          if (err instanceof NoSuchContainerError) throw err
          throw new TspodError(`unable to start container "${c.config.id}": ${(err as Error).message}`, {cause: err})
        }
        return true
      },
      events,
    )
    return {errors}
  }

  /** `start -a` of an initialized container: its program released under its monitor, its output followed from the log. */
  private async startInitializedAttached(container: Container, events: WarningEvents): Promise<number> {
    const {store, records} = this
    const {followStartedOutput} = await import('../runtime/container/initialized-attach')
    const exitCode = await followStartedOutput(store, records, container, async () => {
      for (const w of await startDetachedOnce(store, records, container.config.id, {events: this.events.config})) events.onWarning?.(w)
      await this.events.container(container.config, 'attach')
    })
    await this.autoRemove(container)
    return exitCode
  }

  /**
   * `init`: each container's process made under its monitor and held before its program
   * (Podman's "initialized"); with `all`, every container, those already initialized or
   * running left as they are without an error, as Podman's.
   */
  async init(targets: Targets, events: TargetEvents & WarningEvents = {}): Promise<unknown[]> {
    const {store, records} = this
    const names = targets.all ? records.list().map((c) => c.config.id) : targets.names
    return await this.eachContainer(
      records,
      names,
      async (c) => {
        try {
          for (const w of await initDetachedOnce(store, records, c.config.id, {events: this.events.config})) events.onWarning?.(w)
        } catch (err) {
          // still told by ID, as Podman's
          if (!(targets.all && err instanceof ContainerStateError)) throw err
        }
      },
      events,
    )
  }

  /** `stop`: the stop signal, then SIGKILL after the timeout; `all` tells every container, stopped ones too, as Podman's. */
  async stop(targets: Targets & {ignore?: boolean; timeout?: number; filters?: string[]}, events: TargetEvents & WarningEvents = {}): Promise<unknown[]> {
    const {records} = this
    const names = this.filteredTargets(targets) ?? (targets.all ? records.list().map((c) => c.config.id) : targets.names)
    return await this.eachContainer(
      records,
      names,
      async (c) => {
        const warning = await stopContainer(records, c, targets.timeout)
        if (warning) events.onWarning?.(warning)
        await this.events.container(c.config, 'stop')
      },
      events,
      (err) => (targets.ignore ?? false) && err instanceof NoSuchContainerError,
    )
  }

  /** `kill`: a signal to each container. */
  async kill(targets: Targets & {signal: NodeJS.Signals | number}, events: TargetEvents = {}): Promise<unknown[]> {
    const {records} = this
    const names = targets.all ? records.list().filter((c) => c.state.status === 'running' || c.state.status === 'paused').map((c) => c.config.id) : targets.names
    return await this.eachContainer(
      records,
      names,
      async (c) => {
        await killContainer(records, c, targets.signal)
        await this.events.container(c.config, 'kill')
      },
      events,
    )
  }

  /**
   * `pause`/`unpause`: each container's processes stopped or continued (pause.ts). With `all`,
   * every container, those in another state passed over in silence, as Podman's; with filters,
   * the matching ones, told by ID.
   */
  async setPaused(paused: boolean, targets: Targets & {filters?: string[]}, events: TargetEvents = {}): Promise<unknown[]> {
    const {records} = this
    const {pauseContainer, unpauseContainer} = await import('../runtime/container/pause')
    const names = this.filteredTargets(targets) ?? (targets.all ? records.list().map((c) => c.config.id) : targets.names)
    return await this.eachContainer(
      records,
      names,
      async (c) => {
        await (paused ? pauseContainer(records, c) : unpauseContainer(records, c))
        await this.events.container(c.config, paused ? 'pause' : 'unpause')
      },
      events,
      (err) => (targets.all ?? false) && err instanceof ContainerStateError,
    )
  }

  /** `restart`: stop, then start under the monitor; `running` picks every running container. */
  async restart(targets: Targets & {running?: boolean; timeout?: number; filters?: string[]}, events: TargetEvents & WarningEvents = {}): Promise<unknown[]> {
    const {store, records} = this
    const all = records.list().filter((c) => !targets.running || c.state.status === 'running')
    const names = targets.running ? all.map((c) => c.config.id) : (this.filteredTargets(targets) ?? (targets.all ? all.map((c) => c.config.id) : targets.names))
    return await this.eachContainer(
      records,
      names,
      async (c) => {
        if (c.state.status === 'paused') throw new ContainerStateError('unable to restart a container in a paused or unknown state: container state improper')
        await stopContainer(records, c, targets.timeout)
        for (const w of await startDetachedOnce(store, records, c.config.id, {events: this.events.config})) events.onWarning?.(w)
        await this.events.container(c.config, 'restart')
      },
      events,
    )
  }

  /** `rm`: each container (running ones only with force, stopped first), with its anonymous volumes if asked. */
  async remove(
    targets: Targets & {force?: boolean; ignore?: boolean; timeout?: number; volumes?: boolean; filters?: string[]; depend?: boolean},
    events: TargetEvents = {},
  ): Promise<unknown[]> {
    const {store, records} = this
    // --all: containers that share another's namespaces go before it
    const all = (): string[] => {
      const order: string[] = []
      for (const c of records.list()) for (const d of removalOrder(records, c)) if (!order.includes(d.config.id)) order.push(d.config.id)
      return order
    }
    const names = this.filteredTargets(targets) ?? (targets.all ? all() : targets.names)
    const options = {force: targets.force, timeout: targets.timeout, volumes: targets.volumes}
    const pods = new PodRecords(store)
    return await this.eachContainer(
      records,
      names,
      async (c) => {
        // a pod's infra container goes only with the pod: with --depend or --all, the pod goes too
        const pod = infraPodOf(pods, c)
        if (pod && !targets.depend && !targets.all)
          throw new TspodError(`container ${c.config.id} is the infra container of pod ${pod.id} and cannot be removed without removing the pod`)
        if (!targets.depend) {
          await removeContainer(store, records, c, options)
          if (pod) pods.delete(pod.id)
          await this.events.container(c.config, 'remove')
          return
        }
        // --depend: its dependents first, each told as it goes; the container itself last
        for (const d of removalOrder(records, c)) {
          if (d.config.id === c.config.id) continue
          await removeContainer(store, records, d, options)
          await this.events.container(d.config, 'remove')
          events.onDone?.(d.config.id)
        }
        await removeContainer(store, records, c, options)
        if (pod) pods.delete(pod.id)
        await this.events.container(c.config, 'remove')
      },
      events,
      (err) => (targets.ignore ?? false) && err instanceof NoSuchContainerError,
    )
  }

  /**
   * `wait`: each container's exit code once it has stopped (a --rm container's is kept a while
   * after it is gone); with `conditions` other than stopped/exited, -1 once it is in one of
   * those states (Podman's --condition), the state polled every `interval` (a Go duration, or
   * milliseconds).
   */
  async wait(
    names: string[],
    events: {onExitCode: (code: number) => void; onError?: (err: unknown) => void},
    options: {conditions?: string[]; interval?: string} = {},
  ): Promise<unknown[]> {
    const {records} = this
    const interval = options.interval ?? '250ms'
    const intervalMs = parseGoDuration(interval) ?? parseGoDuration(`${interval}ms`)
    if (intervalMs === undefined) throw new UsageError(`time: invalid duration ${JSON.stringify(interval)}`)
    for (const c of options.conditions ?? []) if (!CONTAINER_STATES.includes(c)) throw new UsageError(`unknown container state: ${c}: invalid argument`)
    const exists = (name: string) => {
      try {
        records.lookup(name)
        return true
      } catch {
        return false
      }
    }
    const errors: unknown[] = []
    for (const name of names) {
      const removed = records.removedExitCode(name)
      if (removed !== undefined && !exists(name)) {
        events.onExitCode(removed)
        continue
      }
      const failed = await this.eachContainer(
        records,
        [name],
        async (c) => {
          const conditions = options.conditions ?? []
          const forExit = conditions.length === 0 || conditions.some((s) => s === 'stopped' || s === 'exited')
          // tspod's created is Podman's configured or created
          const states = conditions.map((s) => (s === 'configured' ? 'created' : s))
          const done = await waitForState(records, c.config.id, (now) => (forExit && !hasProcesses(now.state)) || states.includes(now.state.status), Infinity, intervalMs)
          if (done && !(forExit && !hasProcesses(done.state))) return events.onExitCode(-1)
          events.onExitCode(done ? done.state.exitCode! : (records.removedExitCode(c.config.id) ?? -1))
        },
        {onError: events.onError},
      )
      errors.push(...failed)
    }
    return errors
  }

  /** `exec`: a process in a running container, followed in the foreground; returns its exit code. */
  async exec(name: string, options: ExecOptions): Promise<number | undefined> {
    const {store, records} = this
    const {execInContainer, keepTerminalOpen} = await import('../runtime/container/exec')
    const container = records.lookup(name)
    const tty = options.tty ?? false
    const interactive = options.interactive ?? false
    const detachKeys = parseDetachKeys(options.detachKeys ?? loadContainersConf().detachKeys ?? DEFAULT_DETACH_KEYS)
    // without -i or -t the process reads /dev/null, as Podman's
    const devNull = interactive || tty ? undefined : fs.openSync('/dev/null', 'r')
    const stdio: [StdioSpec, StdioSpec, StdioSpec] = [devNull ?? 'inherit', 'inherit', 'inherit']
    let child
    try {
      child = await execInContainer(store, container, options, stdio)
    } finally {
      if (devNull !== undefined) fs.closeSync(devNull)
    }
    const exited = child.exited
    const session = await child.started.then(
      () => recordExecSession(store, container.config.id, {id: newExecSessionId(), pid: child.pid, detached: false, command: options.command}),
      () => undefined, // it never ran: its exit tells why
    )
    try {
      await this.events.container(container.config, 'exec')
      const detach = {keys: detachKeys, onDetach: (master: number) => (keepTerminalOpen(master), undefined)}
      const code = await followForeground(child, {tty, interactive, detach}, async (): Promise<number | undefined> => exitCodeOf(await exited))
      if (code === undefined) return undefined // detached: the session runs on, its record with it
      await this.events.container(container.config, 'exec_died', code)
      if (session) removeExecSession(store, container.config.id, session.id)
      return code
    } catch (err) {
      if (session) removeExecSession(store, container.config.id, session.id)
      throw err
    }
  }

  /**
   * `healthcheck run`: the container's check, now; true when it failed. Once the container turns
   * unhealthy its --health-on-failure action is taken (kill, restart or stop), as Podman's.
   */
  async healthcheckRun(name: string): Promise<boolean> {
    const {store, records} = this
    const {checkHealthcheckRunnable, runHealthcheck} = await import('../runtime/container/healthcheck')
    let container: Container
    try {
      container = records.lookup(name)
    } catch (err) {
      if (err instanceof NoSuchContainerError) throw new NoSuchContainerError(`unable to look up ${name} to perform a health check: ${err.message}`)
      throw err
    }
    checkHealthcheckRunnable(container)
    const outcome = await runHealthcheck(store, container, async () => await this.events.health(container.config, healthStatusOf(store, container) ?? ''))
    if (outcome.status === 'unhealthy') await this.onUnhealthy(container)
    if (outcome.timedOut) throw outcome.timedOut
    return outcome.failed
  }

  /** --health-on-failure's action, once the container is unhealthy. */
  private async onUnhealthy(container: Container): Promise<void> {
    const id = container.config.id
    const action = container.config.healthOnFailure ?? 'none'
    const [err] =
      action === 'kill' ? await this.kill({names: [id], signal: 'SIGKILL'})
      : action === 'restart' ? await this.restart({names: [id], timeout: container.config.stopTimeout})
      : action === 'stop' ? await this.stop({names: [id]})
      : []
    if (err === undefined) return
    const doing = action === 'kill' ? 'killing container' : action === 'restart' ? 'restarting container after' : 'stopping container after'
    throw new TspodError(`${doing} health-check turned unhealthy: ${err instanceof Error ? err.message : String(err)}`)
  }

  /**
   * `exec --detach`: the process started in the background, its stdio /dev/null (Podman's
   * detached session logs nothing); returns the exec session's ID once the program runs. A
   * program that cannot run is an engine error here (125), as Podman's for a detached session.
   */
  async execDetached(name: string, options: ExecOptions): Promise<string> {
    const {store, records} = this
    const {execInContainer, keepTerminalOpen} = await import('../runtime/container/exec')
    const container = records.lookup(name)
    const devNull = fs.openSync('/dev/null', 'r+')
    let session
    try {
      // with -t the console step makes the terminal its 0, 1 and 2
      const stdio: [StdioSpec, StdioSpec, StdioSpec] = options.tty ? ['inherit', 'inherit', 'inherit'] : [devNull, devNull, devNull]
      const child = await execInContainer(store, container, {...options, detach: true}, stdio)
      child.exited.catch(() => undefined) // never settles (never reaped here) unless the start fails: `started` tells that
      await child.started.catch((err: unknown) => {
        throw new TspodError(err instanceof Error ? err.message : String(err))
      })
      // -t: its terminal is held for it once this process is gone, as conmon holds it
      if (options.tty) keepTerminalOpen(child.consoleMaster())
      session = recordExecSession(store, container.config.id, {id: newExecSessionId(), pid: child.pid, detached: true, command: options.command})
    } finally {
      fs.closeSync(devNull)
    }
    await this.events.container(container.config, 'exec')
    return session.id
  }
}

/** The pod whose infra container `c` is, if it is one. */
function infraPodOf(pods: PodRecords, c: Container): PodConfig | undefined {
  const podId = c.config.containerSpec.pod
  const pod = podId === undefined ? undefined : pods.get(podId)
  return pod?.infraId === c.config.id ? pod : undefined
}
