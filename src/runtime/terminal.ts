// Wire the container's pty master to this terminal, as Podman does for `run -t`: the host
// terminal in raw mode, bytes copied both ways, the window size followed.
import {writeContainerStdout} from './container-stdout'
import * as fs from 'node:fs'
import * as tty from 'node:tty'

import {native} from '../native'
import {DetachKeyWatcher} from './detach-keys'

export interface AttachedTerminal {
  /** resolves when the container side has closed (its last process holding the pty exited) */
  closed: Promise<void>
  /** resolves when the user typed the detach keys (never, without them) */
  detachRequested: Promise<void>
  detach(): void
}

/** `onOutput` also gets what the container writes (for its log); `detachKeys` (with `interactive`) end the input there. */
export function attachTerminal(master: number, interactive: boolean, onOutput?: (chunk: Buffer) => void, detachKeys?: Buffer): AttachedTerminal {
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
  // A terminal one can detach from is read on the event loop, not by a blocking read in the
  // thread pool: after a detach nothing may come for a long time, and this process could not
  // end while such a read is pending (its exit joins the pool's threads).
  const detachable = interactive && detachKeys !== undefined && detachKeys.length > 0
  const fromContainer = detachable ? new tty.ReadStream(master) : fs.createReadStream('', {fd: master, autoClose: false, highWaterMark: 64 * 1024})
  const closed = new Promise<void>((resolve) => {
    fromContainer.on('error', () => resolve())
    fromContainer.on('end', () => resolve())
  })
  fromContainer.on('data', (chunk: Buffer) => {
    writeContainerStdout(chunk)
    onOutput?.(chunk as Buffer)
  })
  const watcher = new DetachKeyWatcher(detachKeys ?? Buffer.alloc(0))
  let requestDetach = () => {}
  const detachRequested = new Promise<void>((resolve) => (requestDetach = resolve))
  const toContainer = (chunk: Buffer) => {
    const {pass, detach} = watcher.feed(chunk)
    try {
      if (pass.length > 0) fs.writeSync(master, pass)
    } catch {
      // the container is gone
    }
    if (detach) {
      stdin.off('data', toContainer)
      requestDetach()
    }
  }
  if (interactive) stdin.on('data', toContainer)

  return {
    closed,
    detachRequested,
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
