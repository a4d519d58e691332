// Signals to a running container's init, and waiting for its end. The container's monitor
// records the exit; others poll the record (a settled record also covers a dead monitor). The
// state is marked under the container's lock; the wait for its end is not (the exit's
// recording takes that lock).
import * as os from 'node:os'

import {Container, hasProcesses} from './config'
import {ContainerStateError} from './errors'
import {withContainerLock} from './lock'
import {otherInits} from './pause'
import {containerProcesses, signalEach} from './processes'
import {ContainerRecords, NoSuchContainerError, isAlive} from './records'

const POLL_MS = 50

export {ContainerStateError}

/** Its processes can be stopped: running, or held by `init` before its program. */
function isRunning(c: Container): boolean {
  return c.state.status === 'running' || c.state.status === 'stopping' || c.state.status === 'initialized'
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The container once it is no longer running (or removed: undefined); null when `timeoutMs` passed first. */
export async function waitForExit(records: ContainerRecords, id: string, timeoutMs = Infinity, pollMs = POLL_MS): Promise<Container | undefined | null> {
  return await waitForState(records, id, (c) => !hasProcesses(c.state), timeoutMs, pollMs)
}

/** The container once `reached` holds for it (or removed: undefined); null when `timeoutMs` passed first. */
export async function waitForState(records: ContainerRecords, id: string, reached: (c: Container) => boolean, timeoutMs = Infinity, pollMs = POLL_MS): Promise<Container | undefined | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const c = records.get(id)
    if (!c || reached(c)) return c
    if (Date.now() >= deadline) return null
    await sleep(pollMs)
  }
}

function signal(c: Container, sig: NodeJS.Signals | number): void {
  if (!isAlive(c.state.pid, c.state.pidStart)) return
  try {
    process.kill(c.state.pid, sig)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/**
 * `kill -s`: only a running (or paused) container can be signalled, in Podman's words otherwise.
 * A paused container gets the signal as a frozen one does: SIGKILL ends it, others wait for
 * `unpause`.
 */
export async function killContainer(records: ContainerRecords, c: Container, sig: NodeJS.Signals | number): Promise<void> {
  await withContainerLock(records.store, c.config.id, (held) => {
    const current = records.get(c.config.id)
    if (!current) {
      held.releaseAndRemove()
      throw new NoSuchContainerError(`no container with name or ID "${c.config.id}" found: no such container`)
    }
    // an initialized one's program has not run: Podman's kill refuses it too
    if (!hasProcesses(current.state) || current.state.status === 'initialized')
      throw new ContainerStateError(`can only kill running containers. ${c.config.id} is in state ${current.state.status}: container state improper`)
    if (records.updateRunningState(c.config.id, (state) => ({...state, stoppedByUser: true}))) signal(current, sig)
  })
}

/** Podman's `stop` of a paused container fails so (its clean-up step refuses it); `unpause` first. */
function pausedStopError(id: string): ContainerStateError {
  return new ContainerStateError(`container ${id} is running or paused, refusing to clean up: container state improper`)
}

/**
 * `stop -t`: the stop signal, then SIGKILL after `timeoutSec`; a container not running is left
 * alone, a paused one refused. Resolves with Podman's warning when the stop signal was not enough.
 */
export async function stopContainer(records: ContainerRecords, c: Container, timeoutSec = c.config.stopTimeout): Promise<string | undefined> {
  const restarts = (c.config.containerSpec.restart?.policy ?? 'no') !== 'no'
  if (!hasProcesses(c.state) && !restarts) return undefined
  const marked = await withContainerLock(records.store, c.config.id, () => {
    const current = records.get(c.config.id)
    if (!current) return undefined
    if (current.state.status === 'paused') throw pausedStopError(c.config.id)
    if (!isRunning(current)) {
      // between two runs of a restart policy: the restart its monitor decided must not come now
      if (restarts && !current.state.stoppedByUser) records.saveState(current.config.id, {...current.state, stoppedByUser: true})
      return undefined
    }
    return records.updateRunningState(c.config.id, (state) => ({...state, status: 'stopping', stoppedByUser: true})) ? current : undefined
  })
  if (!marked) return undefined
  c = marked
  let warning: string | undefined
  if (timeoutSec > 0) {
    signal(c, c.config.stopSignal)
    if ((await waitForExit(records, c.config.id, timeoutSec * 1000)) !== null) return undefined
    const name = Object.entries(os.constants.signals as Record<string, number>).find(([, n]) => n === c.config.stopSignal)?.[0] ?? String(c.config.stopSignal)
    warning = `StopSignal ${name} failed to stop container ${c.config.name} in ${timeoutSec} seconds, resorting to SIGKILL`
  }
  signal(c, 'SIGKILL')
  await waitForExit(records, c.config.id)
  return warning
}

/**
 * `rm -f` of a paused container: SIGKILL to its init, which ends it even while stopped (as
 * Podman kills a frozen one), then SIGCONT to what is left of it (processes outside a pid
 * namespace of its own outlive their init), and the wait for the exit to be recorded. `rm` of
 * an initialized one (its process held before its program) ends it the same way.
 */
export async function killPausedContainer(records: ContainerRecords, c: Container): Promise<void> {
  const killed = await withContainerLock(records.store, c.config.id, () => {
    const current = records.get(c.config.id)
    if (!current || (current.state.status !== 'paused' && current.state.status !== 'initialized')) return false
    if (!records.updateRunningState(c.config.id, (state) => ({...state, stoppedByUser: true}))) return false
    const rest = isAlive(current.state.pid, current.state.pidStart) ? containerProcesses(current.state.pid, otherInits(records, current)) : []
    signal(current, 'SIGKILL')
    signalEach(rest, 'SIGCONT')
    return true
  })
  if (killed) await waitForExit(records, c.config.id)
}
