// Pausing a container's processes by signal. Podman freezes the container's cgroup; a rootless
// user on this kind of host (cgroup v1) has no cgroup of its own to freeze, so tspod sends
// SIGSTOP to every process of the container instead, and SIGCONT to resume them. The one
// difference a user sees: a paused process shows state T (stopped) in `ps`, which a cgroup
// freeze does not.
import {TspodError} from '../../errors'
import {Container, hasProcesses} from './config'
import {ContainerStateError, NoSuchContainerError} from './errors'
import {withContainerLock} from './lock'
import {containerProcesses, processState, signalEach} from './processes'
import {ContainerRecords, isAlive} from './records'

/** Rounds of stopping before the container is taken as still spawning faster than it is stopped. */
const MAX_ROUNDS = 50
const SETTLE_POLL_MS = 5
const SETTLE_TIMEOUT_MS = 1000

export class PauseError extends TspodError {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Until each pid is stopped (T, or t under a tracer) or gone, for up to SETTLE_TIMEOUT_MS: one
 * still running could fork before it stops. One in uninterruptible sleep (D) keeps its SIGSTOP
 * pending and stops on its way out of the kernel, without forking first, so the wait ends
 * either way.
 */
async function settle(pids: number[]): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS
  const done = (s: string | undefined) => s === undefined || s === 'T' || s === 't' || s === 'Z' || s === 'X'
  while (!pids.map(processState).every(done) && Date.now() < deadline) await sleep(SETTLE_POLL_MS)
}

/**
 * Every process of the container stopped with SIGSTOP, repeated until a scan finds none that
 * was not stopped yet: a process forked between the scan and the signal is caught by the next
 * round. Returns the stopped pids; on failure the stopped ones are continued and PauseError
 * thrown.
 */
export async function stopAllProcesses(initPid: number, others: number[] = []): Promise<number[]> {
  const stopped = new Set<number>()
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fresh = containerProcesses(initPid, others).filter((p) => !stopped.has(p))
    if (fresh.length === 0) return [...stopped]
    signalEach(fresh, 'SIGSTOP')
    for (const p of fresh) stopped.add(p)
    await settle(fresh)
  }
  signalEach([...stopped], 'SIGCONT')
  throw new PauseError('the container\'s processes could not all be stopped')
}

/** Every process of the container continued (SIGCONT). */
export function continueAllProcesses(initPid: number, others: number[] = []): void {
  signalEach(containerProcesses(initPid, others), 'SIGCONT')
}

/** The inits of the other containers with processes: those that joined `c`'s pid namespace are not `c`'s. */
export function otherInits(records: ContainerRecords, c: Container): number[] {
  return records
    .list()
    .filter((o) => o.config.id !== c.config.id && hasProcesses(o.state) && o.state.pid > 0)
    .map((o) => o.state.pid)
}

/** Run `action` with the container's processes stopped, continuing them after (`commit --pause`). */
export async function whilePaused<T>(initPid: number, action: () => Promise<T>, others: number[] = []): Promise<T> {
  await stopAllProcesses(initPid, others)
  try {
    return await action()
  } finally {
    continueAllProcesses(initPid, others)
  }
}

/** The container's current record under its lock, or Podman's error for one removed meanwhile. */
function currentOf(records: ContainerRecords, c: Container): Container {
  const current = records.get(c.config.id)
  if (!current) throw new NoSuchContainerError(`no container with name or ID "${c.config.id}" found: no such container`)
  return current
}

/** `pause`: a running container's processes stopped, its state "paused"; Podman's errors otherwise. */
export async function pauseContainer(records: ContainerRecords, c: Container): Promise<void> {
  await withContainerLock(records.store, c.config.id, async () => {
    const current = currentOf(records, c)
    const {status} = current.state
    if (status === 'paused') throw new ContainerStateError(`"${c.config.id}" is already paused: container state improper`)
    if (status !== 'running') throw new ContainerStateError(`"${status}" is not running, can't pause: container state improper`)
    // its process ended, its monitor has not recorded it yet
    if (!isAlive(current.state.pid, current.state.pidStart)) throw new ContainerStateError(`"exited" is not running, can't pause: container state improper`)
    await stopAllProcesses(current.state.pid, otherInits(records, current))
    // it may have ended meanwhile (the exit is recorded without this lock): nothing is left to continue
    if (!records.updateRunningState(c.config.id, (state) => ({...state, status: 'paused'})))
      throw new ContainerStateError(`"exited" is not running, can't pause: container state improper`)
  })
}

/** `unpause`: a paused container's processes continued, its state "running" again. */
export async function unpauseContainer(records: ContainerRecords, c: Container): Promise<void> {
  await withContainerLock(records.store, c.config.id, () => {
    const current = currentOf(records, c)
    if (current.state.status !== 'paused') throw new ContainerStateError(`"${c.config.id}" is not paused, can't unpause: container state improper`)
    if (isAlive(current.state.pid, current.state.pidStart)) continueAllProcesses(current.state.pid, otherInits(records, current))
    records.updateRunningState(c.config.id, (state) => ({...state, status: 'running'}))
  })
}
