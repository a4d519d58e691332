// `volume prune` (Podman 6, as Docker): volumes no container uses; only anonymous ones unless
// `all`. Filters (label, label!, until, since/after, anonymous) narrow the choice further.
import {UsageError} from '../../errors'
import {NoSuchVolumeError, VolumeInUseError} from './errors'
import {VolumeFilters, volumeTests} from './filter'
import type {Volume, VolumeStore} from './volume-store'

export interface PruneChoice {
  /** remove named volumes too */
  all: boolean
  filters: VolumeFilters
}

/** Podman's `--filter all=true` is the same as `--all`; it is no filter of its own. */
export function splitAllFilter(filters: VolumeFilters, allFlag: boolean): PruneChoice {
  const rest: VolumeFilters = new Map(filters)
  const values = rest.get('all')
  rest.delete('all')
  const filterAll = (values ?? []).some((v) => v.toLowerCase() === 'true' || v === '1')
  if (allFlag && filterAll) throw new UsageError('--all and --filter all cannot be used together')
  return {all: allFlag || filterAll, filters: rest}
}

/** The volumes prune would remove now. */
export function pruneCandidates(volumes: VolumeStore, choice: PruneChoice): Volume[] {
  const filters: VolumeFilters = new Map(choice.filters)
  if (!choice.all && !filters.has('anonymous')) filters.set('anonymous', ['true'])
  const tests = volumeTests(volumes, filters, 'prune')
  return volumes.list().filter((v) => volumes.isDangling(v.name) && tests.every((t) => t(v)))
}

export interface PruneReport {
  removed: string[]
  errors: Error[]
}

/** Remove the candidates; one that a container took meanwhile, or that is gone, is skipped. */
export async function pruneVolumes(volumes: VolumeStore, choice: PruneChoice): Promise<PruneReport> {
  const report: PruneReport = {removed: [], errors: []}
  for (const volume of pruneCandidates(volumes, choice)) {
    try {
      await volumes.remove(volume.name)
      report.removed.push(volume.name)
    } catch (err) {
      if (err instanceof VolumeInUseError || err instanceof NoSuchVolumeError) continue
      report.errors.push(err as Error)
    }
  }
  return report
}
