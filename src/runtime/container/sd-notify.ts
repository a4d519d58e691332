// --sdnotify at each start (src/specgen/sd-notify.ts records the mode and $NOTIFY_SOCKET). As
// Podman's conmon: once the container runs, MAINPID is the container's monitor (the process
// systemd should watch: inspect's ConmonPid, the CLI itself for a foreground run), with READY=1
// in conmon mode. In container mode the container's program says READY=1 itself, through the
// socket bind-mounted where Podman puts its proxy socket.
import * as fs from 'node:fs'

import {native} from '../../native'
import type {Container, ContainerConfig} from './config'

/** where the container finds the socket, NOTIFY_SOCKET inside (Podman's) */
export const CONTAINER_NOTIFY_SOCKET = '/run/notify/notify.sock'

/**
 * Container mode: the spec with the socket mounted and NOTIFY_SOCKET set. A socket in the
 * abstract namespace (@name) cannot be mounted, and the container's network namespace does not
 * reach it; a socket that is gone cannot be mounted either: neither is passed on (the monitor's
 * own message then warns).
 */
export function withNotifySocket(container: Container): Container {
  const notify = container.config.containerSpec.sdNotify
  const {spec} = container.config
  if (notify?.mode !== 'container' || !notify.socket || notify.socket.startsWith('@') || !isSocket(notify.socket) || !spec.process) return container
  const env = [...(spec.process.env ?? []).filter((e) => !e.startsWith('NOTIFY_SOCKET=')), `NOTIFY_SOCKET=${CONTAINER_NOTIFY_SOCKET}`]
  const mounts = [...(spec.mounts ?? []).filter((m) => m.destination !== CONTAINER_NOTIFY_SOCKET), {destination: CONTAINER_NOTIFY_SOCKET, type: 'bind', source: notify.socket, options: ['bind', 'nosuid', 'nodev', 'noexec']}]
  return {...container, config: {...container.config, spec: {...spec, mounts, process: {...spec.process, env}}}}
}

function isSocket(file: string): boolean {
  try {
    return fs.statSync(file).isSocket()
  } catch {
    return false
  }
}

/** Tell systemd the container runs; a warning when the socket cannot be reached (the start goes on, as Podman's). */
export function notifyStarted(config: ContainerConfig, monitorPid: number): string | undefined {
  const notify = config.containerSpec.sdNotify
  if (!notify?.socket || notify.mode === 'ignore') return undefined
  const message = `MAINPID=${monitorPid}${notify.mode === 'conmon' ? '\nREADY=1' : ''}`
  try {
    native().sendDatagram(notify.socket, message)
    return undefined
  } catch (err) {
    return `Notifying systemd of the monitor's PID: ${(err as Error).message}`
  }
}
