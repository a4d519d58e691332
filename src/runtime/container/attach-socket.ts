// The client side of the attach socket of a detached container's monitor (the protocol is
// described in native/monitor/tspod-monitor.c): frames of a type byte, a 4-byte big-endian
// length and the payload, both ways.
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {ContainerStateError} from './errors'

const HEADER = 5

export type MonitorFrame = {type: 'stdout' | 'stderr'; data: Buffer} | {type: 'exit'; code: number}

export function frame(type: 'i' | 'c' | 'w', payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(HEADER)
  header[0] = type.charCodeAt(0)
  header.writeUInt32BE(payload.length, 1)
  return Buffer.concat([header, payload])
}

export function resizeFrame(rows: number, columns: number): Buffer {
  const size = Buffer.alloc(4)
  size.writeUInt16BE(rows & 0xffff, 0)
  size.writeUInt16BE(columns & 0xffff, 2)
  return frame('w', size)
}

/** Splits what the monitor sends into its frames, however the stream cuts them. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0)

  feed(chunk: Buffer): MonitorFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    const frames: MonitorFrame[] = []
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt32BE(1)
      if (this.pending.length < HEADER + length) break
      const type = String.fromCharCode(this.pending[0])
      const data = this.pending.subarray(HEADER, HEADER + length)
      this.pending = this.pending.subarray(HEADER + length)
      if (type === 'o') frames.push({type: 'stdout', data})
      else if (type === 'e') frames.push({type: 'stderr', data})
      else if (type === 'x') frames.push({type: 'exit', code: Number(data.toString())})
    }
    return frames
  }
}

/** Connect to the monitor of a running container (the socket's path reached through its dir: it may be too long for a socket path). */
export async function connectAttachSocket(socketPath: string, id: string): Promise<net.Socket> {
  let dirFd: number
  try {
    dirFd = fs.openSync(path.dirname(socketPath), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY)
  } catch {
    throw new ContainerStateError(`no attach socket for container ${id}: its monitor is gone`)
  }
  try {
    return await new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(`/proc/self/fd/${dirFd}/${path.basename(socketPath)}`)
      socket.once('connect', () => resolve(socket))
      socket.once('error', (err: NodeJS.ErrnoException) =>
        reject(new ContainerStateError(`cannot attach to container ${id}: its monitor's socket: ${err.code ?? err.message}`)),
      )
    })
  } finally {
    fs.closeSync(dirFd)
  }
}
