// `rm`: a container's dirs, bundle and records. A running or paused one is refused unless forced, then
// stopped first, as Podman does. Under the container's lock (lock.ts), released while it stops.
import * as fs from 'node:fs'

import type {Store} from '../../storage/store/store'
import {Container, hasProcesses} from './config'
import {checkNoDependents} from './dependencies'
import {checkNotServiceOfPods} from '../pod/service-container'
import {ContainerRunningError} from './errors'
import {withContainerLock} from './lock'
import {bundleDir, containerDirs} from './paths'
import {ContainerRecords, isAlive} from './records'
import {killPausedContainer, stopContainer} from './stop'
import {releaseContainerNetworks} from '../network/netavark/netavark'

export {ContainerRunningError}

/** How long a forced removal waits for the stopped container's monitor to finish its clean-up step. */
const MONITOR_END_MS = 5000
const POLL_MS = 20

/** Until the process (pid and start time) has ended, for at most `timeoutMs`. */
async function processEnded(pid: number | undefined, start: string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid, start) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS))
}

export interface RemoveOptions {
  force?: boolean
  /** seconds to wait after the stop signal before SIGKILL (rm -f -t) */
  timeout?: number
  /** rm -v: its anonymous volumes go too (always with --rm, as in Podman) */
  volumes?: boolean
}


/**
 * Remove the container, stopping it first when forced. Its state is read again under its lock;
 * one removed meanwhile (by its monitor's --rm cleanup, another rm) is left alone.
 */
export async function removeContainer(store: Store, records: ContainerRecords, c: Container, options: RemoveOptions = {}): Promise<void> {
  const id = c.config.id
  // the monitors of the runs stopped here: their clean-up step runs on after the exit (it finds
  // the container gone), and the removal is over when they have ended (pod rm -f leaves nothing)
  const monitors: Array<{pid?: number; start?: string}> = []
  for (;;) {
    const toStop = await withContainerLock(store, id, async (held) => {
      const current = records.get(id)
      if (!current) {
        held.releaseAndRemove() // a lock file a waiter made anew after the removal
        return undefined
      }
      checkNoDependents(records, current)
      checkNotServiceOfPods(records, current)
      if (hasProcesses(current.state)) {
        // an initialized one's program never ran: removed without --force, as Podman's
        if (!options.force && current.state.status !== 'initialized') throw new ContainerRunningError(id, current.state.status === 'paused' ? 'paused' : 'running')
        return current // stopped without the lock, which the exit's recording needs
      }
      await removeStoppedContainer(store, records, current, options)
      held.releaseAndRemove()
      return undefined
    })
    if (!toStop) break
    monitors.push({pid: toStop.state.monitorPid, start: toStop.state.monitorStart})
    // an initialized one's program never ran: nothing to stop gracefully (Podman's runtime deletes it with SIGKILL)
    if (toStop.state.status === 'paused' || toStop.state.status === 'initialized') await killPausedContainer(records, toStop)
    else await stopContainer(records, toStop, options.timeout)
  }
  for (const monitor of monitors) if (monitor.pid !== process.pid) await processEnded(monitor.pid, monitor.start, MONITOR_END_MS)
}

/**
 * The removal itself, for a container that is not running, by a caller that holds its lock (or
 * acts for the process that does: the monitor's setup step, for the CLI that starts it).
 */
export async function removeStoppedContainer(store: Store, records: ContainerRecords, c: Container, options: RemoveOptions = {}): Promise<void> {
  const dirs = containerDirs(store, c.config.id)
  await releaseContainerNetworks(store, c).catch(() => undefined)
  const {releaseContainerMounts} = await import('../mount/container-rootfs-mount')
  await releaseContainerMounts(store, c.config.id)
  if (fs.existsSync(dirs.dir)) await store.removeTrees([dirs.dir])
  fs.rmSync(bundleDir(store, c.config.id), {recursive: true, force: true})
  records.delete(c.config.id)
  if (c.config.volumes.length > 0) {
    const {VolumeStore} = await import('../volume')
    await VolumeStore.open(store).releaseContainer(c.config.id, options.volumes ?? c.config.autoRemove)
  }
}
