// An event as Podman's libpod/events.Event: one JSON line each in the events log, in Go's field
// order (encoding/json: struct order, omitempty fields left out, the embedded Details' ID hidden
// by the outer one, map keys sorted), and its human-readable line (ToHumanReadable).
import {goTimeString, nowTime} from './time'

export type EventType = 'container' | 'image' | 'network' | 'pod' | 'system' | 'volume' | 'machine'

export const EVENT_TYPES: readonly EventType[] = ['container', 'image', 'network', 'pod', 'system', 'volume', 'machine']

export interface PodmanEvent {
  ContainerExitCode?: number
  ID?: string
  Image?: string
  Name?: string
  /** the network's name, in network events */
  network?: string
  Status: string
  /** RFC 3339 with nanoseconds, as Go's time.Time marshals */
  Time: string
  Type: EventType
  health_status?: string
  PodID?: string
  Attributes: Record<string, string> | null
}

/** A new event now; the fields left out are omitted (or null, for Attributes) as Podman writes them. */
export function newEvent(type: EventType, status: string, fields: Partial<Omit<PodmanEvent, 'Type' | 'Status' | 'Time'>> = {}): PodmanEvent {
  return {...fields, Status: status, Time: nowTime(), Type: type, Attributes: fields.Attributes ?? null}
}

/** The JSON line, keys in Go's order. */
export function eventJson(e: PodmanEvent): string {
  const out: Record<string, unknown> = {}
  if (e.ContainerExitCode) out.ContainerExitCode = e.ContainerExitCode
  if (e.ID) out.ID = e.ID
  if (e.Image) out.Image = e.Image
  if (e.Name) out.Name = e.Name
  if (e.network) out.network = e.network
  out.Status = e.Status
  out.Time = e.Time
  out.Type = e.Type
  if (e.health_status) out.health_status = e.health_status
  if (e.PodID) out.PodID = e.PodID
  out.Attributes = e.Attributes === null || e.Attributes === undefined ? null : Object.fromEntries(Object.keys(e.Attributes).sort().map((k) => [k, e.Attributes![k]]))
  return JSON.stringify(out)
}

/** containers/storage's stringid.TruncateID */
export function truncateId(id: string): string {
  const bare = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id
  return bare.length > 12 ? bare.slice(0, 12) : bare
}

/** Podman's default line for an event (`truncate`: --no-trunc=false). */
export function humanReadable(e: PodmanEvent, truncate: boolean): string {
  const id = truncate ? truncateId(e.ID ?? '') : (e.ID ?? '')
  const time = goTimeString(e.Time)
  switch (e.Type) {
    case 'container':
    case 'pod': {
      let text = `${time} ${e.Type} ${e.Status} ${id} (image=${e.Image ?? ''}, name=${e.Name ?? ''}`
      if (e.PodID) text += `, pod_id=${e.PodID}`
      if (e.health_status) text += `, health_status=${e.health_status}`
      for (const [k, v] of Object.entries(e.Attributes ?? {})) text += `, ${k}=${v}`
      return `${text})`
    }
    case 'network':
      return `${time} ${e.Type} ${e.Status} ${id} (container=${id}, name=${e.network ?? ''})`
    case 'image':
      return `${time} ${e.Type} ${e.Status} ${id} ${e.Name ?? ''}`
    case 'system':
      return e.Name ? `${time} ${e.Type} ${e.Status} ${e.Name}` : `${time} ${e.Type} ${e.Status}`
    case 'volume':
    case 'machine':
      return `${time} ${e.Type} ${e.Status} ${e.Name ?? ''}`
  }
  return ''
}
