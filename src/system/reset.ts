// `system reset`: every container stopped and removed, then the graph root and the run root
// deleted whole (images, layers, volumes, the DB, locks, logs, seccomp cache), as the user
// namespace's root since layers hold files of subordinate ids. A store that cannot be opened (a
// damaged DB) is deleted all the same, as Podman does when its runtime cannot start.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../errors'
import type {Container} from '../runtime/container/config'
import {ContainerRecords, isAlive} from '../runtime/container/records'
import {removeContainer} from '../runtime/container/remove'
import {StorageConfig, defaultGraphRoot} from '../storage/config/storage-conf'
import {removeAsMappedRoot} from '../storage/store/remove-tree'
import {Store, storeMapping} from '../storage/store/store'

/** How long to wait for the processes that watched removed containers (monitors, foreground CLIs) to end. */
const WATCHERS_GONE_MS = 10_000

export interface ResetReport {
  /** containers removed (running ones were killed first) */
  containers: string[]
  /** what could not be done but did not stop the reset: the store could not be opened, a container could not be removed */
  warnings: string[]
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Dirs a reset must never delete even when the config names them as a root: the file-system
 * root, the home dir and the runtime dir itself (Podman refuses the last one too).
 */
function refuseToDelete(dir: string, role: string, env: NodeJS.ProcessEnv): void {
  const resolved = path.resolve(dir)
  const guarded = ['/', env.HOME, env.XDG_RUNTIME_DIR].filter((d): d is string => !!d).map((d) => path.resolve(d))
  if (guarded.includes(resolved))
    throw new TspodError(`refusing to remove the ${role} ${resolved}: it is "/", $HOME or $XDG_RUNTIME_DIR itself; set ${role === 'graph root' ? 'graphroot' : 'runroot'} in storage.conf to a dir of tspod's own`)
}

/** Wait (bounded) until the processes that watched the containers have gone, so none of them writes into the store after it is deleted. */
async function waitForWatchers(containers: Container[]): Promise<void> {
  const deadline = Date.now() + WATCHERS_GONE_MS
  const alive = () => containers.filter((c) => isAlive(c.state.monitorPid, c.state.monitorStart))
  while (alive().length > 0 && Date.now() < deadline) await sleep(50)
}

async function removeAllContainers(store: Store, report: ResetReport): Promise<void> {
  const records = ContainerRecords.open(store)
  const containers = records.list()
  for (const c of containers) {
    try {
      // No grace period: everything the container has is about to be deleted (Podman 5 stops with timeout 0 too).
      await removeContainer(store, records, c, {force: true, timeout: 0, volumes: true})
      report.containers.push(c.config.id)
    } catch (err) {
      report.warnings.push(`removing container ${c.config.id}: ${(err as Error).message}`)
    }
  }
  await waitForWatchers(containers)
}

export async function resetStore(config: StorageConfig, env: NodeJS.ProcessEnv = process.env): Promise<ResetReport> {
  refuseToDelete(config.graphRoot, 'graph root', env)
  refuseToDelete(config.runRoot, 'run root', env)
  const report: ResetReport = {containers: [], warnings: []}
  const mapping = storeMapping()
  if (fs.existsSync(config.graphRoot)) {
    let store: Store | undefined
    try {
      store = await Store.open(config, mapping)
    } catch (err) {
      report.warnings.push(`${(err as Error).message}: removing the store's dirs without stopping its containers`)
    }
    if (store) {
      try {
        await removeAllContainers(store, report)
      } finally {
        store.close()
      }
    }
  }
  const dirs = [config.graphRoot, config.runRoot].filter((d) => fs.existsSync(d))
  await removeAsMappedRoot(dirs, mapping)
  // <data home>/tspod, made for the default graph root <data home>/tspod/storage: gone once empty.
  const parent = path.dirname(config.graphRoot)
  if (path.resolve(config.graphRoot) === defaultGraphRoot(process.getuid!(), env)) {
    try {
      fs.rmdirSync(parent)
    } catch (err) {
      if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err
    }
  }
  return report
}
