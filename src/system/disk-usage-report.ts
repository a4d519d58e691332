// What `system df` reports: the space images, containers and volumes take, each with what a
// prune could give back. Raw numbers; the command formats them.
import {containerDirs} from '../runtime/container/paths'
import {ContainerRecords} from '../runtime/container/records'
import {commandOf, isRunning} from '../runtime/container/report'
import {VolumeStore} from '../runtime/volume'
import {diskUsage} from '../storage/store/disk-usage'
import {imageSummary} from '../storage/store/images/report'
import type {Store} from '../storage/store/store'

export interface ImageUsage {
  id: string
  /** repo:tag names; none for a dangling image */
  names: string[]
  created: string
  /** the unpacked size of all its layers */
  size: number
  /** what of it other images share (layers they have too) */
  sharedSize: number
  containers: number
}

export interface ContainerUsage {
  id: string
  imageId: string
  command: string[]
  /** named and anonymous volumes it mounts */
  volumes: number
  /** its read-write layer (upper dir) */
  size: number
  created: string
  status: string
  running: boolean
  name: string
}

export interface VolumeUsage {
  name: string
  /** containers that use it */
  links: number
  size: number
}

export interface DiskUsage {
  images: ImageUsage[]
  /** the store's complete layers, shared ones counted once */
  layersSize: number
  /** of layersSize, what images in use hold */
  layersInUseSize: number
  containers: ContainerUsage[]
  volumes: VolumeUsage[]
}

export function systemDiskUsage(store: Store): DiskUsage {
  const layers = new Map(store.layers.list().filter((l) => !l.incomplete).map((l) => [l.id, l.diffSize]))
  const images = store.images.list()
  const inUse = store.imagesInUse()
  const imagesPerLayer = new Map<string, number>()
  for (const image of images) for (const id of new Set(image.layers)) imagesPerLayer.set(id, (imagesPerLayer.get(id) ?? 0) + 1)
  const sizeOf = (ids: Iterable<string>) => [...ids].reduce((sum, id) => sum + (layers.get(id) ?? 0), 0)

  const held = new Set(images.filter((i) => inUse.has(i.id)).flatMap((i) => i.layers))
  const records = ContainerRecords.open(store)
  const volumeStore = VolumeStore.open(store)
  return {
    images: images.map((image) => {
      const summary = imageSummary(image, inUse.get(image.id)?.length ?? 0)
      return {
        id: image.id,
        names: summary.RepoTags,
        created: summary.CreatedAt,
        size: image.size,
        sharedSize: sizeOf(new Set(image.layers.filter((id) => (imagesPerLayer.get(id) ?? 0) > 1))),
        containers: summary.Containers,
      }
    }),
    layersSize: sizeOf(layers.keys()),
    layersInUseSize: sizeOf(held),
    containers: records.list().map((c) => ({
      id: c.config.id,
      imageId: c.config.imageId,
      command: commandOf(c),
      volumes: c.config.volumes.length,
      size: diskUsage(containerDirs(store, c.config.id).upper),
      created: c.config.created,
      status: c.state.status,
      running: isRunning(c.state),
      name: c.config.name,
    })),
    volumes: volumeStore.list().map((v) => ({name: v.name, links: volumeStore.users(v.name).length, size: diskUsage(volumeStore.mountpoint(v.name))})),
  }
}
