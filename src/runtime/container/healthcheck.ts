// `healthcheck run`: the container's check run once now, as an exec session (exec.ts), its
// output and exit recorded in the container's health log (Podman's runHealthCheck).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {nowTime} from '../../events/time'
import type {Store} from '../../storage/store/store'
import {HealthConfig, isActiveHealthcheck} from '../../specgen/healthcheck'
import {goDuration} from '../top/go-format'
import type {Container} from './config'
import {execInContainer} from './exec'
import {HealthStatus, recordHealthResult} from './health-log'
import {exitCodeOf} from './launch'
import {bundleDir} from './paths'

export interface HealthcheckOutcome {
  /** the check failed (its exit code was not 0, it could not run, or it took too long) */
  failed: boolean
  /** the container's health after it */
  status: HealthStatus
  /** it took longer than its Timeout: Podman's error, after the result was recorded */
  timedOut?: TspodError
}

/** The argv a check runs: CMD's words, CMD-SHELL's line under /bin/sh -c (Docker's default shell), any other form as it is. */
export function healthcheckArgv(test: string[]): string[] {
  switch (test[0]) {
    case 'CMD':
      return test.slice(1)
    case 'CMD-SHELL':
      return ['/bin/sh', '-c', test.slice(1).join(' ')]
    default:
      return test
  }
}

/** Podman's refusals: a container that is not running, or has no check to run. */
export function checkHealthcheckRunnable(c: Container): HealthConfig {
  if (c.state.status !== 'running') throw new TspodError(`container ${c.config.id} is not running`)
  const config = c.config.healthcheck
  const argv = config && isActiveHealthcheck(config) ? healthcheckArgv(config.Test) : []
  if (!config || argv.length === 0 || argv[0] === '') throw new TspodError(`container ${c.config.id} has no defined healthcheck`)
  return config
}

/** The check's output as Podman logs it: its lines (stdout and stderr together) joined by \n. */
function outputLines(text: string): string {
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines.join('\n')
}

/**
 * Run the check once and record it. `onStart` is told when the process has started (Podman's
 * health_status event comes then). The caller has checked it with checkHealthcheckRunnable.
 */
export async function runHealthcheck(store: Store, c: Container, onStart: () => Promise<void>): Promise<HealthcheckOutcome> {
  const config = checkHealthcheckRunnable(c)
  // stdout and stderr share one file, so their lines keep the order they were written in
  const outFile = path.join(bundleDir(store, c.config.id), `healthcheck.out.${process.pid}`)
  const out = fs.openSync(outFile, 'w+', 0o600)
  const devNull = fs.openSync('/dev/null', 'r')
  const startNs = process.hrtime.bigint()
  const start = nowTime()
  let exitCode: number
  try {
    const child = await execInContainer(store, c, {command: healthcheckArgv(config.Test)}, [devNull, out, out])
    exitCode = await child.started.then(
      async () => {
        await onStart()
        return exitCodeOf(await child.exited)
      },
      // it could not run (not found, not executable): a failed check, as Podman takes the OCI runtime's error
      async () => (await child.exited.catch(() => undefined), 1),
    )
  } finally {
    fs.closeSync(devNull)
  }
  const endNs = process.hrtime.bigint()
  const end = nowTime()
  let output: string
  try {
    output = outputLines(fs.readFileSync(outFile, 'utf8'))
  } finally {
    fs.closeSync(out)
    fs.rmSync(outFile, {force: true})
  }
  let failed = exitCode !== 0
  let returnCode = failed ? 1 : 0
  let timedOut: TspodError | undefined
  const timeoutNs = BigInt(config.Timeout ?? 0)
  if (timeoutNs > 0n && endNs - startNs > timeoutNs) {
    failed = true
    returnCode = -1
    timedOut = new TspodError(`healthcheck command exceeded timeout of ${goDuration(timeoutNs)}`)
  }
  const startedAt = Date.parse(c.state.startedAt ?? '')
  const inStartPeriod = (config.StartPeriod ?? 0) > 0 && Date.now() - Number(endNs - startNs) / 1e6 < startedAt + (config.StartPeriod ?? 0) / 1e6
  const status = recordHealthResult(store, c.config.id, {Start: start, End: end, ExitCode: returnCode, Output: output}, config.Retries ?? 0, inStartPeriod)
  return {failed, status, ...(timedOut ? {timedOut} : {})}
}
