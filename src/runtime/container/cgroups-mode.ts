// --cgroups at each start. tspod makes no cgroups, so only split has something to check: its
// container's cgroup would sit under the starting process's own, found as Podman finds it in
// /proc/self/cgroup (the cgroup v2 line "0::PATH", else the longest v1 path; the root cgroup
// does not count). Where there is none, the start fails as Podman's does.
import * as fs from 'node:fs'

import {ContainerStartError} from '../../errors'
import type {CgroupsMode} from '../../specgen/cgroups-mode'

const OWN_CGROUP_FILE = '/proc/self/cgroup'

/** The cgroup this process is in, from /proc/self/cgroup's text; undefined when it is the root or unknown. */
export function ownCgroup(text: string): string | undefined {
  let cgroup = ''
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const parts = line.split(':')
    if (parts.length < 3) return undefined
    const cgroupPath = parts.slice(2).join(':')
    if (line.startsWith('0::')) {
      cgroup = cgroupPath
      break
    }
    if (cgroupPath.length > cgroup.length) cgroup = cgroupPath
  }
  return cgroup === '' || cgroup === '/' ? undefined : cgroup
}

export function checkCgroupsMode(mode: CgroupsMode | undefined, cgroupFile = OWN_CGROUP_FILE): void {
  if (mode !== 'split') return
  if (!ownCgroup(fs.readFileSync(cgroupFile, 'utf8'))) throw new ContainerStartError(`could not find cgroup mount in "${cgroupFile}"`)
}
