// Start a container in the background (`run -d`, `start`): a small monitor process, detached
// from this one and its terminal, spawns the container, writes its output to the log and
// records its exit. This process only waits until the monitor says the container runs.
import {spawn} from 'node:child_process'
import * as path from 'node:path'

import {ExecCannotInvokeError, ExecNotFoundError, TspodError} from '../../errors'
import type {Store} from '../../storage/store/store'

/** What the monitor sends on fd 3 once it knows: the container runs, or why it does not. */
export type MonitorReport = {ok: true; warnings: string[]} | {ok: false; message: string; exitCode: number}

export interface MonitorRequest {
  storage: Store['config']
  id: string
}

export const MONITOR_SCRIPT = path.join(__dirname, 'monitor.js')

function errorFor(report: {message: string; exitCode: number}): TspodError {
  if (report.exitCode === 127) return new ExecNotFoundError(report.message)
  if (report.exitCode === 126) return new ExecCannotInvokeError(report.message)
  return new TspodError(report.message)
}

/** Resolves with the preflight warnings once the container runs. */
export function startDetached(store: Store, id: string): Promise<string[]> {
  const request: MonitorRequest = {storage: store.config, id}
  // lite mode: the monitor only copies output and waits; without the optimizing compiler it keeps less memory
  const monitor = spawn(process.execPath, ['--lite-mode', MONITOR_SCRIPT, JSON.stringify(request)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    cwd: '/',
  })
  const channel = monitor.stdio[3]!
  return new Promise((resolve, reject) => {
    let text = ''
    channel.on('data', (d: Buffer) => (text += d))
    channel.on('error', () => undefined)
    channel.on('close', () => {
      monitor.unref()
      ;(channel as unknown as {unref?: () => void}).unref?.()
      let report: MonitorReport
      try {
        report = JSON.parse(text) as MonitorReport
      } catch {
        reject(new TspodError(`the monitor of container ${id} ended before the container started`))
        return
      }
      if (report.ok) resolve(report.warnings)
      else reject(errorFor(report))
    })
  })
}
