// Start a container in the foreground (`run`, `start -a`): this process is its monitor. Output
// goes to this terminal and, unless the container is removed when it ends, to its log too;
// signals a user sends are forwarded to the container's init, as Podman does. `exec` follows its
// process with the same foreground loop (followForeground).
import {writeContainerStdout} from '../container-stdout'
import * as fs from 'node:fs'
import {Readable, Writable} from 'node:stream'
import {finished} from 'node:stream/promises'

import type {StdioSpec} from '../../native'
import type {Store} from '../../storage/store/store'
import type {NamespacedChild} from '../../userns/spawn'
import {AttachedTerminal, attachTerminal} from '../terminal'
import {Container} from './config'
import {Launched, launchContainer, recordExit} from './launch'
import {withContainerLock} from './lock'
import {LogStream, LogWriter} from './log-file'
import {logSizeLimit} from './log-config'
import {containerDirs, logConfigOf, logFileOf} from './paths'
import {ContainerRecords, NoSuchContainerError} from './records'
import {withoutRuntimeEcho} from './runtime-echo'
import {ContainerStateError} from './stop'
import {tracePhase} from '../../trace'

export interface AttachOptions {
  /** -i: this process's stdin goes to the container */
  interactive: boolean
  /** write the output to the container's log as well */
  log: boolean
  /** told as soon as the container's process is spawned (to print the warnings first) */
  onLaunched?: (launched: Launched) => void
  /** --attach: the output streams shown here (default both); one left out still goes to the log */
  streams?: {stdout: boolean; stderr: boolean}
  /** an open file both output streams go to instead of ours (build --logfile) */
  outputFd?: number
}

/** Forward the signals a terminal user sends to the container's init, as Podman does. */
export function forwardSignals(pid: number): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']
  const handlers = signals.map((sig) => {
    const handler = () => {
      try {
        process.kill(pid, sig)
      } catch {
        // the container is gone already
      }
    }
    process.on(sig, handler)
    return [sig, handler] as const
  })
  return () => handlers.forEach(([sig, handler]) => process.off(sig, handler))
}

/** Copy a container's output stream to `to` and, with a log, into it. */
export function teeOutput(from: Readable, to: Pick<Writable, 'write'> | undefined, log: LogWriter | undefined, stream: LogStream): Promise<void> {
  from.on('data', (chunk: Buffer) => {
    to?.write(chunk)
    log?.write(stream, chunk)
  })
  return finished(from).catch(() => undefined)
}

export interface ForegroundOptions {
  /** the process has a terminal of its own: this one is wired to it once the child sent it */
  tty: boolean
  /** -i: this terminal's input goes to the process (in raw mode) */
  interactive: boolean
  /** a copy of the terminal's output (the container's log) */
  onTerminalOutput?: (chunk: Buffer) => void
  /**
   * --detach-keys (with tty and interactive): once typed, `onDetach` gets the pty master (to hand
   * on: this process closes its copy right after) and its result is the loop's, the process left running.
   */
  detach?: {keys: Buffer; onDetach: (master: number) => unknown}
}

/**
 * The foreground loop of `run`, `start -a` and `exec`: the terminal wired up, the user's signals
 * passed on to `child`, until `until` resolves and the terminal has drained.
 */
export async function followForeground<T>(child: NamespacedChild, options: ForegroundOptions, until: () => Promise<T>): Promise<T> {
  let terminal: AttachedTerminal | undefined
  let master = -1
  if (options.tty) {
    await child.started.catch(() => undefined) // a failure shows when the exit is recorded
    try {
      master = child.consoleMaster()
      terminal = attachTerminal(master, options.interactive, options.onTerminalOutput, options.interactive ? options.detach?.keys : undefined)
    } catch {
      // the child failed before it sent its terminal
    }
  }
  const stopForwarding = forwardSignals(child.pid)
  try {
    const ended = until().then(async (result) => {
      await terminal?.closed
      return {result}
    })
    const detached = terminal?.detachRequested.then(() => ({detachedWith: options.detach!.onDetach(master) as T}))
    const end = await (detached ? Promise.race([ended, detached]) : ended)
    return 'result' in end ? end.result : end.detachedWith
  } finally {
    terminal?.detach()
    stopForwarding()
  }
}

export async function runAttached(store: Store, records: ContainerRecords, container: Container, options: AttachOptions): Promise<number> {
  const tty = container.config.spec.process.terminal ?? false
  const logFile = options.log ? logFileOf(store, container.config) : undefined
  const log = logFile !== undefined ? new LogWriter(logFile, logSizeLimit(logConfigOf(container.config))) : undefined
  // with a terminal, the console step makes the pty 0, 1 and 2: nothing to install
  const devNull = options.interactive || tty ? undefined : fs.openSync('/dev/null', 'r')
  // an external runtime's output goes through tspod too, for its echo of an exec failure (runtime-echo.ts)
  const piped = (log !== undefined || container.config.runtime !== undefined) && !tty
  const shown = options.streams ?? {stdout: true, stderr: true}
  const discard = !piped && !tty && !(shown.stdout && shown.stderr) ? fs.openSync('/dev/null', 'w') : undefined
  const outputSpec = (show: boolean): StdioSpec => (piped ? 'pipe' : show || discard === undefined ? (options.outputFd ?? 'inherit') : discard)
  const stdio: [StdioSpec, StdioSpec, StdioSpec] = [devNull ?? 'inherit', outputSpec(shown.stdout), outputSpec(shown.stderr)]
  let launched: Launched
  try {
    // under its lock, from a fresh read to the running state recorded: a second start finds it running
    launched = await withContainerLock(store, container.config.id, () => {
      const current = records.get(container.config.id)
      if (!current) throw new NoSuchContainerError(`no container with name or ID "${container.config.id}" found: no such container`)
      if (current.state.status === 'paused') throw new ContainerStateError(`cannot start paused container ${container.config.id}: container state improper`)
      if (current.state.status === 'running' || current.state.status === 'stopping')
        throw new ContainerStateError(`container ${container.config.id} is already running: container state improper`)
      return launchContainer(store, records, current, {stdio, tty, preserveFds: current.config.containerSpec.preserveFds ?? 0})
    })
  } catch (err) {
    log?.close()
    throw err
  } finally {
    if (devNull !== undefined) fs.closeSync(devNull)
    if (discard !== undefined) fs.closeSync(discard)
  }
  const {child} = launched
  options.onLaunched?.(launched)
  const stdoutSink = shown.stdout ? {write: (chunk: Buffer) => (writeContainerStdout(chunk), true)} : undefined
  const copies = piped
    ? [teeOutput(child.stdout!, stdoutSink, log, 'stdout'), teeOutput(withoutRuntimeEcho(child.stderr!, launched.exited), shown.stderr ? process.stderr : undefined, log, 'stderr')]
    : []
  let timedOut = false
  let timeout: NodeJS.Timeout | undefined
  const onTerminalOutput = log && ((chunk: Buffer) => log.write('stdout', chunk))
  try {
    return await followForeground(child, {tty, interactive: options.interactive, onTerminalOutput}, async () => {
      timeout = container.config.timeout
        ? setTimeout(() => {
            timedOut = true
            try {
              process.kill(launched.initPid, 'SIGKILL')
            } catch {
              // it ended meanwhile
            }
          }, container.config.timeout * 1000)
        : undefined
      const code = await recordExit(records, container, launched, {timedOut: () => timedOut})
      tracePhase('wait')
      await Promise.all(copies)
      return code
    })
  } finally {
    clearTimeout(timeout)
    log?.close()
  }
}
