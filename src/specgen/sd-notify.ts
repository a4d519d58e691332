// --sdnotify: who tells systemd ($NOTIFY_SOCKET) that the container is ready. The socket is the
// one in the environment of the command that creates the container, recorded with it (Podman's
// SdNotifySocket); with ignore nothing is recorded, so nothing is ever sent or passed on.
import {UsageError} from '../errors'

export const SD_NOTIFY_MODES = ['container', 'conmon', 'ignore'] as const
export type SdNotifyMode = (typeof SD_NOTIFY_MODES)[number]

export interface SdNotify {
  mode: SdNotifyMode
  /** $NOTIFY_SOCKET at create: a path, or @name in the abstract namespace; absent: none */
  socket?: string
}

export function parseSdNotify(mode: string | undefined, hostEnv: NodeJS.ProcessEnv): SdNotify {
  const chosen = mode ?? 'container'
  if (!(SD_NOTIFY_MODES as readonly string[]).includes(chosen)) throw new UsageError(`invalid config provided: invalid argument: invalid sdnotify value "${chosen}": must be container, conmon or ignore`)
  const socket = hostEnv.NOTIFY_SOCKET
  return {mode: chosen as SdNotifyMode, ...(chosen !== 'ignore' && socket ? {socket} : {})}
}
