// A container's health: its status, failing streak and last results, kept as Podman keeps them
// (its healthcheck.log, JSON, beside the container's run files: gone with the container, or
// after a reboot). `inspect` shows it as .State.Health, `ps` as "(healthy)".
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {Store} from '../../storage/store/store'
import type {Container} from './config'
import {bundleDir} from './paths'

export type HealthStatus = '' | 'starting' | 'healthy' | 'unhealthy'

/** One check's result; times as RFC 3339 with nanoseconds, ExitCode 0, 1 (failed) or -1 (timed out). */
export interface HealthLogEntry {
  Start: string
  End: string
  ExitCode: number
  Output: string
}

/** Podman's HealthCheckResults, as inspect prints it. */
export interface HealthResults {
  Status: HealthStatus
  FailingStreak: number
  Log: HealthLogEntry[] | null
}

/** Podman keeps the last five results. */
export const MAX_HEALTH_LOG_ENTRIES = 5
/** and 500 characters of each one's output */
export const MAX_HEALTH_OUTPUT_LENGTH = 500

export const NO_HEALTH_RESULTS: HealthResults = {Status: '', FailingStreak: 0, Log: null}

export function healthLogPath(store: Store, id: string): string {
  return path.join(bundleDir(store, id), 'healthcheck.log')
}

/** The container's health so far; none recorded (never started, or after a reboot): empty. */
export function readHealth(store: Store, id: string): HealthResults {
  let text: string
  try {
    text = fs.readFileSync(healthLogPath(store, id), 'utf8')
  } catch {
    return {...NO_HEALTH_RESULTS}
  }
  const parsed = JSON.parse(text) as Partial<HealthResults>
  return {Status: parsed.Status ?? '', FailingStreak: parsed.FailingStreak ?? 0, Log: parsed.Log ?? null}
}

function writeHealth(store: Store, id: string, results: HealthResults): void {
  const file = healthLogPath(store, id)
  fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  // a reader (inspect, ps, a check run by the timer) sees the old results or the new, never half
  const temp = `${file}.${process.pid}`
  fs.writeFileSync(temp, JSON.stringify(results), {mode: 0o600})
  fs.renameSync(temp, file)
}

/** At each start: the status turns to starting; the streak and the log stay, as Podman's. */
export function markHealthStarting(store: Store, id: string): void {
  writeHealth(store, id, {...readHealth(store, id), Status: 'starting'})
}

/**
 * One check's result added: a success makes the container healthy; a failure outside the start
 * period adds to the streak, and `retries` failures in a row make it unhealthy. Returns the new status.
 */
export function recordHealthResult(store: Store, id: string, entry: HealthLogEntry, retries: number, inStartPeriod: boolean): HealthStatus {
  const health = readHealth(store, id)
  if (entry.ExitCode === 0) {
    health.Status = 'healthy'
    health.FailingStreak = 0
  } else {
    if (health.Status === '') health.Status = 'healthy'
    if (!inStartPeriod) {
      health.FailingStreak++
      if (health.FailingStreak >= retries) health.Status = 'unhealthy'
    }
  }
  health.Log = [...(health.Log ?? []), {...entry, Output: entry.Output.slice(0, MAX_HEALTH_OUTPUT_LENGTH)}].slice(-MAX_HEALTH_LOG_ENTRIES)
  writeHealth(store, id, health)
  return health.Status
}

/** The container's health status now; undefined when it has no healthcheck. */
export function healthStatusOf(store: Store, c: Container): HealthStatus | undefined {
  return c.config.healthcheck ? readHealth(store, c.config.id).Status : undefined
}
