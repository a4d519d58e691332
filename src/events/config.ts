// Where events go: containers.conf's [engine] events_logger (file or none; tspod has no journald
// backend, so its default is Podman's file logger), events_logfile_path (default
// <run root>/events/events.log, as Podman's <tmp dir>/events/events.log) and
// events_logfile_max_size (Podman's default 1 MB; 0: never rotated), with --events-backend over
// the logger. A journald in containers.conf (Podman's default on systemd hosts) is read as file.
import * as path from 'node:path'

import {UsageError} from '../errors'
import {loadContainersConf} from '../storage/config/containers-conf'

export type EventsBackend = 'file' | 'none'

export interface EventsConfig {
  backend: EventsBackend
  /** the log file (file backend) */
  path: string
  /** bytes; 0: no limit */
  maxSize: number
}

/** containers/common DefaultEventsLogSizeMax */
export const DEFAULT_EVENTS_LOG_MAX_SIZE = 1_000_000

/** A backend name as Podman takes it; journald is refused, tspod has none. */
export function parseEventsBackend(name: string, where: string): EventsBackend {
  if (name === 'file' || name === 'none') return name
  if (name === 'journald') throw new UsageError(`${where}: the journald events backend is not available in tspod: use "file" or "none"`)
  throw new UsageError(`configuring runtime: ${JSON.stringify(name)} is not a valid events backend: invalid argument`)
}

/** The configuration for a store whose run root is `runRoot`; `backend` is --events-backend. */
export function loadEventsConfig(runRoot: string, backend?: string): EventsConfig {
  const conf = loadContainersConf()
  let chosen: EventsBackend = 'file'
  if (backend !== undefined) chosen = parseEventsBackend(backend, '--events-backend')
  else if (conf.eventsLogger !== undefined && conf.eventsLogger.toLowerCase() !== 'journald') chosen = parseEventsBackend(conf.eventsLogger, 'events_logger in containers.conf')
  return {
    backend: chosen,
    path: conf.eventsLogFilePath || path.join(runRoot, 'events', 'events.log'),
    maxSize: conf.eventsLogFileMaxSize ?? DEFAULT_EVENTS_LOG_MAX_SIZE,
  }
}
