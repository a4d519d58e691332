// --volumes-from at create, as libpod's getVolumesFrom: each named container's named and anonymous
// volumes and its -v/--mount bind mounts, mounted at the same destinations, in the mode the donor
// has unless ro or rw says otherwise. A later --volumes-from wins at a destination, the new
// container's own -v, --mount and --tmpfs over all. The donor's tmpfs mounts are not shared.
import {UsageError} from '../../errors'
import type {BindMountSpec, ContainerSpec, MountSpec, VolumeMountSpec, VolumesFromSpec} from '../../specgen/container-spec'
import type {Container} from './config'
import type {ContainerRecords} from './records'

const READ_WRITE = new Set(['ro', 'rw'])
const LABELS = new Set(['z', 'Z'])

/** The donor's options with the ones --volumes-from gives in place of the same kind. */
function withOptions(donorOptions: string[], given: string[]): string[] {
  const replaced = (o: string) => (READ_WRITE.has(o) && given.some((g) => READ_WRITE.has(g))) || (LABELS.has(o) && given.includes('z'))
  return [...donorOptions.filter((o) => !replaced(o)), ...given]
}

function lookupDonor(records: ContainerRecords, from: VolumesFromSpec): Container {
  try {
    return records.lookup(from.container)
  } catch (err) {
    throw new UsageError(`looking up container ${JSON.stringify(from.container)} for volumes-from: ${(err as Error).message}`, {cause: err})
  }
}

/** What one donor shares: its binds and its volumes (an anonymous one by the name it was given). */
function donorMounts(donor: Container, from: VolumesFromSpec, warnings: string[]): (BindMountSpec | VolumeMountSpec)[] {
  const own = donor.config.containerSpec.mounts
  const shared: (BindMountSpec | VolumeMountSpec)[] = []
  for (const mount of own) {
    if (mount.type === 'bind') shared.push({...mount, options: withOptions(mount.options, from.options)})
    if (mount.type === 'tmpfs') warnings.push(`Unable to match volume ${mount.destination} from container ${donor.config.id} for volumes-from`)
  }
  for (const volume of donor.config.volumes) {
    const asGiven = own.find((m) => m.type === 'volume' && m.destination === volume.destination)
    shared.push({type: 'volume', name: volume.name, destination: volume.destination, options: withOptions(asGiven?.options ?? [], from.options)})
  }
  return shared
}

/** The mounts a container is created with: its own, then what --volumes-from adds where its own leave room. */
export function mountsWithVolumesFrom(records: ContainerRecords, spec: ContainerSpec): {mounts: MountSpec[]; warnings: string[]} {
  const warnings: string[] = []
  if (!spec.volumesFrom?.length) return {mounts: spec.mounts, warnings}
  const inherited = new Map<string, MountSpec>()
  for (const from of spec.volumesFrom) {
    for (const mount of donorMounts(lookupDonor(records, from), from, warnings)) inherited.set(mount.destination, mount)
  }
  for (const mount of spec.mounts) inherited.delete(mount.destination)
  for (const device of spec.devices) inherited.delete(device.destination)
  return {mounts: [...spec.mounts, ...inherited.values()], warnings}
}
