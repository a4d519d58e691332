// What config.json depends on about the host and the tspod process itself: capabilities the
// kernel knows and this process may pass on, its rlimits, mqueue, the cgroup version (which
// decides the default cgroup namespace) and the host-specific masked paths.
import {readCgroupInfo} from '../host'
import {readBoundingSet, readEffectiveSet, readLastCap, supportedCapabilities} from './capabilities'
import {ProcessLimits, mqueueSupported, readProcessLimits, thermalThrottlePaths} from './defaults'

export interface HostFacts {
  supportedCapabilities: string[]
  /** the tspod process's bounding set */
  boundingSet: string[]
  /** this process's RLIMIT_NOFILE and RLIMIT_NPROC */
  limits: ProcessLimits
  /** this process holds CAP_SYS_RESOURCE, so the container's rlimits may exceed its own */
  capSysResource: boolean
  mqueue: boolean
  /** 'v2' only for a pure unified hierarchy: only then does a container get its own cgroup namespace (Podman's cgroupns default) */
  cgroupVersion: 'v1' | 'v2'
  thermalThrottlePaths: string[]
}

/** Read from /proc and /sys of the calling process; call it in the process that will start the container. */
export function readHostFacts(): HostFacts {
  const supported = supportedCapabilities(readLastCap())
  return {
    supportedCapabilities: supported,
    boundingSet: readBoundingSet(supported),
    limits: readProcessLimits(),
    capSysResource: readEffectiveSet(supported).includes('CAP_SYS_RESOURCE'),
    mqueue: mqueueSupported(),
    cgroupVersion: readCgroupInfo().version,
    thermalThrottlePaths: thermalThrottlePaths(),
  }
}
