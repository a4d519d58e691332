// Start a created container's process and record it as running; its exit is recorded by
// whoever waits for it (recordExit), the foreground CLI or a detached monitor.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import type {StdioSpec} from '../../native'
import type {Store} from '../../storage/store/store'
import {processStartTime} from '../../storage/store/owner'
import {ChildExit, NamespacedChild, spawnInNamespaces} from '../../userns/spawn'
import {RootfsLayout, planContainer} from '../plan'
import {Container, ContainerState} from './config'
import {lowerDirsOf} from './create'
import {bundleDir, containerDirs} from './paths'
import {containerPreflight} from './preflight'
import {ContainerRecords} from './records'

export interface LaunchOptions {
  stdio: [StdioSpec, StdioSpec, StdioSpec]
  /** a pty for the container (the spec's process.terminal) */
  tty: boolean
}

export interface Launched {
  child: NamespacedChild
  /** preflight warnings, one line each */
  warnings: string[]
  /** the container's exit, with kernel permission errors explained */
  exited: Promise<ChildExit>
}

/** 128 + signal for a process killed by a signal, as Podman reports it. */
export function exitCodeOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code
  const signals = os.constants.signals as Record<string, number>
  return 128 + (exit.signal ? signals[exit.signal] : 0)
}

export function containerLayout(store: Store, container: Container): RootfsLayout {
  const image = store.images.get(container.config.imageId)
  if (!image) throw new TspodError(`the image ${container.config.imageId} of container ${container.config.id} is missing from the store`)
  const dirs = containerDirs(store, container.config.id)
  return {lowerDirs: lowerDirsOf(store, image), upperDir: dirs.upper, workDir: dirs.work, mergedDir: dirs.merged, rootless: store.mapping !== undefined}
}

function writeBundle(store: Store, container: Container): void {
  const dir = bundleDir(store, container.config.id)
  fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(container.config.spec, null, 2), {mode: 0o600})
}

export async function launchContainer(store: Store, records: ContainerRecords, container: Container, options: LaunchOptions): Promise<Launched> {
  const {config} = container
  const layout = containerLayout(store, container)
  const dirs = containerDirs(store, config.id)
  const preflight = containerPreflight(store, config.spec.mounts ?? [], layout, dirs.userdata, config.keepGroups)
  writeBundle(store, container)
  const plan = planContainer(config.spec, layout)
  let child: NamespacedChild
  try {
    child = await spawnInNamespaces({
      namespaces: plan.namespaces,
      mapping: plan.mapping,
      steps: plan.steps,
      command: plan.command,
      stdio: options.stdio,
      console: options.tty,
    })
  } catch (err) {
    throw preflight.explain(err)
  }
  const running: ContainerState = {
    status: 'running',
    pid: child.pid,
    pidStart: processStartTime(child.pid),
    monitorPid: process.pid,
    monitorStart: processStartTime(process.pid),
    startedAt: new Date().toISOString(),
    exitCode: 0,
  }
  records.saveState(config.id, running)
  const exited = child.exited.catch((err) => Promise.reject(preflight.explain(err)))
  exited.catch(() => undefined)
  return {child, warnings: preflight.warnings, exited}
}

/**
 * Wait for the container's end and record it: exited with its code, or back to created with
 * the error when its process never started (a missing command: 127, as Podman's run).
 */
export async function recordExit(records: ContainerRecords, container: Container, launched: Launched): Promise<number> {
  const id = container.config.id
  const current = (): ContainerState => records.get(id)?.state ?? container.state
  try {
    const exit = await launched.exited
    const exitCode = exitCodeOf(exit)
    records.saveState(id, {...current(), status: 'exited', pid: 0, exitCode, finishedAt: new Date().toISOString()})
    return exitCode
  } catch (err) {
    const e = err as Error & {exitCode?: number}
    records.saveState(id, {...current(), status: 'created', pid: 0, exitCode: e.exitCode ?? 125, error: e.message, finishedAt: new Date().toISOString()})
    throw err
  }
}
