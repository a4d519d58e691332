// --cgroups: whether the container gets a cgroup of its own. tspod creates none (a rootless
// container on this kind of host has none under Podman either): the mode is recorded, shown by
// inspect, and `split` checks at each start that tspod's own cgroup can be found, as Podman does.
import {UsageError} from '../errors'

export const CGROUPS_MODES = ['enabled', 'disabled', 'no-conmon', 'split'] as const
export type CgroupsMode = (typeof CGROUPS_MODES)[number]

export function parseCgroupsMode(mode: string | undefined): CgroupsMode | undefined {
  if (mode === undefined) return undefined
  if (!(CGROUPS_MODES as readonly string[]).includes(mode)) throw new UsageError(`running container create option: invalid cgroup mode "${mode}": invalid argument`)
  return mode as CgroupsMode
}
