// `container prune` and the containers part of `system prune`: every container that is not
// running (and that `keep` does not keep), with the space its read-write layer took.
import {diskUsage} from '../../storage/store/disk-usage'
import type {Store} from '../../storage/store/store'
import {Container, hasProcesses} from './config'
import {containerDirs} from './paths'
import {ContainerRecords} from './records'
import {removeContainer} from './remove'

export interface PrunedContainers {
  removed: {id: string; size: number}[]
  errors: Error[]
}

export async function pruneContainers(store: Store, records: ContainerRecords, wanted: (c: Container) => boolean = () => true): Promise<PrunedContainers> {
  const report: PrunedContainers = {removed: [], errors: []}
  for (const c of records.list()) {
    if (hasProcesses(c.state) || !wanted(c)) continue
    const size = diskUsage(containerDirs(store, c.config.id).upper)
    try {
      // removeContainer reads the state again under the container's lock: one started meanwhile
      // is refused (not forced), one removed meanwhile is left alone
      await removeContainer(store, records, c)
      report.removed.push({id: c.config.id, size})
    } catch (err) {
      report.errors.push(err as Error)
    }
  }
  return report
}
