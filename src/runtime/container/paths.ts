// Where a container's files live: its read-write dirs, logs and /etc files under the graph
// root (they survive a reboot), its bundle (config.json) under the run root (it does not).
import * as path from 'node:path'

import type {Store} from '../../storage/store/store'
import type {ContainerConfig} from './config'
import {DEFAULT_LOG_CONFIG, LogConfig} from './log-config'

export interface ContainerDirs {
  /** <graphRoot>/containers/<id> */
  dir: string
  upper: string
  work: string
  /** the container's root; the overlay is mounted here inside the container's own namespaces */
  merged: string
  /** hosts, hostname, resolv.conf, ctr.log */
  userdata: string
  logFile: string
}

export function containerDirs(store: Store, id: string): ContainerDirs {
  const dir = store.layout.containerDir(id)
  const userdata = path.join(dir, 'userdata')
  return {
    dir,
    ...store.layout.driver.containerDirs(dir),
    userdata,
    logFile: path.join(userdata, 'ctr.log'),
  }
}

/** The pid file of the container's pasta (--network pasta), which its monitor and clean-up end. */
export function pastaPidFile(store: Store, id: string): string {
  return path.join(containerDirs(store, id).userdata, 'pasta.pid')
}

/** <runRoot>/containers/<id>: config.json for the runtime; gone after a reboot. */
export function bundleDir(store: Store, id: string): string {
  return path.join(store.config.runRoot, 'containers', id)
}

/** <runRoot>/seccomp: compiled seccomp programs, by the hash of their spec section. */
export function seccompCacheDir(store: Store): string {
  return path.join(store.config.runRoot, 'seccomp')
}

export function logConfigOf(config: ContainerConfig): LogConfig {
  return config.log ?? DEFAULT_LOG_CONFIG
}

/** Where the container's output is logged (--log-opt path=, else userdata/ctr.log); none: undefined. */
export function logFileOf(store: Store, config: ContainerConfig): string | undefined {
  const log = logConfigOf(config)
  if (log.driver === 'none') return undefined
  return log.path ?? containerDirs(store, config.id).logFile
}

/**
 * Where the container's monitor pid is written at each start: --conmon-pidfile, else
 * userdata/conmon.pid, as Podman always keeps one (a forking systemd unit's PIDFile).
 */
export function monitorPidFileOf(store: Store, config: ContainerConfig): string {
  return config.monitorPidFile ?? path.join(containerDirs(store, config.id).userdata, 'conmon.pid')
}

/** The socket of the container's monitor that `attach` connects to (tspod-monitor.c), in the private bundle dir. */
export function attachSocketPath(store: Store, id: string): string {
  return path.join(bundleDir(store, id), 'attach.sock')
}
