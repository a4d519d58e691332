// The port forwarder of a container on named networks (Podman's rootlessport), as its own
// process: started by port-forwarding.ts inside the rootless netns (its user and network
// namespaces), with the host ports' sockets, bound on the host, as fds 3 and up. Each
// connection accepted on the host is dialled to the container's address on its bridge from
// inside the netns, and the bytes copied both ways; UDP datagrams go through one socket per
// client, dropped after a minute without traffic. The container's address is read from the
// file named by argv[3] for each new connection or UDP client (network connect and disconnect
// rewrite it; empty: the container has no address, connections are closed); SIGHUP drops the
// UDP clients so that they follow a new address. It runs until it is signalled.
import * as dgram from 'node:dgram'
import * as fs from 'node:fs'
import * as net from 'node:net'

/** What the parent passes as argv[2]: one entry per host port, its socket at `fd`. */
export interface ForwarderTarget {
  fd: number
  protocol: 'tcp' | 'udp'
  /** the host socket's address family */
  family: 4 | 6
  /** the container's port */
  port: number
}

const UDP_IDLE_MS = 60_000

/** The container's address now, '' when it has none. */
function containerAddress(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return ''
  }
}

function forwardTcp(target: ForwarderTarget, addressFile: string): void {
  const server = net.createServer({allowHalfOpen: true, pauseOnConnect: true}, (client) => {
    const ip = containerAddress(addressFile)
    if (ip === '') {
      client.destroy()
      return
    }
    const upstream = net.connect({host: ip, port: target.port, allowHalfOpen: true})
    const close = (): void => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', close)
    upstream.on('error', close)
    upstream.once('connect', () => {
      client.pipe(upstream)
      upstream.pipe(client)
      client.resume()
    })
  })
  server.listen({fd: target.fd})
}

type UdpSession = {socket: dgram.Socket; queued: Buffer[]; connected: boolean; timer: NodeJS.Timeout}

/** The UDP clients of every port, dropped together on SIGHUP */
const udpSessions: Map<string, UdpSession>[] = []

function forwardUdp(target: ForwarderTarget, addressFile: string): void {
  const listener = dgram.createSocket(target.family === 6 ? 'udp6' : 'udp4')
  const sessions = new Map<string, UdpSession>()
  udpSessions.push(sessions)
  listener.on('message', (msg, from) => {
    const key = `${from.address}|${from.port}`
    let session = sessions.get(key)
    if (!session) {
      const ip = containerAddress(addressFile)
      if (ip === '') return
      const socket = dgram.createSocket(net.isIPv6(ip) ? 'udp6' : 'udp4')
      socket.on('message', (reply) => {
        listener.send(reply, from.port, from.address)
        session!.timer.refresh()
      })
      socket.on('error', () => undefined)
      const queued: Buffer[] = []
      socket.connect(target.port, ip, () => {
        session!.connected = true
        for (const m of queued.splice(0)) socket.send(m)
      })
      session = {socket, queued, connected: false, timer: setTimeout(() => (socket.close(), sessions.delete(key)), UDP_IDLE_MS)}
      sessions.set(key, session)
    }
    session.timer.refresh()
    if (session.connected) session.socket.send(msg)
    else session.queued.push(msg)
  })
  listener.on('error', () => undefined)
  listener.bind({fd: target.fd})
}

function main(): void {
  const targets = JSON.parse(process.argv[2] ?? '[]') as ForwarderTarget[]
  const addressFile = process.argv[3] ?? ''
  for (const target of targets) (target.protocol === 'udp' ? forwardUdp : forwardTcp)(target, addressFile)
  process.on('SIGTERM', () => process.exit(0))
  process.on('SIGINT', () => undefined)
  process.on('SIGHUP', () => {
    for (const sessions of udpSessions) {
      for (const session of sessions.values()) {
        clearTimeout(session.timer)
        session.socket.close()
      }
      sessions.clear()
    }
  })
  // the parent waits for this line: every host port is then served here
  process.stdout.write('ready\n', () => process.stdout.destroy())
}

main()
