// Attached to a detached container's monitor: `attach` to a running container, and `run -it` /
// `start -ai`, which start it under its monitor attached from the start (as Podman's run is
// attached to conmon). The user's signals go to the container's init (--sig-proxy); the exit
// code returned is the container's once its monitor has recorded it, undefined on a detach.
import type * as net from 'node:net'

import {forwardSignals} from './attach'
import {RelayOptions, relayAttach} from './attach-relay'
import {connectAttachSocket} from './attach-socket'
import {Container, hasProcesses} from './config'
import {ContainerStateError} from './errors'
import {attachSocketPath} from './paths'
import type {ContainerRecords} from './records'
import {waitForExit, waitForState} from './stop'
import type {Store} from '../../storage/store/store'

/** The exit code a container whose end nobody saw gets (as one killed with SIGKILL). */
const LOST_EXIT_CODE = 137
/** How long the end of a --rm container's CLI waits for its monitor to have removed it. */
const AUTO_REMOVE_WAIT_MS = 10_000

export interface FollowOptions extends RelayOptions {
  /** --sig-proxy: this process's signals go to the container's init */
  sigProxy: boolean
}

/** Relay until the end or a detach; with an end, waits until the monitor's clean-up has recorded it (or removed the container). */
export async function followMonitored(records: ContainerRecords, container: Container, connection: net.Socket, options: FollowOptions): Promise<number | undefined> {
  const id = container.config.id
  const pid = records.get(id)?.state.pid
  const stopForwarding = options.sigProxy && pid ? forwardSignals(pid) : () => {}
  let outcome
  try {
    outcome = await relayAttach(connection, options)
  } finally {
    stopForwarding()
  }
  if ('detached' in outcome) return undefined
  const ended = await waitForExit(records, id)
  // --rm: the monitor's clean-up removes it; the CLI ends after that, as Podman's
  if (ended && container.config.autoRemove) await waitForState(records, id, () => false, AUTO_REMOVE_WAIT_MS)
  if ('exitCode' in outcome) return outcome.exitCode
  return ended ? ended.state.exitCode ?? LOST_EXIT_CODE : (records.removedExitCode(id) ?? LOST_EXIT_CODE)
}

export function refuseUnlessRunning(container: Container): void {
  if (!hasProcesses(container.state) || container.state.status === 'initialized') throw new ContainerStateError('you can only attach to running containers')
}

/** `attach`: a connection to the monitor of a running container. */
export async function connectToRunning(store: Store, container: Container): Promise<net.Socket> {
  refuseUnlessRunning(container)
  return await connectAttachSocket(attachSocketPath(store, container.config.id), container.config.id)
}
