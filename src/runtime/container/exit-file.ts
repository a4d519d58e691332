// The exit file of a detached container: its monitor (native/monitor/tspod-monitor.c) writes
// the exit code there, in its bundle dir, once the container has ended and its output is in
// the log, before its cleanup step records the exit. Reading the record settles it from the
// file already (as Podman reads conmon's), so `wait` and `stop` need not wait for that step,
// and a monitor that died before it still leaves the right code.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {Store} from '../../storage/store/store'
import {bundleDir} from './paths'

export interface ExitFile {
  exitCode: number
  /** when the monitor wrote it: when the container ended (ISO time) */
  finishedAt: string
}

/** <runRoot>/containers/<id>/exit, as conmon's exit file: the exit code in decimal. */
export function exitFilePath(store: Store, id: string): string {
  return path.join(bundleDir(store, id), 'exit')
}

export function readExitFile(file: string): ExitFile | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim()
    if (!/^-?\d+$/.test(text)) return undefined
    return {exitCode: Number(text), finishedAt: fs.statSync(file).mtime.toISOString()}
  } catch {
    return undefined
  }
}

/** A new run of the container must not be taken for the last one's end. */
export function removeExitFile(store: Store, id: string): void {
  fs.rmSync(exitFilePath(store, id), {force: true})
}
