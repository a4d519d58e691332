// The global --cgroup-manager. tspod manages no cgroups through either manager (a rootless
// container here has no cgroup of its own, under Podman too), so the choice changes nothing;
// a value that is neither is refused as Podman's runtime refuses it, failing every command.
import {TspodError} from '../errors'

export const CGROUP_MANAGERS = ['cgroupfs', 'systemd'] as const
export type CgroupManager = (typeof CGROUP_MANAGERS)[number]

export function parseCgroupManager(name: string): CgroupManager {
  if (!(CGROUP_MANAGERS as readonly string[]).includes(name)) throw new TspodError('configuring runtime: cgroup manager must be one of cgroupfs and systemd: invalid argument')
  return name as CgroupManager
}
