// The port forwarder of a container on named networks (Podman's rootlessport), as its own
// process: started by port-forwarding.ts inside the rootless netns (its user and network
// namespaces), with the host ports' sockets, bound on the host, as fds 3 and up. Each
// connection accepted on the host is dialled to the container's address on its bridge from
// inside the netns, and the bytes copied both ways; UDP datagrams go through one socket per
// client, dropped after a minute without traffic. It runs until it is signalled.
import * as dgram from 'node:dgram'
import * as net from 'node:net'

/** What the parent passes as argv[2]: one entry per host port, its socket at `fd`. */
export interface ForwarderTarget {
  fd: number
  protocol: 'tcp' | 'udp'
  /** the container's address on its bridge */
  ip: string
  port: number
}

const UDP_IDLE_MS = 60_000

function forwardTcp(target: ForwarderTarget): void {
  const server = net.createServer({allowHalfOpen: true, pauseOnConnect: true}, (client) => {
    const upstream = net.connect({host: target.ip, port: target.port, allowHalfOpen: true})
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

function forwardUdp(target: ForwarderTarget): void {
  const listener = dgram.createSocket(net.isIPv6(target.ip) ? 'udp6' : 'udp4')
  const sessions = new Map<string, {socket: dgram.Socket; queued: Buffer[]; connected: boolean; timer: NodeJS.Timeout}>()
  listener.on('message', (msg, from) => {
    const key = `${from.address}|${from.port}`
    let session = sessions.get(key)
    if (!session) {
      const socket = dgram.createSocket(net.isIPv6(target.ip) ? 'udp6' : 'udp4')
      socket.on('message', (reply) => {
        listener.send(reply, from.port, from.address)
        session!.timer.refresh()
      })
      socket.on('error', () => undefined)
      const queued: Buffer[] = []
      socket.connect(target.port, target.ip, () => {
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
  for (const target of targets) (target.protocol === 'udp' ? forwardUdp : forwardTcp)(target)
  process.on('SIGTERM', () => process.exit(0))
  process.on('SIGINT', () => undefined)
  process.on('SIGHUP', () => undefined)
  // the parent waits for this line: every host port is then served here
  process.stdout.write('ready\n', () => process.stdout.destroy())
}

main()
