// Resource limits (--memory, --kernel-memory). tspod manages no cgroups: as rootless Podman on
// cgroups v1, limits are then ignored with Podman's warning; elsewhere a real limit is refused
// rather than silently dropped (0 is no limit, so nothing to apply).
import {UsageError} from '../errors'
import {readCgroupInfo} from '../runtime/host'

const BINARY_UNITS: Record<string, number> = {k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5}

export const KERNEL_MEMORY_WARNING = 'The --kernel-memory flag is no longer supported. This flag is a noop.'
export const RESOURCE_LIMITS_IGNORED = 'Resource limits are not supported and ignored on cgroups V1 rootless systems'

/** go-units RAMInBytes: "512m", "1g", "100" (bytes), binary multipliers. */
export function parseMemorySize(text: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text)
  if (!m) throw new UsageError(`invalid size: '${text}'`)
  return Math.trunc(Number(m[1]) * (m[2] ? BINARY_UNITS[m[2].toLowerCase()] : 1))
}

export interface ResourceHost {
  rootless: boolean
  cgroupVersion: 'v1' | 'v2'
}

function currentHost(): ResourceHost {
  return {rootless: process.getuid?.() !== 0, cgroupVersion: readCgroupInfo().version}
}

/**
 * Check --memory against what this host lets tspod do; returns the warning to print, if any.
 * Podman ignores every limit of a rootless container on cgroups v1 (with a warning).
 */
export function checkMemoryLimit(memory: string | undefined, host: ResourceHost = currentHost()): string | undefined {
  if (memory === undefined) return undefined
  const bytes = parseMemorySize(memory)
  if (host.rootless && host.cgroupVersion === 'v1') return RESOURCE_LIMITS_IGNORED
  if (bytes > 0) throw new UsageError(`--memory ${memory}: tspod manages no cgroups, so it cannot apply a memory limit here (only 0, no limit, is accepted)`)
  return undefined
}
