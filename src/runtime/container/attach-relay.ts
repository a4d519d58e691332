// The terminal side of an attach to a container's monitor (`attach`, `run -it`, `start -ai`):
// the monitor's output frames written to stdout and stderr; this process's stdin, watched for
// the detach keys, sent as input (in raw mode when the container has a terminal and ours is
// one); the window size followed; until the monitor sends the exit code, the connection ends,
// or the user detaches.
import type * as net from 'node:net'
import * as tty from 'node:tty'

import {writeContainerStdout} from '../container-stdout'
import {DetachKeyWatcher} from '../detach-keys'
import {FrameReader, frame, resizeFrame} from './attach-socket'

export interface RelayOptions {
  /** the container has a terminal */
  tty: boolean
  /** this process's stdin goes to the container */
  stdin: boolean
  /** once this process's stdin ends, the container's is closed (`run -i`, not `attach`) */
  closeStdinAtEnd: boolean
  /** the detach key sequence (empty: none) */
  detachKeys: Buffer
}

/** detached: the user typed the detach keys; exitCode: the container ended; lost: the connection ended without an exit code. */
export type RelayOutcome = {detached: true} | {exitCode: number} | {lost: true}

export function relayAttach(connection: net.Socket, options: RelayOptions): Promise<RelayOutcome> {
  const stdin = process.stdin
  const stdout = process.stdout
  const reader = new FrameReader()
  const watcher = new DetachKeyWatcher(options.detachKeys)
  const send = (data: Buffer) => {
    if (!connection.destroyed) connection.write(data)
  }
  const raw = options.tty && options.stdin && stdin.isTTY ? (stdin as tty.ReadStream) : undefined
  const rawWasSet = raw?.isRaw
  raw?.setRawMode(true)
  const resize = () => {
    if (stdout.isTTY && stdout.rows && stdout.columns) send(resizeFrame(stdout.rows, stdout.columns))
  }
  if (options.tty) {
    resize()
    stdout.on('resize', resize)
  }

  return new Promise<RelayOutcome>((resolve) => {
    let exitCode: number | undefined
    const finish = (outcome: RelayOutcome) => {
      stdout.off('resize', resize)
      if (options.stdin) {
        stdin.off('data', onInput)
        stdin.off('end', onInputEnd)
        stdin.pause()
      }
      if (raw && rawWasSet !== undefined) raw.setRawMode(rawWasSet)
      connection.destroy()
      resolve(outcome)
    }
    const onInput = (chunk: Buffer) => {
      const {pass, detach} = watcher.feed(chunk)
      if (pass.length > 0) send(frame('i', pass))
      if (detach) finish({detached: true})
    }
    const onInputEnd = () => {
      if (options.closeStdinAtEnd) send(frame('c'))
    }
    if (options.stdin) {
      stdin.on('data', onInput)
      stdin.on('end', onInputEnd)
      stdin.on('error', () => undefined) // a closed or unreadable stdin: nothing more to send
    }
    connection.on('data', (chunk: Buffer) => {
      for (const f of reader.feed(chunk)) {
        if (f.type === 'stdout') writeContainerStdout(f.data)
        else if (f.type === 'stderr') process.stderr.write(f.data)
        else if (f.type === 'exit') exitCode = f.code
      }
    })
    connection.on('error', () => undefined) // 'close' follows
    connection.on('close', () => finish(exitCode === undefined ? {lost: true} : {exitCode}))
  })
}
