// The socket through which `start` releases an initialized container (`init`): the monitor's
// setup step, which holds the container's process before its program, listens on it in the
// container's bundle dir (private to the user); `start` connects, the setup step releases the
// process and answers with its report (detach.ts's MonitorReport, as JSON) and closes.
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {TspodError} from '../../errors'

const SOCKET_NAME = 'start.sock'

/**
 * The socket's path through an open fd of its dir: a bundle dir under a long run root can pass
 * the 107 bytes a socket path may have (conmon reaches its attach socket the same way).
 */
async function throughDir<T>(dir: string, use: (socketPath: string) => Promise<T>): Promise<T> {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY)
  try {
    return await use(`/proc/self/fd/${fd}/${SOCKET_NAME}`)
  } finally {
    fs.closeSync(fd)
  }
}

export interface StartListener {
  /** the first connection: a `start` */
  connection: Promise<net.Socket>
  close(): void
}

/** Listen in `bundleDir` for the `start` of the container held there. */
export async function listenForStart(bundleDir: string): Promise<StartListener> {
  fs.rmSync(path.join(bundleDir, SOCKET_NAME), {force: true})
  const server = net.createServer()
  const connection = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
  await throughDir(bundleDir, (socketPath) => new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve())
  }))
  return {
    connection,
    close() {
      server.close()
      fs.rmSync(path.join(bundleDir, SOCKET_NAME), {force: true})
    },
  }
}

/** Ask the setup step holding the container in `bundleDir` to run its program; resolves with its answer. */
export async function requestStart(bundleDir: string, id: string): Promise<string> {
  const gone = () => new TspodError(`the monitor holding initialized container ${id} is gone: remove the container or initialize it again`)
  if (!fs.existsSync(path.join(bundleDir, SOCKET_NAME))) throw gone()
  const socket = await throughDir(
    bundleDir,
    (socketPath) =>
      new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(socketPath, () => resolve(s))
        s.once('error', () => reject(gone()))
      }),
  )
  return await new Promise<string>((resolve, reject) => {
    let text = ''
    socket.on('data', (d: Buffer) => (text += d))
    socket.once('error', () => reject(gone()))
    socket.once('end', () => resolve(text))
  })
}
