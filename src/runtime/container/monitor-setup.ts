// The setup step of a detached container's monitor. tspod-monitor (native/monitor/tspod-monitor.c)
// runs this script as its child with the fds below; it starts the container with its output on
// the monitor's pipes and the monitor recorded as its monitor, tells the monitor which process
// the container is (handing over its terminal), tells the starting CLI on fd 3 whether it
// runs, and exits: the container, reparented to the monitor (a child subreaper), outlives it.
// Until it has reported, the CLI that starts the container holds the container's lock for it
// (detach.ts): what happens before the report takes no lock, what happens after takes it.
import * as fs from 'node:fs'
import {finished} from 'node:stream/promises'

import {errorClassOf} from '../../errors'
import {EventRecorder} from '../../events/recorder'
import {Store} from '../../storage/store/store'
import {hasProcesses} from './config'
import type {MonitorReport, MonitorRequest} from './detach'
import {Launched, NEVER_RAN_EXIT_CODE, exitCodeOf, launchContainer, recordExit} from './launch'
import {NoSuchContainerError, ContainerRecords} from './records'
import {removeStoppedContainer} from './remove'
import {bundleDir} from './paths'
import {listenForStart} from './start-socket'
import type {Container} from './config'

/** the starting CLI's end: one MonitorReport */
const REPORT_FD = 3
/** the read end of a pipe only the monitor writes: slirp4netns's --exit-fd */
const NETWORK_EXIT_FD = 4
/** the write ends of the monitor's pipes, the container's stdout and stderr */
const STDOUT_FD = 5
const STDERR_FD = 6
/** a socket to the monitor: "start <pid> <tty fd>\n" (answered '1' or '0'), "exit <code>\n" */
const STATUS_FD = 7

function report(message: MonitorReport): void {
  try {
    fs.writeSync(REPORT_FD, JSON.stringify(message))
    fs.closeSync(REPORT_FD)
  } catch {
    // the starter is gone; the record tells the rest
  }
}

function tellMonitor(line: string): void {
  try {
    fs.writeSync(STATUS_FD, line)
  } catch {
    // the monitor was killed: the record settles once the container is gone
  }
}

/**
 * The container's process (whose exit is the container's) and the fd of its terminal's master
 * here (-1: none), which the monitor copies; true once the monitor reads the terminal.
 */
function handOver(pid: number, master: number): boolean {
  tellMonitor(`start ${pid} ${master}\n`)
  const answer = Buffer.alloc(1)
  try {
    return fs.readSync(STATUS_FD, answer, 0, 1, null) === 1 && answer.toString() === '1'
  } catch {
    return false
  }
}

/** What the monitor cannot read itself: the terminal, copied to its stdout pipe until the container ends. */
function copyTerminal(master: number): Promise<void> {
  const from = fs.createReadStream('', {fd: master})
  from.pipe(fs.createWriteStream('', {fd: STDOUT_FD}))
  return finished(from).catch(() => undefined) // EIO once the container's side is closed
}

/** Before the report: under the starting CLI's lock. */
async function removeIfAutoRemove(store: Store, records: ContainerRecords, id: string): Promise<void> {
  const after = records.get(id)
  if (after?.config.autoRemove && !hasProcesses(after.state)) await removeStoppedContainer(store, records, after)
}

/** Where the outcome of the start goes: the starting CLI's fd 3, or the connection of an initialized container's `start`. */
type Reply = (message: MonitorReport) => void

/**
 * `init`: once the held process waits before its program, the init CLI is told and the setup
 * step waits for a `start` (start-socket.ts), whose connection gets the start's report; or for
 * the held process to end (stop, rm), whose exit the monitor then records as any other.
 * Undefined when there is nothing to start.
 */
async function holdUntilStart(store: Store, records: ContainerRecords, container: Container, launched: Launched, request: MonitorRequest): Promise<Reply | undefined> {
  try {
    await launched.holding
  } catch (holdError) {
    // it never got ready: recorded as created with the reason, as a failed start is
    let err = holdError as Error
    await recordExit(records, container, launched, {lockHeld: true}).catch((e: Error) => (err = e))
    await removeIfAutoRemove(store, records, request.id)
    // Podman's init fails as the engine (125) whatever the runtime's create said
    report({ok: false, message: err.message, errorClass: 'EngineError'})
    return undefined
  }
  const listener = await listenForStart(bundleDir(store, request.id))
  if (request.events) await new EventRecorder(request.events).container(container.config, 'init')
  report({ok: true, warnings: launched.warnings})
  const ended = launched.child.exited.then(
    () => undefined,
    () => undefined,
  )
  const connection = await Promise.race([listener.connection, ended])
  listener.close()
  if (!connection) {
    handOver(launched.child.pid, -1)
    tellMonitor(`exit ${await launched.child.exited.then(exitCodeOf, () => NEVER_RAN_EXIT_CODE)}\n`)
    return undefined
  }
  connection.on('error', () => undefined) // a start that gave up waiting: the record tells it
  return (message) => connection.end(JSON.stringify(message))
}

async function setup(request: MonitorRequest): Promise<void> {
  for (const sig of ['SIGHUP', 'SIGINT', 'SIGPIPE'] as const) process.on(sig, () => undefined)
  const store = await Store.open(request.storage)
  try {
    const records = ContainerRecords.open(store)
    const container = records.get(request.id)
    if (!container) throw new NoSuchContainerError(`no container with name or ID "${request.id}" found: no such container`)
    const tty = container.config.spec.process.terminal ?? false
    // the monitor waits for the container (or the external runtime's `run`) unless it cannot read its terminal
    let waitHere = false
    const devNull = fs.openSync('/dev/null', 'r')
    let launched: Launched
    try {
      launched = await launchContainer(store, records, container, {
        // with a terminal, the console step makes the pty 0, 1 and 2 (this process's are /dev/null)
        // -i: fd 0 is the monitor's pipe, held open for as long as the container runs
        stdio: tty ? ['inherit', 'inherit', 'inherit'] : [container.config.containerSpec.interactive ? 0 : devNull, STDOUT_FD, STDERR_FD],
        tty,
        dieWithParent: false,
        monitorPid: process.ppid,
        networkExitFd: NETWORK_EXIT_FD,
        restartCount: request.restartCount,
        hold: request.init,
        consoleSize: request.consoleSize,
      })
    } finally {
      fs.closeSync(devNull)
    }
    const {child} = launched
    let reply: Reply = report
    if (request.init) {
      const startReply = await holdUntilStart(store, records, container, launched, request)
      if (!startReply) return
      reply = startReply
      await launched.release!()
    }
    // as soon as this process reaps it (launched.exited waits for slirp4netns to stop as well)
    let exitCode: number | undefined
    child.exited.then(
      (exit) => (exitCode = exitCodeOf(exit)),
      () => undefined,
    )

    try {
      await child.started
    } catch (startError) {
      // it never ran: recorded as created with the reason, as the foreground run does
      let err = startError as Error
      await recordExit(records, container, launched, {lockHeld: true}).catch((e: Error) => (err = e))
      await removeIfAutoRemove(store, records, request.id)
      reply({ok: false, message: err.message, errorClass: errorClassOf(err)})
      return
    }

    let master = -1
    if (tty) {
      try {
        master = child.consoleMaster()
      } catch {
        // it failed before its terminal existed: its exit says why
      }
    }
    if (request.events) {
      // before the report, so a start is written before the monitor's died
      const recorder = new EventRecorder(request.events)
      // an initialized container's init was recorded by `init`
      if (!request.init) await recorder.container(container.config, 'init')
      await recorder.container(container.config, 'start')
    }
    // released by --runtime's helper, the runtime's container init is recorded now
    const initPid = request.init ? (records.get(request.id)?.state.pid ?? launched.initPid) : launched.initPid
    if (container.config.timeout) tellMonitor(`kill-pid ${initPid}\n`)
    const monitorReadsTerminal = handOver(child.pid, master)
    reply({ok: true, warnings: launched.warnings})
    let copied: Promise<void> | undefined
    if (master >= 0 && !monitorReadsTerminal) {
      copied = copyTerminal(master)
      waitHere = true
    }
    if (waitHere) {
      const code = await launched.exited.then(exitCodeOf, async () => {
        // recorded as created, with the error: its program never ran
        await recordExit(records, container, launched).catch(() => undefined)
        return NEVER_RAN_EXIT_CODE
      })
      await copied
      tellMonitor(`exit ${code}\n`)
      return
    }
    // An exit this process reaped (the container ended already) has reached exitCode by the next
    // turn of the event loop; one it did not reap is the monitor's to see once this one is gone.
    await new Promise((resolve) => setImmediate(resolve))
    if (exitCode !== undefined) tellMonitor(`exit ${exitCode}\n`)
  } finally {
    store.close()
  }
}

setup(JSON.parse(process.argv[2]) as MonitorRequest).then(
  () => process.exit(0),
  (err: Error) => {
    report({ok: false, message: err.message, errorClass: errorClassOf(err)})
    process.exit(1)
  },
)
