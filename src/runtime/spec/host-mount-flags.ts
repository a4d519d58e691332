// The nosuid/nodev/noexec flags of the host mount holding a path. A bind mount of it inherits
// them anyway (in a user namespace they are locked), so Podman writes them into the mount's
// options (statfs f_flags in pkg/util/mount_opts_linux.go); Node's statfs has no flags, so
// they come from the per-mount options in /proc/self/mountinfo.
import * as fs from 'node:fs'

export interface MountFlags {
  nosuid: boolean
  nodev: boolean
  noexec: boolean
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

function contains(mountPoint: string, p: string): boolean {
  return mountPoint === '/' || p === mountPoint || p.startsWith(mountPoint + '/')
}

/** Flags of the mount that `realPath` (already free of symlinks) lives on. */
export function mountFlagsOf(realPath: string, mountinfo = '/proc/self/mountinfo'): MountFlags {
  let best: {point: string; options: string[]} | undefined
  for (const line of fs.readFileSync(mountinfo, 'utf8').split('\n')) {
    const fields = line.split(' ')
    if (fields.length < 6) continue
    const point = unescape(fields[4])
    // the last of equally long matches is the top of a stack of mounts on one point
    if (contains(point, realPath) && (!best || point.length >= best.point.length)) best = {point, options: fields[5].split(',')}
  }
  const options = best?.options ?? []
  return {nosuid: options.includes('nosuid'), nodev: options.includes('nodev'), noexec: options.includes('noexec')}
}
