// A unix datagram socket that records what is sent to it, as systemd's $NOTIFY_SOCKET does.
// Node has no unix datagram sockets, so a python3 child binds it and prints each datagram as a
// JSON line; the socket is made writable by anyone so that the rootless test user can send.
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

const LISTENER = `
import json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
print("bound", flush=True)
while True:
    print(json.dumps(s.recv(4096).decode()), flush=True)
`

export interface NotifyListener {
  socketPath: string
  /** the datagrams received so far, in order */
  received: string[]
  /** resolves once `count` datagrams have arrived (rejects after timeoutMs) */
  waitFor(count: number, timeoutMs?: number): Promise<string[]>
  close(): void
}

/** Bind a datagram socket at dir/name (dir must be reachable by whoever sends). */
export function listenForNotify(dir: string, name = 'notify.sock'): Promise<NotifyListener> {
  const socketPath = path.join(dir, name)
  fs.rmSync(socketPath, {force: true})
  const child = spawn('/usr/bin/python3', ['-c', LISTENER, socketPath], {stdio: ['ignore', 'pipe', 'pipe']})
  const received: string[] = []
  let waiters: (() => void)[] = []
  return new Promise((resolve, reject) => {
    let buffered = ''
    let bound = false
    child.on('error', reject)
    child.on('exit', (code) => {
      if (!bound) reject(new Error(`notify listener exited (${code})`))
    })
    child.stdout.on('data', (data) => {
      buffered += data
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        if (!bound && line === 'bound') {
          bound = true
          resolve(listener)
        } else if (bound) {
          received.push(JSON.parse(line) as string)
          for (const w of waiters) w()
        }
      }
    })
    const listener: NotifyListener = {
      socketPath,
      received,
      waitFor(count, timeoutMs = 20_000) {
        return new Promise((done, fail) => {
          const timer = setTimeout(() => fail(new Error(`notify socket got ${JSON.stringify(received)}, not ${count} datagrams`)), timeoutMs)
          const check = () => {
            if (received.length < count) return
            clearTimeout(timer)
            waiters = waiters.filter((w) => w !== check)
            done(received.slice())
          }
          waiters.push(check)
          check()
        })
      },
      close() {
        child.kill('SIGKILL')
        fs.rmSync(socketPath, {force: true})
      },
    }
  })
}
