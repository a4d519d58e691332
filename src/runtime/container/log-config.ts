// A container's log driver and its options (--log-driver, --log-opt), parsed as Podman 4.3 does
// (pkg/specgenutil): `driver=`, `path=`, `max-size=` (docker/go-units FromHumanSize: decimal
// units, so 1m and 1MiB are both 1000000 bytes) and `tag=`; other keys are kept and unused.
import * as path from 'node:path'

import {UsageError} from '../../errors'
import {loadContainersConf} from '../../storage/config/containers-conf'

/** k8s-file (json-file is Podman's other name for it: the same file), or none. */
export type LogDriver = 'k8s-file' | 'json-file' | 'none'

export interface LogConfig {
  driver: LogDriver
  /** path=: where the log is written instead of the container's userdata dir */
  path?: string
  /** tag=: kept for inspect (Podman uses it only for journald) */
  tag?: string
  /** max-size= in bytes; 0: containers.conf's log_size_max applies */
  size: number
}

export const DEFAULT_LOG_CONFIG: LogConfig = {driver: 'k8s-file', size: 0}

const DRIVERS: readonly string[] = ['k8s-file', 'json-file', 'none']
/** Drivers Podman has and tspod does not. */
const UNSUPPORTED_DRIVERS: readonly string[] = ['journald', 'passthrough', 'passthrough-tty']

const DECIMAL_UNITS: Record<string, number> = {k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15}

/** go-units FromHumanSize: "1m", "1.5 kB", "10" (bytes). */
export function parseHumanSize(text: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text)
  if (!m) throw new UsageError(`invalid size: '${text}'`)
  if (!/^\d+(\.\d+)?$/.test(m[1])) throw new UsageError(`strconv.ParseFloat: parsing "${m[1]}": invalid syntax`)
  const size = Math.trunc(Number(m[1]) * (m[2] ? DECIMAL_UNITS[m[2].toLowerCase()] : 1))
  // Go's int64 conversion of a larger float is negative, and Podman then sets no limit
  return size > Number.MAX_SAFE_INTEGER ? 0 : size
}

/** go-units HumanSize, as inspect's LogConfig.Size shows it: "1MB", "1.5kB", "0B". */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  let size = bytes
  let i = 0
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000
    i++
  }
  const text = size.toPrecision(4)
  return `${text.includes('e') ? String(Number(text)) : text.includes('.') ? text.replace(/\.?0+$/, '') : text}${units[i]}`
}

function checkDriver(driver: string): LogDriver {
  if (driver === '') return 'k8s-file'
  if (DRIVERS.includes(driver)) return driver as LogDriver
  if (UNSUPPORTED_DRIVERS.includes(driver))
    throw new UsageError(`--log-driver ${driver} is not supported by tspod: use k8s-file (the default), json-file or none`)
  throw new UsageError('running container create option: invalid log driver: invalid argument')
}

/** --log-driver and every --log-opt KEY=VALUE, in order (a later one wins). */
export function parseLogConfig(driver: string | undefined, options: string[] = []): LogConfig {
  let chosen = driver ?? ''
  const config: Omit<LogConfig, 'driver'> = {size: 0}
  for (const option of options) {
    const eq = option.indexOf('=')
    if (eq < 0) throw new UsageError(`invalid log option "${option}"`)
    const value = option.slice(eq + 1)
    switch (option.slice(0, eq).toLowerCase()) {
      case 'driver':
        chosen = value
        break
      case 'path':
        // conmon writes it from a working dir of its own: a relative path would land anywhere
        if (!path.isAbsolute(value)) throw new UsageError(`--log-opt path=${value}: the log path must be absolute`)
        config.path = path.normalize(value)
        break
      case 'max-size':
        config.size = parseHumanSize(value)
        break
      case 'tag':
        config.tag = value
        break
      default:
      // Podman keeps other keys (max-file, mode, ...) and does nothing with them
    }
  }
  return {driver: checkDriver(chosen), ...config}
}

/**
 * The limit the log is kept under, in bytes (0: none): max-size, else containers.conf's
 * log_size_max as read when the container starts (libpod's Container.LogSizeMax).
 */
export function logSizeLimit(log: LogConfig, env: NodeJS.ProcessEnv = process.env): number {
  if (log.driver === 'none') return 0
  if (log.size > 0) return log.size
  return Math.max(0, loadContainersConf(env).logSizeMax)
}
