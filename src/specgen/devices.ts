// `--device HOST[:CONTAINER][:PERMISSIONS]` as Podman parses it (pkg/util ParseDevice,
// IsValidDeviceMode), with its messages. HOST must be a device node, or a dir holding them, when
// the container is created; runtime/spec/devices.ts binds them.
import * as fs from 'node:fs'

import {UsageError} from '../errors'
import type {DeviceSpec} from './container-spec'

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
export function parseDevice(value: string): DeviceSpec {
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

/** The host's node (or dir) a --device names, in Podman's words when it is not there. */
export function statDevice(source: string): fs.Stats {
  try {
    return fs.statSync(source)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const reason = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message
    throw new UsageError(`stat ${source}: ${reason}`, {code: e.code, errno: e.errno, path: source, cause: err})
  }
}

export function isDeviceNode(st: fs.Stats): boolean {
  return st.isCharacterDevice() || st.isBlockDevice()
}

/** The --device values; an empty one is ignored, as Podman ignores it. Each names a device node or a dir. */
export function parseDevices(values: string[]): DeviceSpec[] {
  const devices: DeviceSpec[] = []
  for (const value of values) {
    if (value === '') continue
    const device = parseDevice(value)
    const st = statDevice(device.source)
    if (!st.isDirectory() && !isDeviceNode(st)) throw new UsageError(`${device.source} is not a valid device: not a device node`)
    devices.push(device)
  }
  return devices
}
