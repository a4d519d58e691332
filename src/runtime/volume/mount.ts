// `-v NAME:/dst[:opts]` and `-v /dst` for a container, as libpod does at container creation:
// a missing named volume is created (an anonymous one gets a random name), the container is
// recorded as a user of each, and each becomes a bind mount of the volume's _data.
import * as fs from 'node:fs'

import type {OciMount} from '../oci-spec'
import {processMountOptions} from '../../specgen/volumes'
import {VolumeFilesystem, hasNoCopy, volumeFilesystem} from './create-options'
import {NoSuchVolumeError} from './errors'
import type {Volume, VolumeStore} from './volume-store'

/** What src/runtime/spec/volumes.ts parseVolumes returns as namedVolumes. */
export interface NamedVolumeRequest {
  /** empty or absent for an anonymous volume (`-v /dst`) */
  name?: string
  destination: string
  /** the -v options (ro, nocopy, nocreate, exec, ...) */
  options: string[]
}

export interface AttachedVolume {
  volume: Volume
  destination: string
  /** the bind mount for the container's spec */
  mount: OciMount
  /** copy the image's contents at the destination in before the first start (prepareVolumes) */
  copyUp: boolean
}

/**
 * Create what is missing, record containerId as a user of each volume (the container's row
 * must exist: volume_users refers to it), and return the volumes with their bind mounts. One
 * transaction: on any error nothing is recorded and no new volume remains.
 */
export function attachNamedVolumes(volumes: VolumeStore, named: NamedVolumeRequest[], containerId: string): AttachedVolume[] {
  const db = volumes.store.database
  const createdDirs: string[] = []
  const attach = db.transaction((): AttachedVolume[] =>
    named.map((request) => {
      const options = request.options.filter((o) => o !== 'nocreate')
      const noCreate = options.length !== request.options.length
      // Podman's ProcessOptions for a named volume: no source, so nosuid and nodev by default
      const mountOptions = processMountOptions(options, {tmpfs: false})
      let volume = request.name ? volumes.get(request.name) : undefined
      if (!volume) {
        if (request.name && noCreate) throw new NoSuchVolumeError(`volume ${request.name} does not exist and nocreate option is set: no such volume`)
        const created = volumes.createSync(request.name ? {name: request.name, anonymous: false} : {anonymous: true, createdFor: containerId})
        volume = created.volume
        if (created.created) createdDirs.push(volumes.volumeDir(volume.name))
      }
      volumes.addUser(volume.name, containerId)
      const source = volumes.ensureDataDir(volume.name)
      const filesystem = volumeFilesystem(volume.options)
      if (filesystem) return {volume, destination: request.destination, mount: filesystemMount(filesystem, request.destination, options), copyUp: false}
      return {
        volume,
        destination: request.destination,
        mount: {destination: request.destination, type: 'bind', source, options: mountOptions},
        copyUp: volume.needsCopyUp && !options.includes('nocopy') && !hasNoCopy(volume.options),
      }
    }),
  )
  try {
    return attach.immediate()
  } catch (err) {
    // the rows are rolled back; their fresh, empty dirs go too
    for (const dir of createdDirs) fs.rmSync(dir, {recursive: true, force: true})
    throw err
  }
}

/**
 * The mount of a volume created with a type: its device dir bound (type=bind), or a tmpfs, with
 * the volume's mount options and then the -v ones. Unlike Podman, which mounts such a volume once
 * on its _data while containers use it, each container gets its own mount: a tmpfs volume is not
 * shared between containers running at the same time.
 */
function filesystemMount(filesystem: VolumeFilesystem, destination: string, requested: string[]): OciMount {
  if (filesystem.type === 'bind') {
    const own = filesystem.options
    const options = processMountOptions([...own, ...requested.filter((o) => !own.includes(o))], {tmpfs: false})
    return {destination, type: 'bind', source: filesystem.device, options}
  }
  const ignored = new Set(['z', 'Z', 'copy', 'nocopy'])
  return {destination, type: 'tmpfs', source: filesystem.device, options: [...filesystem.options, ...requested.filter((o) => !ignored.has(o))]}
}

/** The bind mounts of attachNamedVolumes, for the container's spec. */
export function mountNamedVolumes(volumes: VolumeStore, named: NamedVolumeRequest[], containerId: string): OciMount[] {
  return attachNamedVolumes(volumes, named, containerId).map((a) => a.mount)
}
