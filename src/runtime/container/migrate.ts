// `system migrate`. Podman stops every container and kills its pause process, so that the next
// command builds a user namespace from the current /etc/subuid and /etc/subgid. tspod has no
// pause process: every command reads those files afresh and maps each new container's namespace
// from them. What still runs with the old ranges is the running containers, so migrate stops
// them (a later start maps them anew). With a new runtime, every container records it
// (its config's `runtime`) and is started with it from then on.
import {UsageError} from '../../errors'
import type {Store} from '../../storage/store/store'
import {NATIVE_RUNTIME} from '../oci-runtime/resolve'
import {withContainerLock} from './lock'
import {ContainerRecords} from './records'
import {hasProcesses} from './config'
import {stopContainer} from './stop'

export interface MigrateReport {
  /** containers that were running and are stopped now */
  stopped: string[]
  errors: Error[]
}

/** Podman's words for a runtime that cannot be used (a UsageError, as Podman's). */
async function checkRuntime(name: string): Promise<void> {
  if (name === NATIVE_RUNTIME) return
  try {
    ;(await import('../oci-runtime')).resolveOciRuntime(name)
  } catch {
    throw new UsageError(`change to runtime ${JSON.stringify(name)} requested but no such runtime is defined: invalid argument`)
  }
}

export async function migrateContainers(store: Store, records: ContainerRecords, options: {newRuntime?: string} = {}): Promise<MigrateReport> {
  if (options.newRuntime !== undefined) await checkRuntime(options.newRuntime)
  const report: MigrateReport = {stopped: [], errors: []}
  for (const c of records.list()) {
    try {
      // a paused one is refused by stop, and reported
      if (hasProcesses(c.state)) {
        await stopContainer(records, c)
        report.stopped.push(c.config.id)
      }
      if (options.newRuntime === undefined) continue
      const runtime = options.newRuntime === NATIVE_RUNTIME ? undefined : options.newRuntime
      await withContainerLock(store, c.config.id, () => {
        const current = records.get(c.config.id)
        // one started again meanwhile keeps its runtime until it is stopped and migrated again
        if (!current || hasProcesses(current.state)) return
        records.replaceConfig({...current.config, runtime})
      })
    } catch (err) {
      report.errors.push(err as Error)
    }
  }
  return report
}
