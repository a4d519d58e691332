// --device: a host device node bound into the container, as rootless Podman adds one (a bind
// mount, nosuid and noexec). tspod does so as root too: its /dev is made of binds, and the rootfs
// is nodev, so a bound node is the only way in for a device. The values are parsed and checked by
// specgen/devices.ts; like rootless Podman, which has no device cgroup either, tspod does not
// enforce their permissions (the node's own mode and owner decide).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../../errors'
import type {DeviceSpec} from '../../specgen/container-spec'
import {isDeviceNode, statDevice} from '../../specgen/devices'
import type {OciMount} from '../oci-spec'

const DEVICE_MOUNT_OPTIONS = ['slave', 'nosuid', 'noexec', 'rw', 'rbind']

/** The device nodes below a dir, as [path relative to it] (Podman adds every one). */
function devicesBelow(dir: string, rel = ''): string[] {
  const found: string[] = []
  for (const entry of fs.readdirSync(path.join(dir, rel), {withFileTypes: true})) {
    const child = path.join(rel, entry.name)
    if (entry.isDirectory()) found.push(...devicesBelow(dir, child))
    else if (entry.isCharacterDevice() || entry.isBlockDevice()) found.push(child)
  }
  return found
}

/** /dev's subdirs that hold no devices of the host's to share (Podman's getDevices skips them). */
const SKIPPED_DEV_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev'])

/**
 * --privileged: every host device under /dev, bound as rootless Podman binds them; not /dev/ptmx
 * nor the host's terminals (/dev/tty*), which belong to the host's sessions.
 */
export function privilegedDeviceMounts(devDir = '/dev'): OciMount[] {
  const found: string[] = []
  const walk = (dir: string): void => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, {withFileTypes: true})
    } catch {
      return
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!(dir === devDir && SKIPPED_DEV_DIRS.has(entry.name))) walk(full)
      } else if (entry.isCharacterDevice() || entry.isBlockDevice()) found.push(full)
    }
  }
  walk(devDir)
  return found
    .filter((p) => {
      const inside = path.posix.join('/dev', path.relative(devDir, p))
      return inside !== '/dev/ptmx' && !inside.startsWith('/dev/tty')
    })
    .map((p) => ({destination: path.posix.join('/dev', path.relative(devDir, p)), type: 'bind', source: p, options: [...DEVICE_MOUNT_OPTIONS]}))
}

/** The bind mounts for the --device values. */
export function deviceMounts(devices: DeviceSpec[]): OciMount[] {
  const mounts: OciMount[] = []
  for (const {source, destination} of devices) {
    const st = statDevice(source)
    const bind = (src: string, dest: string): OciMount => ({destination: dest, type: 'bind', source: src, options: [...DEVICE_MOUNT_OPTIONS]})
    if (st.isDirectory()) {
      for (const rel of devicesBelow(source)) mounts.push(bind(path.join(source, rel), path.posix.join(destination, rel)))
    } else if (isDeviceNode(st)) {
      mounts.push(bind(source, destination))
    } else {
      throw new UsageError(`${source} is not a valid device: not a device node`)
    }
  }
  return mounts
}
