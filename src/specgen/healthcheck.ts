// --health-cmd and its --health-* companions, --no-healthcheck and --health-on-failure (Podman's
// makeHealthCheckFromCli and ParseHealthCheckOnFailureAction), with Podman's messages.
import type {ImageHealthcheck} from '../build/changes'
import {UsageError} from '../errors'
import {parseGoDuration} from '../runtime/time-value'

/** The Docker config's Healthcheck: Test (CMD …, CMD-SHELL …, NONE), durations in nanoseconds. */
export type HealthConfig = ImageHealthcheck

/** What is done once the container turns unhealthy. */
export type HealthOnFailure = 'none' | 'kill' | 'restart' | 'stop'

export const HEALTH_ON_FAILURE_ACTIONS: HealthOnFailure[] = ['none', 'kill', 'restart', 'stop']

export const DEFAULT_HEALTH_INTERVAL = '30s'
export const DEFAULT_HEALTH_RETRIES = 3
export const DEFAULT_HEALTH_START_PERIOD = '0s'
export const DEFAULT_HEALTH_TIMEOUT = '30s'

const NS_PER_MS = 1e6

export interface HealthcheckOptions {
  /** --health-cmd: a command line (run by /bin/sh -c) or a JSON array; "none" disables the image's */
  cmd?: string
  /** --health-interval: a Go duration, or "disable" */
  interval?: string
  /** --health-retries, as given */
  retries?: string
  /** --health-timeout */
  timeout?: string
  /** --health-start-period */
  startPeriod?: string
  /** --no-healthcheck */
  disabled?: boolean
}

/** A Go duration in ns, or Go's error under `what`. */
function duration(what: string, text: string): number {
  const ms = parseGoDuration(text)
  if (ms !== undefined) return Math.round(ms * NS_PER_MS)
  const missingUnit = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)
  throw new UsageError(`invalid ${what}: time: ${missingUnit ? 'missing unit in' : 'invalid'} duration ${JSON.stringify(text)}`)
}

/** The command as Podman stores it: ["CMD", argv…] for a JSON array of several, ["CMD-SHELL", line] otherwise. */
function healthTest(cmd: string): string[] {
  let words: string[]
  let isArray = true
  try {
    const parsed: unknown = JSON.parse(cmd)
    if (!Array.isArray(parsed) || !parsed.every((w) => typeof w === 'string')) throw new Error('not an array of strings')
    words = parsed as string[]
  } catch {
    isArray = false
    const space = cmd.indexOf(' ')
    words = space < 0 ? [cmd] : [cmd.slice(0, space), cmd.slice(space + 1)]
  }
  if (words.length === 0) throw new UsageError('must define a healthcheck command for all healthchecks')
  const first = words[0].toUpperCase()
  // Docker's own forms ("CMD …", "NONE") split at blanks, as given
  if (first === 'CMD' || first === 'NONE') words = cmd.split(/\s+/).filter((w) => w !== '')
  else if (first !== 'CMD-SHELL') words = isArray && words.length > 1 ? ['CMD', ...words] : ['CMD-SHELL', words.join(' ')]
  return words[0].toUpperCase() === 'NONE' ? ['NONE'] : words
}

/** The flags as a HealthConfig; undefined: none given (the image's is used). */
export function parseHealthcheck(options: HealthcheckOptions): HealthConfig | undefined {
  if (!options.cmd) return options.disabled ? {Test: ['NONE']} : undefined
  if (options.disabled) throw new UsageError('cannot specify both --no-healthcheck and --health-cmd')
  const config: HealthConfig = {Test: healthTest(options.cmd)}
  const interval = options.interval ?? DEFAULT_HEALTH_INTERVAL
  config.Interval = duration('healthcheck-interval', interval === 'disable' ? '0' : interval)
  const retriesText = options.retries ?? String(DEFAULT_HEALTH_RETRIES)
  if (!/^\+?\d+$/.test(retriesText)) throw new UsageError(`invalid argument ${JSON.stringify(retriesText)} for "--health-retries" flag: strconv.ParseUint: parsing ${JSON.stringify(retriesText)}: invalid syntax`)
  const retries = Number(retriesText)
  if (retries < 1) throw new UsageError('healthcheck-retries must be greater than 0')
  config.Retries = retries
  const timeout = duration('healthcheck-timeout', options.timeout ?? DEFAULT_HEALTH_TIMEOUT)
  if (timeout < 1) throw new UsageError('healthcheck-timeout must be at least 1 second')
  config.Timeout = timeout
  const startPeriod = duration('healthcheck-start-period', options.startPeriod ?? DEFAULT_HEALTH_START_PERIOD)
  if (startPeriod < 0) throw new UsageError('healthcheck-start-period must be 0 seconds or greater')
  config.StartPeriod = startPeriod
  return config
}

/** --health-on-failure; "" is none. */
export function parseHealthOnFailure(text: string | undefined): HealthOnFailure {
  if (text === undefined || text === '') return 'none'
  if ((HEALTH_ON_FAILURE_ACTIONS as string[]).includes(text)) return text as HealthOnFailure
  throw new UsageError(`invalid on-failure action ${JSON.stringify(text)} for health check: supported actions are ${HEALTH_ON_FAILURE_ACTIONS.join(',')}`)
}

/**
 * The container's healthcheck: the flags' (when given) or the image's, whose missing Timeout and
 * Interval take the defaults, as Podman fills them at create.
 */
export function containerHealthcheck(fromFlags: HealthConfig | undefined, fromImage: HealthConfig | undefined): HealthConfig | undefined {
  if (fromFlags) return fromFlags
  if (!fromImage) return undefined
  return {
    ...fromImage,
    Timeout: fromImage.Timeout || duration('healthcheck-timeout', DEFAULT_HEALTH_TIMEOUT),
    Interval: fromImage.Interval || duration('healthcheck-interval', DEFAULT_HEALTH_INTERVAL),
  }
}

/** A check that runs: not NONE, not empty. */
export function isActiveHealthcheck(config: HealthConfig | undefined): config is HealthConfig {
  return config !== undefined && config.Test.length > 0 && config.Test[0] !== '' && config.Test[0] !== 'NONE'
}
