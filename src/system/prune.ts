// `system prune`: containers that are not running, then (with `volumes`) every volume no
// container uses, then dangling images (with `all`, every image no container uses), in that
// order so that what a pruned container held goes in the same run. The prune code of each kind
// does the work; `--filter` (label, label!, until) narrows all three, as Podman's does.
import {UsageError} from '../errors'
import type {Container} from '../runtime/container/config'
import {pruneContainers} from '../runtime/container/prune'
import {ContainerRecords} from '../runtime/container/records'
import {VolumeStore, parseVolumeFilters, pruneCandidates, pruneVolumes} from '../runtime/volume'
import {matchLabels, parseUntil} from '../runtime/volume/filter'
import {diskUsage} from '../storage/store/disk-usage'
import {imageConfig} from '../storage/store/images/report'
import {pruneImages} from '../storage/store/images/remove'
import type {Image} from '../storage/store/images/images'
import type {Store} from '../storage/store/store'

export interface SystemPruneOptions {
  all: boolean
  volumes: boolean
  /** KEY=VALUE, as given to --filter */
  filters: string[]
}

export interface SystemPruneReport {
  containers: string[]
  volumes: string[]
  images: string[]
  reclaimedBytes: number
  errors: Error[]
}

const FILTER_KEYS = ['label', 'label!', 'until']

interface Subject {
  labels: Record<string, string>
  created: number
}

/** The filters as one test, for anything with labels and a creation time. */
function subjectTest(specs: string[]): (s: Subject) => boolean {
  const filters = parseVolumeFilters(specs)
  const tests: ((s: Subject) => boolean)[] = []
  for (const [key, values] of filters) {
    if (!FILTER_KEYS.includes(key)) throw new UsageError(`${key} is an invalid filter`)
    if (key === 'label') tests.push((s) => matchLabels(values, s.labels))
    if (key === 'label!') tests.push((s) => values.every((v) => !matchLabels([v], s.labels)))
    if (key === 'until') {
      const until = parseUntil(values)
      tests.push((s) => s.created < until)
    }
  }
  return (s) => tests.every((t) => t(s))
}

function imageSubject(image: Image): Subject {
  const config = imageConfig(image)
  return {labels: config.config?.Labels ?? {}, created: Date.parse(config.created ?? image.created ?? image.added)}
}

export async function systemPrune(store: Store, options: SystemPruneOptions): Promise<SystemPruneReport> {
  const wanted = subjectTest(options.filters)
  const report: SystemPruneReport = {containers: [], volumes: [], images: [], reclaimedBytes: 0, errors: []}

  const containers = await pruneContainers(store, ContainerRecords.open(store), (c: Container) => wanted({labels: c.config.labels, created: Date.parse(c.config.created)}))
  report.containers = containers.removed.map((c) => c.id)
  report.reclaimedBytes += containers.removed.reduce((sum, c) => sum + c.size, 0)
  report.errors.push(...containers.errors)

  if (options.volumes) {
    const volumeStore = VolumeStore.open(store)
    const choice = {all: true, filters: parseVolumeFilters(options.filters)}
    const sizes = new Map(pruneCandidates(volumeStore, choice).map((v) => [v.name, diskUsage(volumeStore.mountpoint(v.name))]))
    const volumes = await pruneVolumes(volumeStore, choice)
    report.volumes = volumes.removed
    report.reclaimedBytes += volumes.removed.reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0)
    report.errors.push(...volumes.errors)
  }

  const images = await pruneImages(store, {all: options.all, wanted: (image) => wanted(imageSubject(image))})
  report.images = images.ids
  report.reclaimedBytes += images.reclaimedBytes
  return report
}

/** Fails on a filter `system prune` does not take, before anything is removed. */
export function checkPruneFilters(specs: string[]): void {
  subjectTest(specs)
}
