// `volume inspect` / `volume ls --format json` records in Podman's shape (libpod/define
// InspectVolumeData), and the same record for Go templates, where fields Podman omits from
// JSON when empty still exist (`{{.Anonymous}}` prints false) and CreatedAt is a time.
import type {Volume, VolumeStore} from './volume-store'

export interface InspectVolumeData {
  Name: string
  Driver: string
  Mountpoint: string
  /** Go's time.Time in JSON: RFC 3339 with nanoseconds, local zone */
  CreatedAt: string
  Labels: Record<string, string>
  Scope: 'local'
  Options: Record<string, string>
  UID?: number
  GID?: number
  Anonymous?: boolean
  MountCount: number
  NeedsCopyUp?: boolean
  NeedsChown?: boolean
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** Go's time.Time.MarshalJSON (RFC3339Nano) in the local zone: 2026-11-23T11:16:27.35Z, or …+01:00. */
export function goJsonTime(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset()
  const local = new Date(date.getTime() + offsetMinutes * 60_000)
  const iso = local.toISOString() // local wall clock, written as if UTC
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '')
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const zone = offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  return `${iso.slice(0, 19)}${fraction}${zone}`
}

/** Go writes a map's keys in sorted order. */
function sortedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export function inspectVolume(volumes: VolumeStore, volume: Volume): InspectVolumeData {
  // in Podman's field order; UID, GID, Anonymous, NeedsCopyUp and NeedsChown are omitempty
  return {
    Name: volume.name,
    Driver: volume.driver,
    Mountpoint: volumes.mountpoint(volume.name),
    CreatedAt: goJsonTime(new Date(volume.created)),
    Labels: sortedKeys(volume.labels),
    Scope: 'local',
    Options: sortedKeys(volume.options),
    ...(volume.uid ? {UID: volume.uid} : {}),
    ...(volume.gid ? {GID: volume.gid} : {}),
    ...(volume.anonymous ? {Anonymous: true} : {}),
    MountCount: 0,
    ...(volume.needsCopyUp ? {NeedsCopyUp: true} : {}),
    ...(volume.needsChown ? {NeedsChown: true} : {}),
  }
}

/** The record as Go templates see Podman's struct: every field present, CreatedAt a time. */
export function templateRecord(data: InspectVolumeData): Record<string, unknown> {
  return {
    UID: 0,
    GID: 0,
    Anonymous: false,
    NeedsCopyUp: false,
    NeedsChown: false,
    Timeout: 0,
    StorageID: '',
    Status: {},
    ...data,
    CreatedAt: new Date(data.CreatedAt),
  }
}
