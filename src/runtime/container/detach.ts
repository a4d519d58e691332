// Start a container in the background (`run -d`, `start`) under its monitor, as Podman does
// under conmon: tspod-monitor (native/monitor/tspod-monitor.c), a small C program detached from
// this process and its terminal, runs the setup step (monitor-setup.ts: starts the container
// and reports on fd 3), then stays as the container's parent: it writes the container's output
// to the log and, once it ends, its exit file, and runs the cleanup step (monitor-cleanup.ts:
// records the exit, removes a --rm container). This process only waits for the report.
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import type * as net from 'node:net'
import * as path from 'node:path'

import {ERROR_CLASSES, ErrorClass, TspodError, errorOfClass} from '../../errors'
import type {EventsConfig} from '../../events/config'
import {PACKAGE_ROOT} from '../../package-info'
import {defaultNamespaceMode} from '../../specgen/namespaces'
import {isActiveHealthcheck} from '../../specgen/healthcheck'
import type {Store} from '../../storage/store/store'
import {Container, hasProcesses} from './config'
import {ContainerStateError} from './errors'
import {exitFilePath} from './exit-file'
import {withContainerLock} from './lock'
import {logSizeLimit} from './log-config'
import {attachSocketPath, bundleDir, logConfigOf, logFileOf, pastaPidFile} from './paths'
import {ContainerRecords, NoSuchContainerError} from './records'
import {requestStart} from './start-socket'

/**
 * What the setup step sends on fd 3 once it knows: the container runs, or why it does not (the
 * error's class by name; tspod-monitor's own failures are EngineError).
 */
export type MonitorReport = {ok: true; warnings: string[]} | {ok: false; message: string; errorClass: ErrorClass}

export interface MonitorRequest {
  storage: Store['config']
  id: string
  /** a start by the container's restart policy: the count to record */
  restartCount?: number
  /** where the monitor records the container's init, start and died events (none: not recorded) */
  events?: EventsConfig
  /** `init`: the container's process held before its program until a `start` (start-socket.ts) */
  init?: boolean
  /** the window size its terminal starts with (that of the terminal attached from the start) */
  consoleSize?: {height: number; width: number}
}

export interface DetachedStartOptions {
  restartCount?: number
  events?: EventsConfig
  /** `run -it`, `start -ai`: the starting CLI is attached from the start (it misses none of the output) */
  attach?: boolean
  consoleSize?: MonitorRequest['consoleSize']
}

interface DetachedStart {
  warnings: string[]
  /** with `attach`: the CLI's connection to the monitor's attach socket */
  connection?: net.Socket
}

/**
 * tspod-monitor, built by `npm run build:native` (native/monitor/build.js) next to the addon as
 * `conmon`: the name Podman's monitor has, which tools look for.
 */
export const MONITOR_BINARY = path.join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`, 'conmon')
export const MONITOR_SETUP_SCRIPT = path.join(__dirname, 'monitor-setup.js')
export const MONITOR_CLEANUP_SCRIPT = path.join(__dirname, 'monitor-cleanup.js')
export const MONITOR_HEALTHCHECK_SCRIPT = path.join(__dirname, 'monitor-healthcheck.js')

/** The Node flags of the setup and cleanup steps: without the optimizing compiler, they start and run in less memory. */
const NODE_FLAGS = ['--lite-mode']

function errorFor(report: {message: string; errorClass: ErrorClass}): TspodError {
  return errorOfClass(ERROR_CLASSES.includes(report.errorClass) ? report.errorClass : 'EngineError', report.message)
}

/** No process of the container can see its monitor: it has a pid namespace of its own. */
function ownPidNamespace(container: Container): boolean {
  return (container.config.containerSpec.pid ?? defaultNamespaceMode('pid')).kind === 'private'
}

/** The monitor's healthcheck timer: every Interval (none when it is 0, "disable"), the check as `healthcheck run` does it. */
function healthcheckTimerArgs(container: Container, request: string): string[] {
  const healthcheck = container.config.healthcheck
  if (!isActiveHealthcheck(healthcheck) || !healthcheck.Interval) return []
  const intervalMs = Math.max(1, Math.round(healthcheck.Interval / 1e6))
  const check = [process.execPath, ...NODE_FLAGS, MONITOR_HEALTHCHECK_SCRIPT, request]
  return ['--health-interval', String(intervalMs), ...check.flatMap((arg) => ['--health-cmd', arg])]
}

function monitorArgs(store: Store, container: Container, options: DetachedStartOptions, init?: boolean): string[] {
  const id = container.config.id
  const {restartCount, events, consoleSize} = options
  const request = JSON.stringify({storage: store.config, id, restartCount, events, ...(init ? {init} : {}), ...(consoleSize ? {consoleSize} : {})} satisfies MonitorRequest)
  const cleanup = [process.execPath, ...NODE_FLAGS, MONITOR_CLEANUP_SCRIPT, request]
  const sizeMax = logSizeLimit(logConfigOf(container.config))
  return [
    ...(ownPidNamespace(container) ? ['--dumpable'] : []),
    ...(container.config.containerSpec.interactive ? ['--stdin-pipe'] : []),
    '--attach-socket',
    attachSocketPath(store, id),
    ...(options.attach ? ['--attach-fd'] : []),
    // --log-driver none: the output is read and dropped
    '--log',
    logFileOf(store, container.config) ?? '/dev/null',
    ...(sizeMax > 0 ? ['--log-size-max', String(sizeMax)] : []),
    ...(container.config.timeout ? ['--timeout', String(container.config.timeout)] : []),
    ...healthcheckTimerArgs(container, request),
    // pasta does not end with the container: the monitor ends it before it waits for its children
    ...(container.config.containerSpec.network.kind === 'pasta' ? ['--end-pidfile', pastaPidFile(store, id)] : []),
    '--exit-file',
    exitFilePath(store, id),
    ...cleanup.flatMap((arg) => ['--cleanup', arg]),
    '--',
    process.execPath,
    ...NODE_FLAGS,
    MONITOR_SETUP_SCRIPT,
    request,
  ]
}

/**
 * `start`, `run -d`: start the container under its monitor unless it runs already, holding its
 * lock until the monitor's setup step has reported (the setup step, which records it as
 * running, acts for this process). Two starts at once start it once. Resolves with the
 * preflight warnings.
 */
export async function startDetachedOnce(store: Store, records: ContainerRecords, id: string, options: {restartCount?: number; events?: EventsConfig} = {}): Promise<string[]> {
  return (await startDetachedUnderLock(store, records, id, options)).warnings
}

/**
 * `run -it`, `start -ai`: as startDetachedOnce, with the CLI attached to the monitor from the
 * start; the connection is undefined when the container was running already (or a restart the
 * user's stop overtook).
 */
export function startDetachedAttached(store: Store, records: ContainerRecords, id: string, options: Omit<DetachedStartOptions, 'attach'> = {}): Promise<DetachedStart> {
  return startDetachedUnderLock(store, records, id, {...options, attach: true})
}

function startDetachedUnderLock(store: Store, records: ContainerRecords, id: string, options: DetachedStartOptions): Promise<DetachedStart> {
  return withContainerLock(store, id, async (held) => {
    const current = records.get(id)
    if (!current) {
      held.releaseAndRemove()
      throw new NoSuchContainerError(`no container with name or ID "${id}" found: no such container`)
    }
    if (current.state.status === 'paused') throw new ContainerStateError(`cannot start paused container ${id}: container state improper`)
    if (current.state.status === 'running' || current.state.status === 'stopping') return {warnings: []}
    if (current.state.status === 'initialized') return {warnings: await startInitialized(store, id)}
    // a restart (restartCount set) that the user's stop overtook
    if (options.restartCount !== undefined && current.state.stoppedByUser) return {warnings: []}
    try {
      return await startDetached(store, current, options)
    } finally {
      // a --rm container whose start failed was removed by the setup step
      if (!records.get(id)) held.releaseAndRemove()
    }
  })
}

/**
 * `init`: the container's process made under its monitor and held before its program, as
 * Podman's init has the runtime create it; a container whose process exists already is refused
 * in Podman's words. Resolves with the preflight warnings.
 */
export function initDetachedOnce(store: Store, records: ContainerRecords, id: string, options: {events?: EventsConfig} = {}): Promise<string[]> {
  return withContainerLock(store, id, async (held) => {
    const current = records.get(id)
    if (!current) {
      held.releaseAndRemove()
      throw new NoSuchContainerError(`no container with name or ID "${id}" found: no such container`)
    }
    if (hasProcesses(current.state)) throw new ContainerStateError(`container ${id} has already been created in runtime: container state improper`)
    try {
      return (await startDetached(store, current, {events: options.events}, true)).warnings
    } finally {
      if (!records.get(id)) held.releaseAndRemove()
    }
  })
}

/** An initialized container's program run by the setup step holding it; the caller holds its lock. */
async function startInitialized(store: Store, id: string): Promise<string[]> {
  const text = await requestStart(bundleDir(store, id), id)
  let report: MonitorReport
  try {
    report = JSON.parse(text) as MonitorReport
  } catch {
    throw new TspodError(`the monitor of initialized container ${id} ended before the container started`)
  }
  if (!report.ok) throw errorFor(report)
  return report.warnings
}

/** Resolves with the preflight warnings once the container runs (or, with `init`, is held); the caller holds its lock. */
function startDetached(store: Store, container: Container, options: DetachedStartOptions, init?: boolean): Promise<DetachedStart> {
  const id = container.config.id
  // the monitor makes its attach socket in it before the setup step would
  fs.mkdirSync(bundleDir(store, id), {recursive: true, mode: 0o700})
  const monitor = spawn(MONITOR_BINARY, monitorArgs(store, container, options, init), {
    detached: true,
    // fd 4 (with attach): a unix stream socket pair's end, the CLI's attach connection
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', options.attach ? 'pipe' : 'ignore'],
    cwd: '/',
  })
  const channel = monitor.stdio[3]!
  const connection = options.attach ? (monitor.stdio[4] as net.Socket) : undefined
  return new Promise((resolve, reject) => {
    let text = ''
    let settled = false
    const settle = (action: () => void): void => {
      if (settled) return
      settled = true
      monitor.unref()
      ;(channel as unknown as {unref?: () => void}).unref?.()
      action()
    }
    monitor.once('error', (err: NodeJS.ErrnoException) =>
      settle(() =>
        reject(new TspodError(`cannot run the container monitor ${MONITOR_BINARY}: ${err.message} (npm run build:native builds it)`, {code: err.code, path: MONITOR_BINARY, cause: err})),
      ),
    )
    channel.on('data', (d: Buffer) => (text += d))
    channel.on('error', () => undefined)
    channel.on('close', () =>
      // after a failed spawn, 'close' may come first: the error says more
      setImmediate(() =>
        settle(() => {
          let report: MonitorReport
          try {
            report = JSON.parse(text) as MonitorReport
          } catch {
            reject(new TspodError(`the monitor of container ${id} ended before the container started`))
            return
          }
          if (report.ok) resolve({warnings: report.warnings, connection})
          else {
            connection?.destroy()
            reject(errorFor(report))
          }
        }),
      ),
    )
  })
}
