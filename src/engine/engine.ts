// The Engine: libpod's role. One entry point per verb, each doing the work that spans the runtime
// and the storage libraries once. It opens the store lazily, reports through callbacks, and never
// prints or exits: a front end (src/cli/ today) parses, calls one verb and renders the result.
//
// Each verb loads the libraries it uses when it is called, so a command starts with no more than
// it needs; the lifecycle verbs (lifecycle.ts) are in the CLI's code cache (scripts/bundle.js).
import * as fs from 'node:fs'
import * as path from 'node:path'
import type {Readable, Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {TspodError, UsageError, wrap} from '../errors'
import type {Created} from '../runtime/container/create'
import type {ExecOptions} from '../runtime/container/exec'
import type {LogEntry} from '../runtime/container/log-file'
import type {MigrateReport} from '../runtime/container/migrate'
import type {PrunedContainers} from '../runtime/container/prune'
import type {ContainerRecords} from '../runtime/container/records'
import type {ContainerSummary} from '../runtime/container/report'
import type {PortMapping} from '../runtime/network/publish'
import type {TopResult} from '../runtime/top/top'
import type {ContainerStats} from '../runtime/stats/stats'
import type {Container} from '../runtime/container/config'
import type {PruneChoice} from '../runtime/volume/prune'
import type {InspectVolumeData} from '../runtime/volume/report'
import type {Finding} from '../storage/store/check/finding'
import type {RootfsDirEntry} from '../runtime/spec/rootfs-files'
import type {Change} from '../storage/store/changes'
import {RegistriesConfig, loadRegistriesConf} from '../storage/image/config/registries-conf'
import {StorageConfig, loadStorageConfig} from '../storage/config/storage-conf'
import {DB_FILE, damagedDatabaseError} from '../storage/store/db/connection'
import type {HistoryRow} from '../storage/store/images/history'
import type {ImageLayerTree} from '../storage/store/images/layer-tree'
import type {SearchResult} from '../storage/image/search'
import type {RemoveReport} from '../storage/store/images/remove'
import type {ImageSummary} from '../storage/store/images/report'
import type {CopiedImage} from '../storage/image/pull'
import type {SaveFormat} from '../storage/image/save'
import {Store} from '../storage/store/store'
import {tracePhase} from '../trace'
import {systemErrorText} from '../runtime/spec/system-error'
import type {ImageContext} from '../storage/image/transports/types'
import type {DiskUsage} from '../system/disk-usage-report'
import type {CheckResult} from '../system/doctor/check-result'
import type {RepairOutcome} from '../system/doctor/runner'
import type {Info} from '../system/info'
import type {SystemPruneOptions, SystemPruneReport} from '../system/prune'
import type {CommitOptions} from '../build/commit'
import type {CreateEvents, CreateInput, PullPolicy} from './create'
import type {RunStepDns} from './build-runtime'
import type {PullProgress, TargetEvents, WarningEvents} from './events'
import type {ContainerLifecycle} from './lifecycle'
import {EventsConfig, loadEventsConfig, parseEventsBackend} from '../events/config'
import {type PodmanEvent, newEvent} from '../events/event'
import {EventRecorder} from '../events/recorder'
import {parseCgroupManager} from './cgroup-manager'

export interface EngineOptions {
  /** --root and --runroot: where the store is, over storage.conf */
  root?: string
  runRoot?: string
  /** --storage-driver, --storage-opt, --volumepath */
  storageDriver?: string
  storageOpts?: string[]
  volumePath?: string
  /** --events-backend: file or none, over containers.conf's events_logger */
  eventsBackend?: string
  /** --default-mounts-file: the only mounts.conf read for new containers and RUN steps */
  defaultMountsFile?: string
  /** the global --cgroup-manager: checked only (tspod manages no cgroups) */
  cgroupManager?: string
}

/** Several named containers, or all of them (`--all`). */
export interface Targets {
  names: string[]
  all?: boolean
}

export interface RunOptions {
  /** -d: start under the detached monitor */
  detach?: boolean
  /** -i */
  interactive?: boolean
  /** --rmi: after a foreground run, remove the image unless another container uses it */
  removeImage?: boolean
  /** --attach: the output streams a foreground run shows (default both) */
  streams?: {stdout: boolean; stderr: boolean}
  /** --detach-keys (-it), as written; undefined: containers.conf's detach_keys, else ctrl-p,ctrl-q */
  detachKeys?: string
}

export interface AttachOptions {
  /** --detach-keys, as written; undefined: containers.conf's detach_keys, else ctrl-p,ctrl-q */
  detachKeys?: string
  /** --no-stdin */
  noStdin?: boolean
  /** --sig-proxy (default true) */
  sigProxy?: boolean
}

export interface RunEvents extends CreateEvents {
  /** --rmi could not remove the image: the run's exit code stays the container's */
  onImageRemovalError?: (err: Error) => void
  /** a foreground run's container has been started */
  onStarted?: (id: string) => void
}

export interface RunResult {
  id: string
  /** the container's exit code, for a foreground run; undefined too when the user detached (-it) */
  exitCode?: number
}

export interface LogsOptions {
  names: string[]
  follow?: boolean
  /** the last N lines of each log; -1 or undefined for all */
  tail?: number
  /** --since and --until, as the user gave them */
  since?: string
  until?: string
}

/** Where a container's log entries go, one sink per container named. */
export type LogSink = (entries: LogEntry[]) => void

export interface ContainerListing {
  summary: ContainerSummary
  /** the published ports in Podman's words ("0.0.0.0:8080->80/tcp") */
  ports: string[]
}

export type InspectType = 'all' | 'container' | 'image'

const compareBy =
  <T>(key: (l: ContainerListing) => T) =>
  (a: ContainerListing, b: ContainerListing): number => {
    const x = key(a)
    const y = key(b)
    return x < y ? -1 : x > y ? 1 : 0
  }

/** `ps --sort`: Podman's orders (a stable sort over the creation order); tspod keeps no sizes, so size leaves it. */
export const PS_SORT_ORDERS: Record<string, (a: ContainerListing, b: ContainerListing) => number> = {
  command: compareBy((l) => l.summary.Command.join(' ')),
  created: compareBy((l) => l.summary.Created),
  id: compareBy((l) => l.summary.Id),
  image: compareBy((l) => l.summary.Image),
  names: compareBy((l) => l.summary.Names[0]),
  runningfor: compareBy((l) => l.summary.StartedAt),
  size: () => 0,
  status: compareBy((l) => l.summary.State),
}

const FOLLOW_POLL_MS = 100

/** Podman mounts (volumes, containers, images) only in its user namespace: a rootless user outside `unshare` gets these words. */
function rootlessMountError(command: string): TspodError {
  return new TspodError(`cannot run command ${JSON.stringify(command)} in rootless mode, must execute \`${command.split(' ')[0]} unshare\` first`)
}

function refuseRootlessMount(command: string): void {
  if (process.getuid!() !== 0) throw rootlessMountError(command)
}

export class Engine {
  private loadedConfig?: StorageConfig
  private loadedRegistries?: RegistriesConfig
  private opened?: Store
  private containerRecords?: ContainerRecords
  private eventRecorder?: EventRecorder

  constructor(private readonly options: EngineOptions = {}) {
    // a bad backend fails every command, as Podman's runtime refuses it
    if (options.eventsBackend !== undefined) parseEventsBackend(options.eventsBackend, '--events-backend')
    if (options.cgroupManager !== undefined) parseCgroupManager(options.cgroupManager)
    // Podman's runtime option refuses an empty path in these words
    if (options.defaultMountsFile === '') throw new TspodError('configuring runtime: invalid argument')
  }

  /** Where this engine's events go (containers.conf and --events-backend), read once. */
  get eventsConfig(): EventsConfig {
    return this.events.config
  }

  /** What records the events of the verbs. */
  get events(): EventRecorder {
    this.eventRecorder ??= new EventRecorder(loadEventsConfig(this.config.runRoot, this.options.eventsBackend))
    return this.eventRecorder
  }

  /** The store's configuration (storage.conf with --root/--runroot over it), read once. */
  get config(): StorageConfig {
    this.loadedConfig ??= loadStorageConfig({
      root: this.options.root,
      runRoot: this.options.runRoot,
      driver: this.options.storageDriver,
      storageOpts: this.options.storageOpts,
      volumePath: this.options.volumePath,
    })
    return this.loadedConfig
  }

  /** registries.conf, read once. */
  get registries(): RegistriesConfig {
    this.loadedRegistries ??= loadRegistriesConf()
    return this.loadedRegistries
  }

  /** The store, opened on first use. */
  async store(): Promise<Store> {
    if (!this.opened) {
      this.opened = await Store.open(this.config)
      tracePhase('store open')
    }
    return this.opened
  }

  /** The store and its container records, once `--rm` containers whose monitor died (killed with it) are removed. */
  private async containers(): Promise<{store: Store; records: ContainerRecords}> {
    const store = await this.store()
    if (!this.containerRecords) {
      const {ContainerRecords} = await import('../runtime/container/records')
      const records = ContainerRecords.open(store)
      const abandoned = records.abandonedAutoRemove()
      if (abandoned.length > 0) {
        const {removeContainer} = await import('../runtime/container/remove')
        for (const c of abandoned) await removeContainer(store, records, c)
      }
      this.containerRecords = records
    }
    return {store, records: this.containerRecords}
  }

  /** An error that says the store's DB is damaged (and how to repair it), when `err` is one. */
  damagedDatabase(err: unknown): TspodError | undefined {
    return damagedDatabaseError(err, this.opened && path.join(this.opened.config.graphRoot, DB_FILE))
  }

  close(): void {
    this.opened?.close()
  }

  /** The pod verbs (`pod create`, `pod rm`, ...). */
  async pods(): Promise<import('./pods').PodEngine> {
    const {store, records} = await this.containers()
    const {PodEngine} = await import('./pods')
    return new PodEngine(store, records, this.registries, this.events)
  }

  /** `generate systemd`: the units of a container, or of a pod and its containers, by unit name. */
  async systemdUnits(nameOrId: string, options: import('../systemd/options').SystemdOptions, environment: import('./systemd').SystemdEnvironment): Promise<Map<string, string>> {
    const {store, records} = await this.containers()
    const {systemdUnits} = await import('./systemd')
    return systemdUnits(store, records, nameOrId, options, environment)
  }

  /** The kube verbs (`kube generate`, `kube play`, `kube down`). */
  async kube(): Promise<import('./kube').KubeEngine> {
    const {store, records} = await this.containers()
    const {KubeEngine} = await import('./kube')
    return new KubeEngine(store, records, this.registries, {
      pods: () => this.pods(),
      create: async (input, events) => (await this.create(input, events)).container.config.id,
      // podman build's defaults: cached layers, OCI format, base images pulled when missing
      build: (input, events) =>
        this.build({context: input.context, file: input.file, tags: [input.tag], buildArgs: {}, layers: true, noCache: false, format: 'oci', labels: [], pullPolicy: 'missing', pullContext: input.pullContext}, events),
    })
  }

  // ---- containers

  /** The foreground and lifecycle verbs, loaded on first use (scripts/bundle.js puts them in the code cache). */
  private async lifecycle(): Promise<ContainerLifecycle> {
    const {store, records} = await this.containers()
    const {ContainerLifecycle} = await import('./lifecycle')
    return new ContainerLifecycle(store, records, this.registries, this.events)
  }

  /** `create`: the image (pulled if missing) and a new container from it. */
  async create(input: CreateInput, events: CreateEvents = {}): Promise<Created> {
    return await (await this.lifecycle()).create(this.withDefaultMounts(input), events)
  }

  /** A create's input with --default-mounts-file, when given. */
  private withDefaultMounts(input: CreateInput): CreateInput {
    return this.options.defaultMountsFile === undefined ? input : {...input, defaultMountsFile: this.options.defaultMountsFile}
  }

  /** `run`: create, then start in the foreground (returns the exit code) or under the monitor (-d). */
  async run(input: CreateInput, options: RunOptions, events: RunEvents = {}): Promise<RunResult> {
    return await (await this.lifecycle()).run(this.withDefaultMounts(input), options, events)
  }

  /** `container runlabel`: the command an image's label describes, returned (--display) or run on the host. */
  async runlabel(input: import('./runlabel').RunlabelInput, events: CreateEvents = {}): Promise<import('./runlabel').RunlabelResult> {
    const {store, records} = await this.containers()
    const {runlabel} = await import('./runlabel')
    return await runlabel(
      {store, records, registries: this.registries, removeContainer: async (id) => await (await this.lifecycle()).remove({names: [id], force: true})},
      input,
      events,
    )
  }

  /** `start`: each container under the detached monitor; with `attach`, one container in the foreground, whose exit code is returned (`detached`: the user detached, -ai). */
  async start(
    targets: Targets & {attach?: boolean; interactive?: boolean; filters?: string[]; detachKeys?: string},
    events: TargetEvents & WarningEvents = {},
  ): Promise<{errors: unknown[]; exitCode?: number; detached?: boolean}> {
    return await (await this.lifecycle()).start(targets, events)
  }

  /** `init`: each container's process made and held before its program, its state "initialized"; `start` runs the program. */
  async init(targets: Targets, events: TargetEvents & WarningEvents = {}): Promise<unknown[]> {
    return await (await this.lifecycle()).init(targets, events)
  }

  /** `stop`: the stop signal, then SIGKILL after the timeout. */
  async stop(targets: Targets & {ignore?: boolean; timeout?: number; filters?: string[]}, events: TargetEvents & WarningEvents = {}): Promise<unknown[]> {
    return await (await this.lifecycle()).stop(targets, events)
  }

  /** `kill`: a signal to each container. */
  async kill(targets: Targets & {signal: NodeJS.Signals | number}, events: TargetEvents = {}): Promise<unknown[]> {
    return await (await this.lifecycle()).kill(targets, events)
  }

  /** `pause`: each container's processes stopped (SIGSTOP), its state "paused". */
  async pause(targets: Targets & {filters?: string[]}, events: TargetEvents = {}): Promise<unknown[]> {
    return await (await this.lifecycle()).setPaused(true, targets, events)
  }

  /** `unpause`: each paused container's processes continued (SIGCONT). */
  async unpause(targets: Targets & {filters?: string[]}, events: TargetEvents = {}): Promise<unknown[]> {
    return await (await this.lifecycle()).setPaused(false, targets, events)
  }

  /** `restart`: stop, then start under the monitor; `running` picks every running container. */
  async restart(targets: Targets & {running?: boolean; timeout?: number; filters?: string[]}, events: TargetEvents & WarningEvents = {}): Promise<unknown[]> {
    return await (await this.lifecycle()).restart(targets, events)
  }

  /** `rm`: each container (running ones only with force, stopped first), with its anonymous volumes if asked. */
  async remove(targets: Targets & {force?: boolean; ignore?: boolean; timeout?: number; volumes?: boolean; filters?: string[]; depend?: boolean}, events: TargetEvents = {}): Promise<unknown[]> {
    const lifecycle = await this.lifecycle()
    if (targets.all || (targets.filters ?? []).length > 0 || targets.names.length === 0) return await lifecycle.remove(targets, events)
    // as Podman: a name tspod has no container for may be a container only its store knows, or one
    // of containers/storage (buildah's)
    const {records} = await this.containers()
    const {NoSuchContainerError} = await import('../runtime/container/records')
    const {ContainersStorage} = await import('../storage/containers-storage/store')
    const {removeCsContainer} = await import('../storage/containers-storage/remove-container')
    const {storeMapping} = await import('../storage/store/store')
    const storage = new ContainersStorage()
    const errors: unknown[] = []
    const ours: string[] = []
    for (const name of targets.names) {
      try {
        records.lookup(name)
        ours.push(name)
        continue
      } catch (err) {
        if (!(err instanceof NoSuchContainerError)) {
          ours.push(name)
          continue
        }
      }
      try {
        const storeOnly = records.lookupExternal(name)
        if (storeOnly) {
          await records.removeExternal(storeOnly.id)
          events.onDone?.(name)
        } else if (await removeCsContainer(storage, name, {force: targets.force, mapping: storeMapping()})) events.onDone?.(name)
        else ours.push(name)
      } catch (err) {
        events.onError?.(err)
        errors.push(err)
      }
    }
    if (ours.length === 0) return errors
    return [...errors, ...(await lifecycle.remove({...targets, names: ours}, events))]
  }

  /** `wait`: each container's exit code once it has stopped (a --rm container's is kept a while after it is gone). */
  async wait(
    names: string[],
    events: {onExitCode: (code: number) => void; onError?: (err: unknown) => void},
    options: {conditions?: string[]; interval?: string} = {},
  ): Promise<unknown[]> {
    return await (await this.lifecycle()).wait(names, events, options)
  }

  /** `exec`: a process in a running container, followed in the foreground; returns its exit code, or undefined when the user detached (it runs on). */
  async exec(name: string, options: ExecOptions): Promise<number | undefined> {
    return await (await this.lifecycle()).exec(name, options)
  }

  /** `healthcheck run`: the container's healthcheck, now; true when it failed. */
  async healthcheckRun(name: string): Promise<boolean> {
    return await (await this.lifecycle()).healthcheckRun(name)
  }

  /** `attach`: this terminal attached to a running container; its exit code once it ends, undefined when the user detached. */
  async attach(name: string, options: AttachOptions = {}): Promise<number | undefined> {
    return await (await this.lifecycle()).attach(name, options)
  }

  /** `exec --detach`: a process left running in the container; returns the exec session's ID. */
  async execDetached(name: string, options: ExecOptions): Promise<string> {
    return await (await this.lifecycle()).execDetached(name, options)
  }

  /** `logs`: each container's log entries to its sink; with `follow`, until the container stops. */
  async logs(options: LogsOptions, sinkFor: (c: {id: string; name: string}) => LogSink): Promise<void> {
    const {parseTimeValue} = await import('../runtime/time-value')
    const since = options.since === undefined ? -Infinity : parseTimeValue(options.since)
    const until = options.until === undefined ? Infinity : parseTimeValue(options.until)
    const timed = options.since !== undefined || options.until !== undefined
    const inTime = (e: LogEntry) => {
      if (!timed) return true
      const time = Date.parse(e.time)
      return time >= since && time <= until
    }
    const {store, records} = await this.containers()
    const {LogCursor, readableLogFile} = await import('../runtime/container/log-reader')
    const {hasProcesses} = await import('../runtime/container/config')
    const containers = options.names.map((n) => records.lookup(n))
    const tail = options.tail ?? -1
    const cursors = containers.map((c) => new LogCursor(readableLogFile(store, c.config)))
    const readOne = async (c: (typeof containers)[number], cursor: InstanceType<typeof LogCursor>): Promise<void> => {
      const sink = sinkFor({id: c.config.id, name: c.config.name})
      const show = (entries: LogEntry[]) => sink(timed ? entries.filter(inTime) : entries)
      if (tail >= 0) sink(cursor.tail(tail, inTime))
      else cursor.readToEnd(show)
      if (!options.follow) return
      for (;;) {
        const current = records.get(c.config.id)
        cursor.readToEnd(show)
        // the log restarted at its size limit: the old one is read to its end, now the new one
        if (cursor.reopenIfReplaced()) continue
        if (!current || !hasProcesses(current.state)) break
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))
      }
    }
    try {
      // followed, each container's new lines come as they are written, whichever container writes them
      if (options.follow) await Promise.all(containers.map((c, i) => readOne(c, cursors[i])))
      else for (const [i, c] of containers.entries()) await readOne(c, cursors[i])
    } finally {
      cursors.forEach((cursor) => cursor.close())
    }
  }

  /**
   * `ps`: the running containers, or all (with `all`, `last`, `latest` or a status filter), as
   * Podman lists them: oldest first unless sorted; `external` adds the store's containers that
   * tspod's runtime has no record of; `podNames` fills in PodName (ps --pod), as Podman does only then.
   */
  async listContainers(options: {all?: boolean; latest?: boolean; last?: number; filters?: string[]; sort?: string; external?: boolean; podNames?: boolean}): Promise<ContainerListing[]> {
    const {store, records} = await this.containers()
    const {containerFilterOf, groupFilters} = await import('../runtime/container/filter')
    const {containerSummary, externalContainerSummary, isRunning, portText, portsOf} = await import('../runtime/container/report')
    const {PodRecords} = await import('../runtime/pod/records')
    const podRecords = new PodRecords(store)
    const groups = groupFilters(options.filters ?? [])
    const {healthStatusOf} = await import('../runtime/container/health-log')
    const {NetworkConfigs} = await import('../runtime/network/netavark/config')
    const networkName = (nameOrId: string) => NetworkConfigs.forGraphRoot(store.config.graphRoot).nameOf(nameOrId)
    const matches = containerFilterOf(groups, (name) => records.lookup(name), (name) => podRecords.idOf(name), (c) => healthStatusOf(store, c), networkName)
    const showAll = options.all || options.latest || (options.last ?? 0) > 0 || groups.has('status')
    const byCreated = (a: {created: string}, b: {created: string}) => Date.parse(a.created) - Date.parse(b.created)
    let containers = records.list().filter((c) => (showAll || isRunning(c.state)) && matches(c))
    containers.sort((a, b) => byCreated(a.config, b.config))
    if (options.latest) containers = containers.slice(-1)
    if (options.last !== undefined && options.last > 0) containers = containers.slice(-options.last)
    const pods = new Map(podRecords.list().map((p) => [p.id, p]))
    const listing: (ContainerListing & {created: string})[] = containers.map((c) => ({
      summary: containerSummary(c, store, pods.get(c.config.containerSpec.pod ?? ''), options.podNames),
      ports: portsOf(c).map(portText),
      created: c.config.created,
    }))
    if (options.external) {
      const {storeOnlyContainer} = await import('../runtime/container/report')
      const {ContainersStorage} = await import('../storage/containers-storage/store')
      const {listExternalContainers} = await import('../storage/containers-storage/containers')
      const external = [...records.externalContainers().map((c) => storeOnlyContainer(c, store)), ...(await listExternalContainers(new ContainersStorage()))]
      for (const c of external) listing.push({summary: externalContainerSummary(c), ports: [], created: c.created})
    }
    listing.sort(byCreated)
    if (options.sort) listing.sort(PS_SORT_ORDERS[options.sort])
    return listing.map(({summary, ports}) => ({summary, ports}))
  }

  /** `--latest`: the ID of the container created last (NoSuchContainerError when there is none). */
  async latestContainerId(): Promise<string> {
    const {records} = await this.containers()
    return records.latest().config.id
  }

  /** `container inspect`: the records of the named containers (or the latest); a failed name goes to onError. */
  async inspectContainers(options: {names: string[]; latest?: boolean}, onError: (err: unknown) => void): Promise<unknown[]> {
    const {store, records} = await this.containers()
    const {inspectContainer} = await import('../runtime/container/report')
    let names = options.names
    if (options.latest) names = records.list().slice(-1).map((c) => c.config.id)
    if (names.length === 0) throw new UsageError('inspect requires at least 1 arg(s), only received 0')
    const out: unknown[] = []
    for (const name of names) {
      try {
        out.push(inspectContainer(records.lookup(name), store))
      } catch (err) {
        onError(err)
      }
    }
    return out
  }

  /** `inspect`: a container by that name or ID first, else an image, as Podman does. */
  async inspect(names: string[], type: InspectType, onError: (err: unknown) => void): Promise<unknown[]> {
    const {store, records} = await this.containers()
    const {NoSuchContainerError} = await import('../runtime/container/records')
    const {inspectContainer} = await import('../runtime/container/report')
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {inspectImage} = await import('../storage/store/images/report')
    const {platformImage} = await import('../storage/image/manifest-list')
    const out: unknown[] = []
    for (const name of names) {
      try {
        if (type !== 'image') {
          try {
            out.push(inspectContainer(records.lookup(name), store))
            continue
          } catch (err) {
            if (!(err instanceof NoSuchContainerError) || type === 'container') throw err
          }
        }
        try {
          out.push(inspectImage(platformImage(store, lookupImage(store, name, this.registries)), store.layout))
        } catch (err) {
          if (type === 'all') throw new UsageError(`inspecting object: no such object: "${name}"`)
          throw err
        }
      } catch (err) {
        onError(err)
      }
    }
    return out
  }

  /**
   * `diff`: what a container changed over its image (the paths the runtime itself makes, such as
   * /etc/hosts or /run/.containerenv, left out as Podman does), or an image's top layer over the
   * layers below it. `type` 'all' tries a container first.
   */
  async diff(name: string | undefined, options: {type: 'all' | 'container' | 'image'; latest?: boolean}): Promise<Change[]> {
    const {store, records} = await this.containers()
    const {NoSuchContainerError} = await import('../runtime/container/records')
    const {containerDirs} = await import('../runtime/container/paths')
    const {findImage} = await import('../storage/store/images/lookup')
    const {RUNTIME_MADE_PATHS} = await import('../storage/store/changes')
    const {layerChangesAsMappedRoot} = await import('../storage/store/changes-as-root')
    const lowerDirsOf = (layers: string[]) => layers.map((layer) => store.layout.diffDir(layer)).reverse()
    if (options.latest || options.type !== 'image') {
      try {
        const c = options.latest ? records.list().at(-1) : records.lookup(name!)
        if (!c) throw new UsageError('no containers to diff')
        const image = store.images.get(c.config.imageId)
        const changes = await layerChangesAsMappedRoot(containerDirs(store, c.config.id).upper, image ? lowerDirsOf(image.layers) : [], store.mapping)
        return changes.filter((change) => !RUNTIME_MADE_PATHS.has(change.path))
      } catch (err) {
        if (!(err instanceof NoSuchContainerError) || options.latest) throw err
        // a container of containers/storage (buildah's), which Podman diffs too
        const {ContainersStorage} = await import('../storage/containers-storage/store')
        const {externalContainerChanges} = await import('../storage/containers-storage/containers')
        const {storeMapping} = await import('../storage/store/store')
        const external = await externalContainerChanges(new ContainersStorage(), name!, storeMapping())
        if (external) return external
        if (options.type === 'container') throw err
      }
    }
    const image = findImage(store, name!, this.registries)
    if (!image) throw new TspodError(`${name} not found: layer not known`)
    if (image.layers.length === 0) return []
    return await layerChangesAsMappedRoot(store.layout.diffDir(image.layers.at(-1)!), lowerDirsOf(image.layers.slice(0, -1)), store.mapping)
  }

  /** `container exists`: false when there is no such container (with `external`, in the store either); other errors are thrown. */
  async containerExists(name: string, options: {external?: boolean} = {}): Promise<boolean> {
    const {records} = await this.containers()
    const {NoSuchContainerError} = await import('../runtime/container/records')
    try {
      records.lookup(name)
      return true
    } catch (err) {
      if (!(err instanceof NoSuchContainerError)) throw err
      if (!options.external) return false
      if (records.lookupExternal(name) !== undefined) return true
      const {ContainersStorage} = await import('../storage/containers-storage/store')
      const {lookupExternalContainer} = await import('../storage/containers-storage/containers')
      return (await lookupExternalContainer(new ContainersStorage(), name)) !== undefined
    }
  }

  /** `cp`: SRC and DEST as the user gave them (one is CONTAINER:PATH; `-` is a tar stream on stdin or stdout). */
  async copy(sourceArg: string, destinationArg: string, options: {archive: boolean; overwrite: boolean}, stdio: {stdin: Readable; stdout: Writable}): Promise<void> {
    const {copyBetweenContainers, copyFromContainer, copyToContainer, parseCopyArg} = await import('../runtime/container/copy')
    const source = parseCopyArg(sourceArg)
    const destination = parseCopyArg(destinationArg)
    if (!source && !destination) throw new UsageError('name or ID cannot be empty: one of SRC and DEST must be CONTAINER:PATH')
    const {store, records} = await this.containers()
    if (source && destination) {
      await copyBetweenContainers(store, records.lookup(source.container), source.path, records.lookup(destination.container), destination.path, options)
      return
    }
    if (source) {
      await copyFromContainer(store, records.lookup(source.container), source.path, destinationArg, options, stdio.stdout)
      return
    }
    await copyToContainer(store, records.lookup(destination!.container), sourceArg, destination!.path, options, stdio.stdin)
  }

  /** `top`: the processes of a running container, as ps(1) descriptors. */
  async top(name: string, descriptors: string[]): Promise<TopResult> {
    const {records} = await this.containers()
    const {isRunning} = await import('../runtime/container/report')
    const {topProcesses} = await import('../runtime/top/top')
    const container = records.lookup(name)
    if (!isRunning(container.state)) throw new TspodError('top can only be used on running containers')
    return topProcesses(container.state.pid!, descriptors.length > 0 ? descriptors : undefined)
  }

  /**
   * `stats`: a sampler of the named containers (the latest with `latest`; every container with
   * none, as Podman 4.3.1), which looks them up again at each call and keeps the previous sample
   * for the next CPU %.
   */
  async containerStats(options: {names: string[]; latest?: boolean; interval: number}): Promise<() => ContainerStats[]> {
    if (!(options.interval >= 1)) throw new TspodError('invalid interval, must be a positive number greater zero')
    const {records} = await this.containers()
    const {StatsSampler} = await import('../runtime/stats/stats')
    const sampler = new StatsSampler()
    const targets = (): Container[] => {
      try {
        if (options.latest) return [records.latest()]
        if (options.names.length === 0) return records.list()
        return options.names.map((name) => {
          try {
            return records.lookup(name)
          } catch (err) {
            throw new TspodError(`unable to look up container ${name}: ${(err as Error).message}`)
          }
        })
      } catch (err) {
        throw new TspodError(`unable to get list of containers: ${(err as Error).message}`)
      }
    }
    return () => {
      const wanted = targets()
      return sampler.sample(wanted, options.names.length === 0 && !options.latest ? wanted : records.list())
    }
  }

  /** The ps(1) descriptors `top` takes, sorted. */
  async topDescriptors(): Promise<string[]> {
    const {listDescriptors} = await import('../runtime/top/descriptors')
    return listDescriptors()
  }

  /** `rename` */
  async rename(name: string, newName: string): Promise<void> {
    const {store, records} = await this.containers()
    const {renameContainer} = await import('../runtime/container/rename')
    const container = records.lookup(name)
    renameContainer(store, records, container, newName)
    await this.events.container({...container.config, name: newName}, 'rename')
  }

  /** `port`: the published ports of a running container, or of every running one. */
  async ports(options: {container?: string; all?: boolean}): Promise<{id: string; ports: PortMapping[]}[]> {
    const {records} = await this.containers()
    const {isRunning, portsOf} = await import('../runtime/container/report')
    const containers = options.all ? records.list().filter((c) => isRunning(c.state)) : [records.lookup(options.container!)]
    return containers.map((c) => {
      if (!isRunning(c.state)) throw new UsageError(`container ${c.config.id} is not running`)
      return {id: c.config.id, ports: portsOf(c)}
    })
  }

  /** `container prune`: every container that is not running. */
  async pruneContainers(): Promise<PrunedContainers> {
    const {store, records} = await this.containers()
    const {pruneContainers} = await import('../runtime/container/prune')
    return await pruneContainers(store, records)
  }

  /** `system migrate`: running containers stopped (mapped afresh when started), optionally a new runtime for all. */
  async migrate(options: {newRuntime?: string}): Promise<MigrateReport> {
    const {store, records} = await this.containers()
    const {migrateContainers} = await import('../runtime/container/migrate')
    return await migrateContainers(store, records, options)
  }

  /** `commit`: the container's changes as a new image (named `image` if given); returns its ID. */
  async commit(
    name: string,
    image: string | undefined,
    options: Omit<CommitOptions, 'name'> & {iidFile?: string},
    events: {pullProgress?: () => PullProgress} = {},
  ): Promise<string> {
    const {store, records} = await this.containers()
    const {commitContainer} = await import('../build/commit')
    const {checkChanges} = await import('../build/changes')
    const {normalizeTagName} = await import('../storage/store/images/names')
    checkChanges(options.changes)
    const container = records.lookup(name)
    const progress = events.pullProgress?.()
    try {
      const id = await commitContainer(store, container, {...options, name: image ? normalizeTagName(image) : undefined}, progress && ((e) => progress.event(e)))
      progress?.line('Storing signatures')
      await this.events.container(container.config, 'commit')
      if (options.iidFile) fs.writeFileSync(options.iidFile, id)
      return id
    } finally {
      progress?.stop()
    }
  }

  /** `build`: the Containerfile's stages built into images; returns the result's ID. */
  async build(
    input: {
      context: string
      file?: string
      /** where `-f -` reads the Containerfile, or a context of `-` its archive */
      stdin?: Readable
      signal?: AbortSignal
      /** --iidfile: "sha256:<id>" written there */
      iidFile?: string
      tags: string[]
      buildArgs: Record<string, string>
      layers: boolean
      noCache: boolean
      format: 'oci' | 'docker'
      labels: string[]
      target?: string
      pullPolicy: PullPolicy
      pullContext: () => ImageContext
      /** --volume, --network, --userns: every RUN step's */
      volumes?: string[]
      network?: string
      userns?: string
      /** the global --runtime and --runtime-flag: every RUN step's */
      runtime?: string
      runtimeFlags?: string[]
      /** --ulimit, --security-opt: every RUN step's */
      ulimits?: string[]
      securityOpt?: string[]
      /** --dns, --dns-search, --dns-option: every RUN step's resolv.conf */
      dns?: RunStepDns
      /** --logfile: an open file the RUN steps' output goes to */
      outputFd?: number
      /** --secret id=…,src=… */
      secrets?: string[]
      squash?: 'new' | 'all'
      /** --cache-ttl, a Go duration */
      cacheTtl?: string
      /** --ignorefile */
      ignoreFile?: string
    },
    events: WarningEvents & {onLine?: (line: string) => void; pullProgress?: () => PullProgress} = {},
  ): Promise<string> {
    const {parseBuildSecret} = await import('../build/run-mounts')
    const {parseNetwork} = await import('../specgen/network')
    const {parseUserns} = await import('../specgen/userns')
    const {parseGoDuration} = await import('../runtime/time-value')
    const {hostPlatform} = await import('../storage/image/manifest/platform')
    const secrets = (input.secrets ?? []).map(parseBuildSecret)
    let cacheTtlMs: number | undefined
    if (input.cacheTtl !== undefined) {
      cacheTtlMs = parseGoDuration(input.cacheTtl)
      if (cacheTtlMs === undefined) throw new UsageError(`unable to parse value provided "${input.cacheTtl}" as --cache-ttl: time: invalid duration "${input.cacheTtl}"`)
    }
    // --platform (or --os/--arch/--variant): the result's platform fields, and the predefined ARGs
    const host = hostPlatform()
    const wanted = input.pullContext().platform
    const platform = wanted ? {os: wanted.os ?? host.os, architecture: wanted.architecture ?? host.architecture, variant: wanted.variant ?? (wanted.architecture ? undefined : host.variant)} : undefined
    const target = platform ?? host
    const platformArgs: Record<string, string> = {
      TARGETPLATFORM: [target.os, target.architecture, target.variant].filter(Boolean).join('/'),
      TARGETOS: target.os,
      TARGETARCH: target.architecture,
      TARGETVARIANT: target.variant ?? '',
      BUILDPLATFORM: [host.os, host.architecture, host.variant].filter(Boolean).join('/'),
      BUILDOS: host.os,
      BUILDARCH: host.architecture,
      BUILDVARIANT: host.variant ?? '',
    }
    const network = parseNetwork(input.network)
    parseUserns(input.userns)
    const {parseUlimits} = await import('../specgen/ulimits')
    const {checkSecurityOpts} = await import('../specgen/security-opt')
    parseUlimits(input.ulimits)
    checkSecurityOpts(input.securityOpt)
    // as Podman's, a runtime that cannot be found fails the build before it starts
    const {chosenRuntime, resolveOciRuntime} = await import('../runtime/oci-runtime/resolve')
    const runtime = chosenRuntime(input.runtime)
    if (runtime !== undefined) resolveOciRuntime(runtime)
    const {store, records} = await this.containers()
    if (network.kind === 'bridge') {
      const {NetworkConfigs} = await import('../runtime/network/netavark/config')
      const configs = NetworkConfigs.forGraphRoot(store.config.graphRoot)
      for (const name of Object.keys(network.networks)) configs.lookup(name)
    }
    const {Builder} = await import('../build/builder')
    const {buildRuntime} = await import('./build-runtime')
    const {normalizeTagName} = await import('../storage/store/images/names')
    const {removeImages} = await import('../storage/store/images/remove')
    const {isRemoteContext, prepareContext} = await import('../build/context')
    let work: string | undefined
    try {
      let context = path.resolve(input.context)
      let file: string | undefined
      const {cloneGitContext, isGitContext} = await import('../build/git-context')
      const remote = input.context === '-' || isRemoteContext(input.context) || isGitContext(input.context)
      if (remote) {
        if (input.context === '-' && input.file === '-') throw new UsageError('cannot read both the build context and the Containerfile from standard input')
        work = store.newWorkDir('tmp')
        if (isGitContext(input.context)) context = await cloneGitContext(input.context, path.join(work, 'git'), input.signal)
        else {
          const prepared = await prepareContext(input.context, work, input.stdin, input.signal)
          context = prepared.contextDir
          file = prepared.file
        }
      } else if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) throw new UsageError(`context directory "${input.context}" does not exist or is not a directory`)
      if (file !== undefined) {
        // the source was the Containerfile itself
      } else if (input.file === '-') {
        work ??= store.newWorkDir('tmp')
        file = path.join(work, 'Containerfile')
        await pipeline(input.stdin!, fs.createWriteStream(file))
      } else if (input.file !== undefined) {
        file = !remote && fs.existsSync(input.file) ? path.resolve(input.file) : path.join(context, input.file)
        if (!fs.existsSync(file)) throw new UsageError(`the specified Containerfile or Dockerfile does not exist, ${input.file}: no such file or directory`)
      } else {
        const found = ['Containerfile', 'Dockerfile'].map((f) => path.join(context, f)).find((f) => fs.existsSync(f))
        // as Podman's, which looks for Containerfile, then stats Dockerfile
        if (!found) throw new UsageError(`stat ${path.join(context, 'Dockerfile')}: no such file or directory`)
        file = found
      }
      const tags = input.tags.map(normalizeTagName)
      const runtime = buildRuntime(store, records, this.registries, {pullPolicy: input.pullPolicy, pullContext: input.pullContext, runtime: input.runtime, runtimeFlags: input.runtimeFlags, outputFd: input.outputFd, ulimits: input.ulimits, securityOpt: input.securityOpt, dns: input.dns, defaultMountsFile: this.options.defaultMountsFile}, events)
      const {chosenMountsConf, readMountsConf} = await import('../runtime/default-mounts/mounts-conf')
      const mountsConf = chosenMountsConf(this.options.defaultMountsFile)
      const defaultMountTargets = mountsConf === undefined ? [] : readMountsConf(mountsConf).filter((e) => fs.existsSync(e.host)).map((e) => e.container)
      const builder = new Builder(store, runtime, {...input, defaultMountTargets, ignoreFile: input.ignoreFile === undefined ? undefined : path.resolve(input.ignoreFile), buildArgs: {...platformArgs, ...input.buildArgs}, platform, cacheTtlMs, secrets, contextDir: context, file, tags, commitName: input.tags[0], cacheRoot: path.join(store.layout.graphRoot, 'build-cache')}, {onLine: events.onLine, onWarning: events.onWarning})
      const id = await builder.build()
      await this.events.write(newEvent('image', 'build', {Name: id}))
      if (input.iidFile) fs.writeFileSync(input.iidFile, `sha256:${id}`)
      if (!input.layers) {
        const intermediate = builder.images.filter((i) => i !== id)
        if (intermediate.length > 0) await removeImages(store, intermediate, {force: false, all: false, registries: this.registries})
      }
      return id
    } finally {
      if (work) fs.rmSync(work, {recursive: true, force: true})
    }
  }

  // ---- images

  /** `pull`: copy an image into the store; returns its ID. */
  async pull(name: string, options: {context: ImageContext; isTerminal: boolean}, events: WarningEvents & {pullProgress?: () => PullProgress} = {}): Promise<string> {
    const store = await this.store()
    const {pullImage} = await import('../storage/image/pull')
    const progress = events.pullProgress?.()
    try {
      const image = await pullImage(store, name, {
        ctx: {...options.context, registries: this.registries},
        isTerminal: options.isTerminal,
        report: progress && ((line) => progress.line(line)),
        onEvent: progress && ((e) => progress.event(e)),
        onWarning: events.onWarning,
      })
      await this.events.image('pull', '', name)
      return image.id
    } finally {
      progress?.stop()
    }
  }

  /** `push`: an image of the store to a registry or another transport; returns the manifest digest written. */
  async push(
    source: string,
    destination: string | undefined,
    options: {context: ImageContext; format?: string; compressionFormat?: string; digestFile?: string},
    events: {pushProgress?: () => PullProgress} = {},
  ): Promise<string> {
    const store = await this.store()
    const {pushImage} = await import('../storage/image/push')
    const work = store.newWorkDir('tmp')
    const progress = events.pushProgress?.()
    try {
      const {lookupImage} = await import('../storage/store/images/lookup')
      const imageId = lookupImage(store, source, this.registries).id
      const pushed = await pushImage(store, source, destination, {
        ctx: {...options.context, registries: this.registries},
        format: options.format,
        compressionFormat: options.compressionFormat,
        digestFile: options.digestFile,
        tmpDir: work,
        onEvent: progress && ((e) => progress.event(e)),
      })
      await this.events.image('push', imageId, destination ?? source)
      return pushed.manifestDigest
    } finally {
      progress?.stop()
      fs.rmSync(work, {recursive: true, force: true})
    }
  }

  /** `load`: every image of a docker-archive or oci-archive (a file, an http(s) URL, or the `stdin` stream). */
  async load(
    options: {input?: string; stdin: Readable; signal?: AbortSignal},
    events: WarningEvents & {pullProgress?: () => PullProgress} = {},
  ): Promise<CopiedImage[]> {
    const store = await this.store()
    const {downloadArchive, isArchiveUrl} = await import('../storage/image/download-archive')
    const {loadImages} = await import('../storage/image/load')
    let file = options.input
    let work: string | undefined
    const progress = events.pullProgress?.()
    try {
      if (file && isArchiveUrl(file)) {
        work = store.newWorkDir('tmp')
        file = path.join(work, 'download.tar')
        await downloadArchive(options.input!, file, options.signal)
      } else if (!file) {
        work = store.newWorkDir('tmp')
        file = path.join(work, 'stdin.tar')
        await pipeline(options.stdin, fs.createWriteStream(file))
      }
      const label = !options.input ? 'the archive read from stdin' : isArchiveUrl(options.input) ? options.input : path.resolve(options.input)
      const loaded = await loadImages(
        store,
        path.resolve(file),
        {
          ctx: {signal: options.signal, registries: this.registries},
          isTerminal: false,
          onEvent: progress && ((e) => progress.event(e)),
          onWarning: events.onWarning,
        },
        label,
      )
      progress?.stop()
      // the archive as the user named it; read from stdin, the file it was read into
      await this.events.image('loadfromarchive', '', options.input ?? file)
      return loaded
    } finally {
      progress?.stop()
      if (work) fs.rmSync(work, {recursive: true, force: true})
    }
  }

  /** `import`: a root file system tarball (a file, an http(s) URL, or `-` for the `stdin` stream) made into an image; returns its ID. */
  async importImage(
    options: {source: string; name?: string; changes: string[]; message?: string; stdin: Readable; signal?: AbortSignal},
    events: {pullProgress?: () => PullProgress} = {},
  ): Promise<string> {
    const store = await this.store()
    const {downloadArchive, isArchiveUrl} = await import('../storage/image/download-archive')
    const {importTarball} = await import('../storage/image/import')
    const {normalizeTagName} = await import('../storage/store/images/names')
    const name = options.name === undefined ? undefined : normalizeTagName(options.name)
    let file = options.source
    let work: string | undefined
    const progress = events.pullProgress?.()
    try {
      if (file === '-' || isArchiveUrl(file)) {
        work = store.newWorkDir('tmp')
        file = path.join(work, 'tarball')
        if (isArchiveUrl(options.source)) await downloadArchive(options.source, file, options.signal)
        else await pipeline(options.stdin, fs.createWriteStream(file))
      }
      const image = await importTarball(store, path.resolve(file), {
        name,
        changes: options.changes,
        message: options.message,
        ctx: {signal: options.signal, registries: this.registries},
        isTerminal: false,
        onEvent: progress && ((e) => progress.event(e)),
      })
      return image.id
    } finally {
      progress?.stop()
      if (work) fs.rmSync(work, {recursive: true, force: true})
    }
  }

  /** `export`: the container's root file system as a tar stream. */
  async exportContainer(name: string, out: Writable): Promise<void> {
    const {store, records} = await this.containers()
    const {copyFromContainer} = await import('../runtime/container/copy')
    await copyFromContainer(store, records.lookup(name), '/', '-', {archive: true, overwrite: false}, out)
  }

  /** `save`: images to an archive or OCI layout at `output`, or as a tar stream to `stdout` when there is no output. */
  async save(
    options: {names: string[]; output?: string; format: SaveFormat; multiImage?: boolean; uncompressed?: boolean; signal?: AbortSignal},
    stdout: Writable,
    events: {pullProgress?: () => PullProgress} = {},
  ): Promise<void> {
    const store = await this.store()
    const {saveImage} = await import('../storage/image/save')
    let output = options.output
    let work: string | undefined
    if (!output) {
      if (options.format === 'oci-dir') throw new UsageError('oci-dir needs -o DIR')
      work = store.newWorkDir('tmp')
      output = path.join(work, 'image.tar')
    }
    const progress = events.pullProgress?.()
    try {
      await saveImage(store, options.names, path.resolve(output), {
        format: options.format,
        multiImage: options.multiImage,
        uncompressed: options.uncompressed,
        registries: this.registries,
        signal: options.signal,
        onEvent: progress && ((e) => progress.event(e)),
      })
      progress?.stop()
      const {lookupImage} = await import('../storage/store/images/lookup')
      // without -m the names after the first are more tags of the first image, not images
      const saved = options.multiImage ? options.names : options.names.slice(0, 1)
      for (const name of saved) await this.events.image('save', lookupImage(store, name, this.registries).id, options.output ?? '/dev/stdout')
      if (work) {
        await new Promise<void>((resolve, reject) => fs.createReadStream(output!).on('error', reject).on('end', resolve).pipe(stdout, {end: false}))
      }
    } finally {
      progress?.stop()
      if (work) fs.rmSync(work, {recursive: true, force: true})
    }
  }

  /** `rmi`: the images (with force, the containers using them first); the report says what went and what failed. */
  async removeImages(options: {names: string[]; all?: boolean; force?: boolean; noPrune?: boolean}): Promise<RemoveReport> {
    const store = await this.store()
    const {removeImageUsers} = await import('./container-users')
    const {removeImages} = await import('../storage/store/images/remove')
    const force = options.force ?? false
    const all = options.all ?? false
    if (force) await removeImageUsers(store, options.names, all, this.registries)
    let recorded: Promise<void> = Promise.resolve()
    const report = await removeImages(store, options.names, {force, all, noPrune: options.noPrune, registries: this.registries, onEvent: (status, id, name) => (recorded = recorded.then(() => this.events.image(status, id, name)))})
    await recorded
    if (report.deleted.length > 0) await this.releaseRemovedImageMounts()
    return report
  }

  /** `image prune`: dangling images, or with `all` every image no container uses; returns their IDs. */
  async pruneImages(options: {all?: boolean}): Promise<string[]> {
    const store = await this.store()
    const {pruneImages} = await import('../storage/store/images/remove')
    const {ids} = await pruneImages(store, {all: options.all ?? false})
    if (ids.length > 0) await this.releaseRemovedImageMounts()
    return ids
  }

  /** `images`: summaries of the images that pass the filters (KEY=VALUE, as --filter). */
  async listImages(filters: string[]): Promise<ImageSummary[]> {
    const {filterImages, parseImageFilters} = await import('../storage/store/images/filter')
    const {imageSummary} = await import('../storage/store/images/report')
    const parsed = parseImageFilters(filters)
    const store = await this.store()
    const inUse = store.imagesInUse()
    return filterImages(store, parsed, () => this.registries).map((image) => imageSummary(image, inUse.get(image.id)?.length ?? 0))
  }

  /** `image inspect`: the records of the named images; a failed name goes to onError. */
  async inspectImages(names: string[], onError: (err: unknown) => void): Promise<unknown[]> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {inspectImage} = await import('../storage/store/images/report')
    const {platformImage} = await import('../storage/image/manifest-list')
    const records: unknown[] = []
    for (const name of names) {
      try {
        records.push(inspectImage(platformImage(store, lookupImage(store, name, this.registries)), store.layout))
      } catch (err) {
        onError(err)
      }
    }
    return records
  }

  /** `history` */
  async imageHistory(name: string): Promise<HistoryRow[]> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {imageHistory} = await import('../storage/store/images/history')
    return imageHistory(store, lookupImage(store, name, this.registries))
  }

  /** `image tree`: the image's layers, or with whatRequires the layers built on its top layer. */
  async imageTree(name: string, options: {whatRequires?: boolean} = {}): Promise<ImageLayerTree> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {imageLayerTree} = await import('../storage/store/images/layer-tree')
    return imageLayerTree(store, lookupImage(store, name, this.registries), options)
  }

  /**
   * `search`: TERM in its registry ("REGISTRY/…") or the unqualified-search registries; filters
   * are Podman's KEY[=VALUE] strings, checked before any registry is asked.
   */
  async searchImages(term: string, options: {filters?: string[]; limit?: number; listTags?: boolean; context: Pick<ImageContext, 'authFile' | 'credentials' | 'tlsVerify' | 'certDir' | 'signal' | 'registryIdleTimeoutMs'>}): Promise<SearchResult[]> {
    const {parseSearchFilters, searchImages} = await import('../storage/image/search')
    const filter = parseSearchFilters(options.filters ?? [])
    const {context} = options
    return searchImages(term, {
      filter,
      limit: options.limit,
      listTags: options.listTags,
      authFile: context.authFile,
      credentials: context.credentials,
      tlsVerify: context.tlsVerify,
      certDir: context.certDir,
      signal: context.signal,
      idleTimeoutMs: context.registryIdleTimeoutMs,
      registries: this.registries,
    })
  }

  /** `image exists` */
  async imageExists(name: string): Promise<boolean> {
    const store = await this.store()
    const {findImage} = await import('../storage/store/images/lookup')
    return findImage(store, name, this.registries) !== undefined
  }

  /** The entries of a dir in an image's rootfs, read from its layers (what shell completion lists); undefined: no such dir. */
  async listImageDir(name: string, dir: string): Promise<RootfsDirEntry[] | undefined> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {containerLowerDirs} = await import('../storage/store/mapped-layers/mapped-layers')
    const {listRootfsDir} = await import('../runtime/spec/rootfs-files')
    return listRootfsDir(containerLowerDirs(store, lookupImage(store, name, this.registries), undefined), dir)
  }

  /** The entries of a dir in a container's rootfs (its own changes over its image's layers). */
  async listContainerDir(name: string, dir: string): Promise<RootfsDirEntry[] | undefined> {
    const {store, records} = await this.containers()
    const {containerLayout} = await import('../runtime/container/launch')
    const {listRootfsDir} = await import('../runtime/spec/rootfs-files')
    const layout = containerLayout(store, records.lookup(name))
    return listRootfsDir([layout.upperDir, ...layout.lowerDirs], dir)
  }

  /** `tag`: more names for an image. */
  async tag(image: string, targets: string[]): Promise<void> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {normalizeTagName} = await import('../storage/store/images/names')
    const found = lookupImage(store, image, this.registries)
    for (const target of targets) {
      store.images.addName(found.id, normalizeTagName(target))
      await this.events.image('tag', found.id, target)
    }
  }

  /** `untag`: names taken from an image (all of them when none is given). */
  async untag(image: string, names: string[]): Promise<void> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {normalizeUntagName} = await import('../storage/store/images/names')
    const found = lookupImage(store, image, this.registries)
    const targets = names.length > 0 ? names.map(normalizeUntagName) : found.names
    for (const name of targets) {
      if (!store.images.removeName(found.id, name)) throw new TspodError(`${name}: tag not known`)
      await this.events.image('untag', found.id, name)
    }
  }

  /** `login`: the credentials key and registry an argument (or, without one, the default registry) names. */
  async loginTarget(registry: string | undefined, acceptRepositories: boolean): Promise<{key: string; registry: string}> {
    const {defaultRegistry, parseCredentialsKey} = await import('../storage/image/registry-login')
    if (registry === undefined) {
      const first = defaultRegistry(this.registries)
      return {key: first, registry: first}
    }
    return parseCredentialsKey(registry, acceptRepositories)
  }

  /** `login --get-login` and a login without credentials: what is stored for the key. */
  async storedLogin(target: {key: string; registry: string}, options: {authFile?: string}): Promise<{username: string; password: string} | undefined> {
    const {storedCredentials} = await import('../storage/image/registry-login')
    return storedCredentials(target, options)
  }

  /** `login`: check credentials with the registry; with store, also write them to the auth file (returned). */
  async login(
    target: {key: string; registry: string},
    credentials: {username: string; password: string},
    options: {authFile?: string; tlsVerify?: boolean; certDir?: string; store: boolean; signal?: AbortSignal},
  ): Promise<string | undefined> {
    const {checkCredentials, login} = await import('../storage/image/registry-login')
    const {registryIdleTimeoutMs} = await import('../storage/image/config/registry-idle-timeout')
    const context = {...options, registries: this.registries, idleTimeoutMs: registryIdleTimeoutMs()}
    if (!options.store) {
      await checkCredentials(target, credentials, context)
      return undefined
    }
    return await login(target, credentials, context)
  }

  /** `logout`: the credentials of one registry (returns its key as stored), or of all. */
  async logout(options: {registry?: string; all?: boolean; authFile?: string}): Promise<string | undefined> {
    const {removeAllCredentials, removeCredentials} = await import('../storage/image/config/auth-file')
    if (options.all) {
      removeAllCredentials({authFile: options.authFile})
      return undefined
    }
    const {key} = await this.loginTarget(options.registry, true)
    if (!removeCredentials(key, {authFile: options.authFile})) throw new TspodError(`not logged into ${key}`)
    return key
  }

  // ---- networks

  /** The network verbs (networks.ts), loaded on first use. */
  async networks(): Promise<import('./networks').NetworkEngine> {
    const {NetworkEngine} = await import('./networks')
    const store = await this.store()
    return new NetworkEngine(
      store,
      async () => (await this.containers()).records,
      async (ids, timeout) => (await this.lifecycle()).remove({names: ids, force: true, timeout}),
    )
  }

  // ---- secrets

  /** The secret verbs (secrets.ts), loaded on first use; they need only the graph root, not the store. */
  async secrets(): Promise<import('./secrets').SecretEngine> {
    const {SecretEngine} = await import('./secrets')
    return new SecretEngine(this.config.graphRoot)
  }

  // ---- volumes

  /** `volume create`: labels and options as KEY=VALUE, as the flags give them. */
  async createVolume(options: {name?: string; driver?: string; labels?: string[]; options?: string[]; uid?: number; gid?: number; ignoreIfExists?: boolean}): Promise<string> {
    const {VolumeStore, parseKeyValues} = await import('../runtime/volume')
    const labels = parseKeyValues(options.labels ?? [], 'labels')
    const driverOptions = parseKeyValues(options.options ?? [], 'options')
    for (const [flag, id] of [['uid', options.uid], ['gid', options.gid]] as const)
      if (id !== undefined && id < 0) throw new UsageError(`invalid argument "${id}" for "--${flag}" flag: must not be negative`)
    const volumes = VolumeStore.open(await this.store())
    const volume = await volumes.create({
      name: options.name,
      driver: options.driver,
      labels,
      options: driverOptions,
      uid: options.uid,
      gid: options.gid,
      ignoreIfExists: options.ignoreIfExists,
    })
    await this.events.volume('create', volume.name)
    return volume.name
  }

  /** `volume exists` */
  /**
   * `unshare`: the command as root of the store's user namespace (a mount namespace of its own
   * too), with Podman's variables for it; resolves with its exit code (128+N for signal N).
   */
  async unshare(argv: string[], options: {shell?: string}): Promise<number> {
    const {currentUser, isRootless} = await import('../userns/user')
    const user = currentUser()
    if (!isRootless(user)) throw new TspodError('please use unshare with rootless')
    const {spawnInNamespaces} = await import('../userns/spawn')
    const os = await import('node:os')
    const store = await this.store()
    const env = {
      ...process.env,
      _CONTAINERS_USERNS_CONFIGURED: 'done',
      _CONTAINERS_ROOTLESS_UID: String(user.uid),
      _CONTAINERS_ROOTLESS_GID: String(user.gid),
      CONTAINERS_GRAPHROOT: store.config.graphRoot,
      CONTAINERS_RUNROOT: store.config.runRoot,
    }
    const command = argv.length > 0 ? argv : [options.shell || '/bin/sh']
    const child = await spawnInNamespaces({
      namespaces: store.mapping ? ['user', 'mount'] : ['mount'],
      mapping: store.mapping,
      command: {file: command[0], argv: command, env: Object.entries(env).map(([k, v]) => `${k}=${v ?? ''}`), cwd: process.cwd()},
      stdio: ['inherit', 'inherit', 'inherit'],
    })
    const exit = await child.exited
    if (exit.code !== null) return exit.code
    return 128 + (exit.signal ? os.constants.signals[exit.signal] : 0)
  }

  /** `volume export`: the volume's data as a tar, to the file `output` or to the fd `stdout`. */
  async exportVolume(name: string, output: {file?: string; stdout: number}): Promise<void> {
    const {NoSuchVolumeError, VolumeStore, exportVolumeData} = await import('../runtime/volume')
    const store = await this.store()
    const volumes = VolumeStore.open(store)
    let volume
    try {
      volume = volumes.lookup(name)
    } catch (err) {
      // Podman's export looks the volume up as its inspect does, in these words
      throw err instanceof NoSuchVolumeError ? new TspodError(`no such volume ${name}`) : err
    }
    let fd = output.stdout
    if (output.file !== undefined) {
      try {
        fd = fs.openSync(output.file, 'w', 0o644)
      } catch (err) {
        throw new TspodError(`could not create tarball file '${output.file}': open ${output.file}: ${systemErrorText(err)}`)
      }
    }
    try {
      await exportVolumeData(store.mapping, volume.name, volumes.mountpoint(volume.name), fd)
    } finally {
      if (fd !== output.stdout) fs.closeSync(fd)
    }
  }

  /** `volume import`: a tar (a file, or the fd `stdin` for `-`) unpacked into the volume's data. */
  async importVolume(name: string, source: string, stdin: number): Promise<void> {
    const {VolumeStore, importVolumeData} = await import('../runtime/volume')
    if (source !== '-') {
      try {
        fs.closeSync(fs.openSync(source, 'r'))
      } catch (err) {
        throw new TspodError(`open ${source}: ${systemErrorText(err)}`)
      }
    }
    const store = await this.store()
    const volumes = VolumeStore.open(store)
    const volume = volumes.lookup(name)
    await importVolumeData(store.mapping, volume.name, volumes.mountpoint(volume.name), source === '-' ? stdin : path.resolve(source))
  }

  /**
   * `volume mount`: each volume's mount point. Podman mounts in its rootless user namespace only,
   * so a rootless user outside it is refused in Podman's words (`command` names the command).
   * tspod mounts a volume with a type for each container that uses it; here only plain volumes,
   * whose mount point is their _data dir.
   */
  async mountVolumes(names: string[], command: string): Promise<string[]> {
    const {VolumeStore, volumeFilesystem} = await import('../runtime/volume')
    refuseRootlessMount(command)
    const volumes = VolumeStore.open(await this.store())
    return names.map((name) => {
      const volume = volumes.lookup(name)
      if (volumeFilesystem(volume.options)) throw new TspodError(`volume ${volume.name} is mounted for each container that uses it: volume mount takes only volumes without a type`)
      return volumes.mountpoint(volume.name)
    })
  }

  /**
   * `mount`: mount the containers' roots (all with `all`, the latest with `latest`) in this mount
   * namespace, as Podman does only inside its user namespace; returns the mount points.
   */
  async mountContainers(options: {names: string[]; all?: boolean; latest?: boolean}, command: string): Promise<string[]> {
    refuseRootlessMount(command)
    const {records} = await this.containers()
    const targets = options.all ? records.list() : options.latest ? [records.latest()] : options.names.map((n) => records.lookup(n))
    const {mountContainerRoot} = await import('../runtime/mount/container-rootfs-mount')
    return this.withMountRecords(async (mounts, session) => {
      const points: string[] = []
      for (const c of targets) points.push(await mountContainerRoot(this.opened!, c, mounts, session))
      return points
    })
  }

  /** `mount` without containers: those mounted in this session, with their names and mount points. */
  async listMountedContainers(command: string): Promise<Array<{id: string; names: string[]; mountpoint: string}>> {
    refuseRootlessMount(command)
    const {records} = await this.containers()
    return this.withMountRecords((mounts, session) =>
      mounts.mountedIn('container', session).flatMap(({id, mountpoint}) => {
        const c = records.get(id)
        return c ? [{id, names: [c.config.name], mountpoint}] : []
      }),
    )
  }

  /**
   * `unmount`: count each container's mount down (with `force`, to zero); returns the names given
   * (the IDs with `all`), a container not mounted included, as Podman prints them.
   */
  async unmountContainers(options: {names: string[]; all?: boolean; latest?: boolean; force?: boolean}): Promise<string[]> {
    const {records} = await this.containers()
    const {unmountContainerRoot} = await import('../runtime/mount/container-rootfs-mount')
    return this.withMountRecords(async (mounts, session) => {
      const targets = options.all
        ? mounts.mountedIn('container', session).map(({id}) => ({id, shown: id}))
        : options.latest
          ? [{id: records.latest().config.id, shown: records.latest().config.id}]
          : options.names.map((n) => ({id: records.lookup(n).config.id, shown: n}))
      for (const t of targets) await unmountContainerRoot(t.id, mounts, session, options.force ?? false)
      return targets.map((t) => t.shown)
    })
  }

  /** `image mount`: mount the images' roots read-only in this mount namespace; returns their IDs and mount points. */
  async mountImages(options: {names: string[]; all?: boolean}, command: string): Promise<Array<{id: string; mountpoint: string}>> {
    refuseRootlessMount(command)
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const images = options.all ? store.images.list() : options.names.map((n) => lookupImage(store, n, this.registries))
    const {mountImageRoot} = await import('../runtime/mount/image-rootfs-mount')
    return this.withMountRecords(async (mounts, session) => {
      const points: Array<{id: string; mountpoint: string}> = []
      for (const image of images) points.push({id: image.id, mountpoint: await mountImageRoot(store, image, mounts, session)})
      return points
    })
  }

  /** `image mount` without images: those mounted in this session. */
  async listMountedImages(command: string): Promise<Array<{id: string; digest: string; repositories: string[]; mountpoint: string}>> {
    refuseRootlessMount(command)
    const store = await this.store()
    return this.withMountRecords((mounts, session) =>
      mounts.mountedIn('image', session).flatMap(({id, mountpoint}) => {
        const image = store.images.get(id)
        return image ? [{id, digest: image.digest, repositories: image.names, mountpoint}] : []
      }),
    )
  }

  /** `image unmount`: count each image's mount down (with `force`, to zero); returns the IDs that were mounted. */
  async unmountImages(options: {names: string[]; all?: boolean; force?: boolean}): Promise<string[]> {
    const store = await this.store()
    const {lookupImage} = await import('../storage/store/images/lookup')
    const {unmountImageRoot} = await import('../runtime/mount/image-rootfs-mount')
    return this.withMountRecords(async (mounts, session) => {
      const ids = options.all ? mounts.mountedIn('image', session).map((m) => m.id) : options.names.map((n) => lookupImage(store, n, this.registries).id)
      const unmounted: string[] = []
      for (const id of ids) if (await unmountImageRoot(id, mounts, session, options.force ?? false)) unmounted.push(id)
      return unmounted
    })
  }

  /** Podman's rmi takes a mounted image: the mounts of removed images are undone (here) and forgotten. */
  private async releaseRemovedImageMounts(): Promise<void> {
    const {releaseRemovedImageMounts} = await import('../runtime/mount/image-rootfs-mount')
    await this.withMountRecords((mounts, session) => releaseRemovedImageMounts(this.opened!, mounts, session))
  }

  /** The mount counters of the graph root, under their lock, with this process's mount session. */
  private async withMountRecords<T>(action: (records: import('../runtime/mount/mount-records').MountRecords, session: import('../runtime/mount/mount-session').MountSession) => Promise<T> | T): Promise<T> {
    const store = await this.store()
    const {MountRecords} = await import('../runtime/mount/mount-records')
    const {currentMountSession} = await import('../runtime/mount/mount-session')
    const session = currentMountSession()
    return MountRecords.update(store.config.graphRoot, (records) => action(records, session))
  }

  /** `volume unmount`: a plain volume has no mount to undo; each name found is returned. */
  async unmountVolumes(names: string[]): Promise<string[]> {
    const {VolumeStore} = await import('../runtime/volume')
    const volumes = VolumeStore.open(await this.store())
    return names.map((name) => volumes.lookup(name).name)
  }

  async volumeExists(name: string): Promise<boolean> {
    const {VolumeStore} = await import('../runtime/volume')
    return VolumeStore.open(await this.store()).exists(name)
  }

  /**
   * `volume inspect`: the records of the named volumes (or all) and, for templates, Podman's rows;
   * a missing volume is an error in the list, any other error is thrown.
   */
  async inspectVolumes(targets: Targets): Promise<{records: InspectVolumeData[]; rows: unknown[]; errors: TspodError[]}> {
    const {NoSuchVolumeError, VolumeStore, inspectVolume, templateRecord} = await import('../runtime/volume')
    const volumes = VolumeStore.open(await this.store())
    const found = targets.all ? volumes.list() : []
    const errors: TspodError[] = []
    for (const name of targets.names) {
      try {
        found.push(volumes.lookup(name))
      } catch (err) {
        // Podman reports a missing volume in these words, and fails on any other error at once
        if (!(err instanceof NoSuchVolumeError)) throw wrap(err, `inspecting volume ${name}`)
        errors.push(new TspodError(`no such volume ${name}`))
      }
    }
    const records = found.map((v) => inspectVolume(volumes, v))
    return {records, rows: records.map(templateRecord), errors}
  }

  /** `volume ls`: the volumes that pass the filters, as records and as Podman's template rows. */
  async listVolumes(filters: string[]): Promise<{records: InspectVolumeData[]; rows: Record<string, unknown>[]}> {
    const {VolumeStore, filterVolumes, inspectVolume, parseVolumeFilters, templateRecord} = await import('../runtime/volume')
    const parsed = parseVolumeFilters(filters)
    const volumes = VolumeStore.open(await this.store())
    const records = filterVolumes(volumes, parsed).map((v) => inspectVolume(volumes, v))
    return {records, rows: records.map((r) => templateRecord(r) as Record<string, unknown>)}
  }

  /**
   * `volume prune`: unused anonymous volumes (with `all` or an all filter, named ones too).
   * `dryRun` only names them; else `confirm`, when given, sees them first and may say no.
   */
  async pruneVolumes(
    options: {filters: string[]; all?: boolean; force?: boolean; dryRun?: boolean},
    confirm?: (candidates: string[], choice: {all: boolean}) => Promise<boolean>,
  ): Promise<{candidates?: string[]; removed: string[]; errors: Error[]}> {
    const {VolumeStore, parseVolumeFilters, pruneCandidates, pruneVolumes, splitAllFilter} = await import('../runtime/volume')
    const choice: PruneChoice = splitAllFilter(parseVolumeFilters(options.filters), Boolean(options.all))
    if (options.force && options.dryRun) throw new UsageError('--force and --dry-run cannot be used together')
    const volumes = VolumeStore.open(await this.store())
    if (options.dryRun) return {candidates: pruneCandidates(volumes, choice).map((v) => v.name), removed: [], errors: []}
    if (confirm && !(await confirm(pruneCandidates(volumes, choice).map((v) => v.name), {all: choice.all}))) return {removed: [], errors: []}
    const report = await pruneVolumes(volumes, choice)
    for (const name of report.removed) {
      await this.events.volume('remove', name)
      await this.events.volume('prune', name)
    }
    return {removed: report.removed, errors: report.errors}
  }

  /**
   * `volume rm`: the named volumes (or all); with force, the containers using them go first and
   * a missing volume is no error. Each removed volume goes to onDone as it goes; the errors are returned.
   */
  async removeVolumes(targets: Targets & {force?: boolean; timeout?: number}, events: {onDone?: (name: string) => void} = {}): Promise<Error[]> {
    const {NoSuchVolumeError, VolumeStore} = await import('../runtime/volume')
    const {volumeUserRemover} = await import('./container-users')
    const store = await this.store()
    const volumes = VolumeStore.open(store)
    const removeContainers = targets.force ? volumeUserRemover(store, targets.timeout) : undefined
    const errors: Error[] = []
    const names: string[] = []
    if (targets.all) names.push(...volumes.list().map((v) => v.name))
    for (const name of targets.names) {
      try {
        names.push(volumes.lookup(name).name)
      } catch (err) {
        if (!(err instanceof NoSuchVolumeError && targets.force)) errors.push(err as Error)
      }
    }
    for (const name of names) {
      try {
        await volumes.remove(name, {removeContainers})
        await this.events.volume('remove', name)
        events.onDone?.(name)
      } catch (err) {
        if (!(err instanceof NoSuchVolumeError && targets.force)) errors.push(err as Error)
      }
    }
    return errors
  }

  // ---- system

  /**
   * `events`: the events log's events that pass the filters, from its start when a time bound is
   * given (else, streaming, from its end); streaming, it goes on until `until` or for ever.
   */
  async readEvents(options: {filters: string[]; since?: string; until?: string; stream: boolean}, onEvent: (e: PodmanEvent) => void): Promise<void> {
    const {eventFilter} = await import('../events/filter')
    const {readEvents} = await import('../events/log-file')
    const {parseInputTime} = await import('../events/time')
    const matches = eventFilter(options.filters, options.since, options.until)
    const config = this.eventsConfig
    await readEvents(config, {
      stream: options.stream,
      fromStart: Boolean(options.since || options.until),
      untilNs: options.until ? parseInputTime(options.until, false) : undefined,
      matches,
      onEvent,
    })
  }


  /** `system prune`: stopped containers, dangling (or all unused) images, unused volumes if asked. */
  async systemPrune(options: SystemPruneOptions): Promise<SystemPruneReport> {
    const {checkPruneFilters, systemPrune} = await import('../system/prune')
    checkPruneFilters(options.filters)
    return await systemPrune(await this.store(), options)
  }

  /** `system df` */
  async diskUsage(): Promise<DiskUsage> {
    const {systemDiskUsage} = await import('../system/disk-usage-report')
    return systemDiskUsage(await this.store())
  }

  /** `system reset`: every container, image and volume, and the graph and run roots; `configFile` is a storage.conf left in place. */
  async reset(): Promise<{warnings: string[]; configFile?: string}> {
    const {resetStore} = await import('../system/reset')
    const {configFilePath} = await import('../storage/config/storage-conf')
    const report = await resetStore(this.config)
    const conf = configFilePath()
    return {warnings: report.warnings, configFile: fs.existsSync(conf) ? conf : undefined}
  }

  /** `system check`: the store's consistency (with repair, what can be mended); `damaged` when damage remains. */
  async checkStorage(options: {quick?: boolean; repair?: boolean; force?: boolean; max: string}): Promise<{findings: Finding[]; damaged: boolean}> {
    const {parseGoDuration} = await import('../runtime/time-value')
    const maxAge = parseGoDuration(options.max)
    if (maxAge === undefined || maxAge < 0) throw new UsageError(`invalid argument "${options.max}" for "-m, --max" flag: a duration such as 1h or 30m is needed`)
    const {runChecks} = await import('../storage/store/check/run')
    const {CHECKS, remainingDamage} = await import('../storage/store/check/checks')
    const {containerRecordsPart} = await import('../runtime/container/rebuild-records')
    const {volumeRecordsPart} = await import('../runtime/volume/rebuild-records')
    const {storeCheckRuntime} = await import('../runtime/container/store-check-hooks')
    const findings = await runChecks({
      config: this.config,
      options: {quick: options.quick ?? false, repair: options.repair ?? false, force: options.force ?? false, maxAge},
      checks: CHECKS,
      // the volumes' part reads the container configs the container part restores: this order
      rebuildParts: [containerRecordsPart, volumeRecordsPart],
      runtime: storeCheckRuntime,
    })
    return {findings, damaged: remainingDamage(findings).length > 0}
  }

  /** `info`: host and store facts; `runtime` is --runtime. */
  async info(runtime?: string): Promise<Info> {
    const {collectInfo} = await import('../system/info')
    return await collectInfo(this.config, this.registries, runtime, this.eventsConfig.backend)
  }

  /**
   * `doctor`: the checks of the chosen groups; with `fix`, the safe repairs applied and the
   * checks run again, and the commands that need root named.
   */
  async doctor(options: {checks?: string[]; fix?: boolean}): Promise<{results: CheckResult[]; repairs: RepairOutcome[]; needsRoot: {check: string; command: string}[]; exitCode: number}> {
    const {createDoctorContext} = await import('../system/doctor/context')
    const {applyRepairs, doctorExitCode, rootCommands, runChecks, selectGroups} = await import('../system/doctor/runner')
    const groups = selectGroups(options.checks)
    let results = await runChecks(createDoctorContext(this.config), groups)
    let repairs: RepairOutcome[] = []
    let needsRoot: {check: string; command: string}[] = []
    if (options.fix) {
      repairs = await applyRepairs(results)
      // Judge again after repairing, with fresh facts (mounts, dirs, rows).
      if (repairs.length > 0) results = await runChecks(createDoctorContext(this.config), groups)
      needsRoot = rootCommands(results)
    }
    return {results, repairs, needsRoot, exitCode: doctorExitCode(results)}
  }
}
