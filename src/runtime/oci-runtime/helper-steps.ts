// The steps of the process that becomes the external runtime, as Podman's rootless setup does
// for crun: in tspod's user and mount namespaces, `/` is made a slave of the host's (the
// runtime's own mounts stay here), the overlay rootfs is mounted on the merged dir (unless
// fuse-overlayfs has mounted it already), then the runtime is exec'd.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {ChildStep} from '../../native'
import {RootfsLayout, rootfsSteps} from '../plan'
import {MS} from '../rootfs-mount'
import {OciRuntimeInfo} from './resolve'

const CGROUP_V2_CONTROLLERS_IN_HYBRID = '/sys/fs/cgroup/unified/cgroup.controllers'

/**
 * A hybrid cgroup host (v1 controllers, plus cgroup2 on /sys/fs/cgroup/unified) whose cgroup2
 * has controllers: crun refuses to create any container there ("cgroups in hybrid mode not
 * supported, drop all controllers from cgroupv2"), even with cgroups disabled.
 */
export function hybridCgroupWithV2Controllers(file = CGROUP_V2_CONTROLLERS_IN_HYBRID): boolean {
  try {
    return fs.readFileSync(file, 'utf8').trim() !== ''
  } catch {
    return false
  }
}

export interface HelperInput {
  layout: RootfsLayout
  runtime: OciRuntimeInfo
  /** where an empty file for the cgroup step may be written */
  bundleDir: string
  rootless: boolean
}

export function helperSteps(input: HelperInput): ChildStep[] {
  const merged = path.resolve(input.layout.mergedDir)
  const steps: ChildStep[] = [
    {kind: 'mount', name: 'make `/` a slave mount', source: 'none', path: '/', flags: MS.SLAVE | MS.REC},
  ]
  // A rootless runtime can use no cgroup on such a host anyway (crun ignores cgroup errors when
  // rootless and no cgroupsPath is set); in this private mount namespace crun is shown an empty
  // cgroup2 controller list so that it gets that far. The host's cgroups are not touched.
  if (input.rootless && input.runtime.kind === 'crun' && hybridCgroupWithV2Controllers()) {
    const empty = path.join(input.bundleDir, 'cgroup2-controllers')
    fs.writeFileSync(empty, '', {mode: 0o444})
    steps.push({
      kind: 'mount',
      name: 'hide the cgroup2 controllers of a hybrid host',
      source: empty,
      path: CGROUP_V2_CONTROLLERS_IN_HYBRID,
      flags: MS.BIND,
    })
  }
  // fuse-overlayfs (layout.mountedBy) has mounted the rootfs before this process runs its steps
  if (!input.layout.mountedBy) steps.push(...rootfsSteps({...input.layout, mergedDir: merged}))
  return steps
}
