// Host ports seen from the host: picking free ones for mappings published without a host port
// (Podman: a port the kernel hands out for `listen :0`, up to 15 tries), and explaining why a
// host port cannot be bound, in the words of Go's net package that Podman users see.
import * as dgram from 'node:dgram'
import * as fs from 'node:fs'
import * as net from 'node:net'

import {ContainerStartError, TspodError} from '../../errors'
import type {PortMapping, PortProtocol} from './publish'

const PICK_ATTEMPTS = 15

/** Where slirp4netns binds a mapping on the host: its host IP, or every IPv4 address. */
export function bindAddress(port: PortMapping): string {
  return port.hostIP === '' ? '0.0.0.0' : port.hostIP
}

/** Bind (and release) `address:port` as slirp4netns would: the bind error, or undefined if it is free. */
export async function probeHostPort(address: string, port: number, protocol: PortProtocol): Promise<NodeJS.ErrnoException | undefined> {
  if (protocol === 'udp') {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4')
    return new Promise((resolve) => {
      socket.once('error', (err) => {
        socket.close()
        resolve(err)
      })
      socket.bind({address, port, exclusive: true}, () => socket.close(() => resolve(undefined)))
    })
  }
  const server = net.createServer()
  return new Promise((resolve) => {
    server.once('error', (err) => resolve(err))
    server.listen({host: address, port, exclusive: true}, () => server.close(() => resolve(undefined)))
  })
}

/** A port the kernel considers free on `address` right now. */
async function kernelPickedPort(address: string, protocol: PortProtocol): Promise<number> {
  if (protocol === 'udp') {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4')
    return new Promise((resolve, reject) => {
      socket.once('error', reject)
      socket.bind({address, port: 0, exclusive: true}, () => {
        const {port} = socket.address()
        socket.close(() => resolve(port))
      })
    })
  }
  const server = net.createServer()
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: address, port: 0, exclusive: true}, () => {
      const {port} = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function usedKey(protocol: PortProtocol, port: number): string {
  return `${protocol}/${port}`
}

/**
 * The mappings with every host port 0 replaced by free host ports: a whole free range for a
 * range, never one another mapping of the same protocol uses. Fixed host ports are kept as given.
 */
export async function resolveHostPorts(ports: PortMapping[]): Promise<PortMapping[]> {
  const used = new Set<string>()
  for (const p of ports) for (let i = 0; i < p.range; i++) if (p.hostPort !== 0) used.add(usedKey(p.protocol, p.hostPort + i))
  const out: PortMapping[] = []
  for (const port of ports) {
    if (port.hostPort !== 0) {
      out.push(port)
      continue
    }
    const picked = await pickFreeRange(port, used)
    for (let i = 0; i < port.range; i++) used.add(usedKey(port.protocol, picked + i))
    out.push({...port, hostPort: picked})
  }
  return out
}

async function pickFreeRange(port: PortMapping, used: Set<string>): Promise<number> {
  const address = bindAddress(port)
  let lastError: unknown
  attempts: for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
    let start: number
    try {
      start = await kernelPickedPort(address, port.protocol)
    } catch (err) {
      lastError = err
      break
    }
    if (start + port.range - 1 > 65535) continue
    for (let i = 0; i < port.range; i++) {
      if (used.has(usedKey(port.protocol, start + i))) continue attempts
      if (i > 0 && (await probeHostPort(address, start + i, port.protocol))) continue attempts
    }
    return start
  }
  const range = port.range > 1 ? `with range ${port.range} ` : ''
  const why = lastError ? `: ${bindErrorText(lastError as NodeJS.ErrnoException, address, 0, port.protocol)}` : ''
  throw new TspodError(`failed to find an open port to expose container port ${port.containerPort} ${range}on the host${why}`)
}

const GO_ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EAFNOSUPPORT: 'address family not supported by protocol',
}

/** `listen tcp 0.0.0.0:80: bind: permission denied`, as Go prints a failed listen. */
export function bindErrorText(err: NodeJS.ErrnoException, address: string, port: number, protocol: PortProtocol): string {
  const host = address.includes(':') ? `[${address}]` : address
  const reason = (err.code && GO_ERRNO_TEXT[err.code]) ?? err.message
  return `listen ${protocol} ${host}:${port}: bind: ${reason}`
}

/** The first port an unprivileged user may bind (net.ipv4.ip_unprivileged_port_start). */
export function unprivilegedPortStart(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim())
  } catch {
    return 1024
  }
}

/** Why `port` cannot be published on the host, in Podman's (rootlessport's) words. */
export function hostPortError(err: NodeJS.ErrnoException, port: PortMapping, hostPort: number): TspodError {
  const address = bindAddress(port)
  const text = bindErrorText(err, address, hostPort, port.protocol)
  const details = {code: err.code, errno: err.errno, syscall: 'bind', cause: err}
  const start = unprivilegedPortStart()
  if (err.code === 'EACCES' && hostPort < start)
    return new ContainerStartError(
      `cannot expose privileged port ${hostPort}, you can add 'net.ipv4.ip_unprivileged_port_start=${hostPort}' to /etc/sysctl.conf (currently ${start}), or choose a larger port number (>= ${start}): ${text}`,
      details,
    )
  return new ContainerStartError(`cannot publish host port ${hostPort}: ${text}`, details)
}
