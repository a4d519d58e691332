// A TCP proxy in front of a real server that stalls chosen answers: after the request line of a
// matching request passes through, the answer is forwarded up to `afterBytes` (headers included),
// then held for `forMs`, then forwarded on, as a congested link or a stuck middlebox would. The
// client sees a connection that goes silent mid-answer. Request heads are recorded as sent.
import * as net from 'node:net'

interface StallRule {
  match: string
  afterBytes: number
  forMs: number
  remaining: number
}

interface ActiveStall {
  afterBytes: number
  forMs: number
  forwarded: number
}

export class StallingProxy {
  /** every request head (request line and headers) that passed through, in order */
  readonly requests: string[] = []
  private readonly rules: StallRule[] = []
  private readonly sockets = new Set<net.Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()

  private constructor(private readonly server: net.Server) {}

  static async start(target: {host: string; port: number}): Promise<StallingProxy> {
    let proxy: StallingProxy | undefined
    const server = net.createServer((client) => proxy!.relay(client, target))
    proxy = new StallingProxy(server)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    return proxy
  }

  /** "127.0.0.1:<port>" */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`
  }

  /** The answers to the next `times` requests whose request line contains `match` stall. */
  stall(match: string, afterBytes: number, forMs: number, times = 1): void {
    this.rules.push({match, afterBytes, forMs, remaining: times})
  }

  /** Request heads whose request line contains `match`. */
  requestsFor(match: string): string[] {
    return this.requests.filter((head) => head.split('\r\n')[0].includes(match))
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private relay(client: net.Socket, target: {host: string; port: number}): void {
    const upstream = net.connect(target.port, target.host)
    this.sockets.add(client)
    this.sockets.add(upstream)
    const end = (): void => {
      client.destroy()
      upstream.destroy()
      this.sockets.delete(client)
      this.sockets.delete(upstream)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)

    let pending = ''
    let stall: ActiveStall | undefined
    client.on('data', (chunk: Buffer) => {
      // clients send one request at a time on a connection (no pipelining): an answer follows its head
      pending += chunk.toString('latin1')
      for (let at = pending.indexOf('\r\n\r\n'); at >= 0; at = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, at)
        pending = pending.slice(at + 4)
        this.requests.push(head)
        const rule = this.rules.find((r) => r.remaining > 0 && head.split('\r\n')[0].includes(r.match))
        if (rule !== undefined) {
          rule.remaining--
          stall = {afterBytes: rule.afterBytes, forMs: rule.forMs, forwarded: 0}
        }
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (stall === undefined) {
        client.write(chunk)
        return
      }
      const room = stall.afterBytes - stall.forwarded
      if (chunk.length < room) {
        stall.forwarded += chunk.length
        client.write(chunk)
        return
      }
      client.write(chunk.subarray(0, room))
      const held = chunk.subarray(room)
      const forMs = stall.forMs
      stall = undefined
      upstream.pause()
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        if (client.destroyed) return
        client.write(held)
        upstream.resume()
      }, forMs)
      this.timers.add(timer)
    })
  }
}
