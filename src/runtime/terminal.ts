// Wire the container's pty master to this terminal, as Podman does for `run -t`: the host
// terminal in raw mode, bytes copied both ways, the window size followed.
import {writeContainerStdout} from './container-stdout'
import * as fs from 'node:fs'
import * as tty from 'node:tty'

import {native} from '../native'

export interface AttachedTerminal {
  /** resolves when the container side has closed (its last process holding the pty exited) */
  closed: Promise<void>
  detach(): void
}

/** `onOutput` also gets what the container writes (for its log). */
export function attachTerminal(master: number, interactive: boolean, onOutput?: (chunk: Buffer) => void): AttachedTerminal {
  const stdin = process.stdin
  const stdout = process.stdout
  const resize = () => {
    if (stdout.isTTY) native().setWinsize(master, stdout.rows, stdout.columns)
  }
  resize()
  stdout.on('resize', resize)
  const rawWasSet = interactive && stdin.isTTY ? (stdin as tty.ReadStream).isRaw : undefined
  if (rawWasSet !== undefined) (stdin as tty.ReadStream).setRawMode(true)

  // The master reads EIO once the container's side is gone: that is its end, not an error.
  const fromContainer = fs.createReadStream('', {fd: master, autoClose: false, highWaterMark: 64 * 1024})
  const closed = new Promise<void>((resolve) => {
    fromContainer.on('error', () => resolve())
    fromContainer.on('end', () => resolve())
  })
  fromContainer.on('data', (chunk) => {
    writeContainerStdout(chunk)
    onOutput?.(chunk as Buffer)
  })
  const toContainer = (chunk: Buffer) => {
    try {
      fs.writeSync(master, chunk)
    } catch {
      // the container is gone
    }
  }
  if (interactive) stdin.on('data', toContainer)

  return {
    closed,
    detach() {
      stdout.off('resize', resize)
      if (interactive) {
        stdin.off('data', toContainer)
        stdin.pause()
      }
      if (rawWasSet !== undefined) (stdin as tty.ReadStream).setRawMode(rawWasSet)
      // destroy() closes the master itself (autoClose only spares it at the stream's end), once a
      // pending read is done: closing it here too could close whatever fd reuses its number next
      fromContainer.destroy()
    },
  }
}
