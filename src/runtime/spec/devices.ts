// --device HOST[:CONTAINER][:PERMISSIONS]: a host device node bound into the container, as
// rootless Podman adds one (a bind mount, nosuid and noexec). tspod does so as root too: its
// /dev is made of binds, and the rootfs is nodev, so a bound node is the only way in for a device.
// PERMISSIONS are checked as Podman checks them; like rootless Podman, which has no device
// cgroup either, tspod does not enforce them (the node's own mode and owner decide).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UsageError} from '../../errors'
import type {OciMount} from '../oci-spec'

export interface DeviceRequest {
  source: string
  destination: string
  permissions: string
}

const DEVICE_MOUNT_OPTIONS = ['slave', 'nosuid', 'noexec', 'rw', 'rbind']

/** r, w and m, each at most once (Podman's IsValidDeviceMode). */
function isDeviceMode(mode: string): boolean {
  if (mode.length === 0 || mode.length > 3) return false
  const seen = new Set<string>()
  for (const c of mode) {
    if (!'rwm'.includes(c) || seen.has(c)) return false
    seen.add(c)
  }
  return true
}

/** One --device value, split as Podman's ParseDevice splits it. */
export function parseDevice(value: string): DeviceRequest {
  const parts = value.split(':')
  if (parts.length > 3) throw new UsageError(`invalid device specification: ${value}`)
  let destination = ''
  let permissions = 'rwm'
  if (parts.length === 3) {
    if (!isDeviceMode(parts[2])) throw new UsageError(`invalid device mode: ${parts[2]}`)
    permissions = parts[2]
  }
  if (parts.length >= 2) {
    if (isDeviceMode(parts[1])) permissions = parts[1]
    else if (parts[1].length > 0 && !parts[1].startsWith('/')) throw new UsageError(`invalid device mode: ${parts[1]}`)
    else destination = parts[1]
  }
  const source = parts[0]
  return {source, destination: destination || source, permissions}
}

function isDevice(st: fs.Stats): boolean {
  return st.isCharacterDevice() || st.isBlockDevice()
}

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

/** The bind mounts for the --device values; an empty value is ignored, as Podman ignores it. */
export function deviceMounts(values: string[]): OciMount[] {
  const mounts: OciMount[] = []
  for (const value of values) {
    if (value === '') continue
    const {source, destination} = parseDevice(value)
    let st: fs.Stats
    try {
      st = fs.statSync(source)
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      const reason = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message
      throw new UsageError(`stat ${source}: ${reason}`, {code: e.code, errno: e.errno, path: source, cause: err})
    }
    const bind = (src: string, dest: string): OciMount => ({destination: dest, type: 'bind', source: src, options: [...DEVICE_MOUNT_OPTIONS]})
    if (st.isDirectory()) {
      for (const rel of devicesBelow(source)) mounts.push(bind(path.join(source, rel), path.posix.join(destination, rel)))
    } else if (isDevice(st)) {
      mounts.push(bind(source, destination))
    } else {
      throw new UsageError(`${source} is not a valid device: not a device node`)
    }
  }
  return mounts
}
