// Podman's /etc/mtab: a container whose image has none gets a symlink to /proc/mounts (libpod's
// makePlatformMtabLink). tspod makes it in the container's upper dir when the container is created.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {statRootfsPath} from '../spec/rootfs-files'

/** Add the link unless the image has an /etc/mtab (or an /etc that is no dir); the paths made. */
export function addMtabLink(upperDir: string, lowerDirs: string[]): string[] {
  if (lowerDirs.length === 0 || statRootfsPath(lowerDirs, '/etc/mtab', {followSymlinks: false})) return []
  const etc = statRootfsPath(lowerDirs, '/etc', {followSymlinks: false})
  if (etc && etc.type !== 'directory') return []
  const upperEtc = path.join(upperDir, 'etc')
  const link = path.join(upperEtc, 'mtab')
  // a full-copy root (vfs) has the image's /etc already
  if (fs.existsSync(upperEtc)) {
    fs.symlinkSync('/proc/mounts', link)
    return [link]
  }
  // a dir of the upper layer merges with the image's /etc; it takes that dir's mode
  fs.mkdirSync(upperEtc)
  fs.chmodSync(upperEtc, etc ? etc.mode & 0o7777 : 0o755)
  fs.symlinkSync('/proc/mounts', link)
  return [upperEtc, link]
}
