// The `--console-socket` of an external runtime (-t): a unix socket tspod listens on; the
// runtime connects once the container's pty exists and sends its master over SCM_RIGHTS.
//
// Node cannot receive a file descriptor on a net.Socket, so the connection is accepted paused
// (libuv must never read it: a plain read() would discard the descriptor) and the message is
// taken off its fd with the addon's recvmsg, retried until the runtime has sent it.
//
// The socket lives in a private dir of its own under the temp dir, as conmon's `conmon-term.XXXXXX`:
// a container's run dir (the run root, then its 64-digit id) is often longer than a unix socket
// path may be (107 bytes).
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError, wrap} from '../../errors'
import {native} from '../../native'

/** sockaddr_un.sun_path holds 108 bytes with the NUL. */
const SUN_PATH_MAX = 107
const RETRY_MS = 5

export interface ConsoleSocket {
  path: string
  /** the pty master the runtime sent; rejects when it closed the connection without one */
  master: Promise<number>
  close(): void
}

function socketFd(socket: net.Socket): number {
  const fd = (socket as unknown as {_handle?: {fd?: unknown}})._handle?.fd
  if (typeof fd !== 'number' || fd < 0) throw new TspodError('cannot get the file descriptor of the console socket connection')
  return fd
}

function receiveMaster(socket: net.Socket, isClosed: () => boolean): Promise<number> {
  const fd = socketFd(socket)
  return new Promise((resolve, reject) => {
    const attempt = () => {
      try {
        resolve(native().receiveFd(fd))
        socket.destroy()
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if ((code === 'EAGAIN' || code === 'EWOULDBLOCK') && !isClosed()) {
          setTimeout(attempt, RETRY_MS)
          return
        }
        socket.destroy()
        reject(wrap(err, 'receiving the container terminal from the OCI runtime'))
      }
    }
    attempt()
  })
}

/** Listen on `console.sock` in a new private dir under `tmpDir` (default the temp dir); `close` removes both. */
export async function listenConsoleSocket(tmpDir = os.tmpdir()): Promise<ConsoleSocket> {
  const dir = fs.mkdtempSync(path.join(tmpDir, 'tspod-term.'))
  const file = path.join(dir, 'console.sock')
  if (Buffer.byteLength(file) > SUN_PATH_MAX) {
    fs.rmSync(dir, {recursive: true, force: true})
    throw new TspodError(`console socket path \`${file}\` is too long for a unix socket: set TMPDIR to a shorter dir`)
  }
  let closed = false
  const server = net.createServer({pauseOnConnect: true})
  let rejectMaster: (err: Error) => void = () => undefined
  const master = new Promise<number>((resolve, reject) => {
    rejectMaster = reject
    server.once('connection', (socket) => {
      server.close()
      // the runtime is connected: nothing else may connect, and a detached container's starter
      // may be gone before it would call close
      fs.rmSync(dir, {recursive: true, force: true})
      receiveMaster(socket, () => closed).then(resolve, reject)
    })
  })
  master.catch(() => undefined) // callers without -t output never ask
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(wrap(err, `listening on the console socket \`${file}\``)))
    server.listen(file, () => resolve())
  }).catch((err) => {
    fs.rmSync(dir, {recursive: true, force: true})
    throw err
  })
  fs.chmodSync(file, 0o600)
  return {
    path: file,
    master,
    close() {
      closed = true
      server.close()
      rejectMaster(new TspodError('the OCI runtime did not send the container terminal'))
      fs.rmSync(dir, {recursive: true, force: true})
    },
  }
}
