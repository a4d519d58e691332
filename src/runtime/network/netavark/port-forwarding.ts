// -p on named networks, as rootless Podman publishes them (rootlessport): the host ports are
// bound here, on the host, and handed to a forwarder process (port-forwarder.ts) that runs in
// the rootless netns' user and network namespaces and dials the container's address on its
// bridge for each connection. netavark is given the same mappings, for its DNAT inside the
// netns. The forwarder's pid is kept in the run dir until the container's network is torn down.
// The address it dials is a file next to it, read for each new connection, so that network
// connect and disconnect move the published ports to the container's new address (Podman's
// rootlessport reload) without binding them again.
import {spawn} from 'node:child_process'
import * as dgram from 'node:dgram'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {processStartTime} from '../../../storage/store/owner'
import {isAlive} from '../../container/records'
import {bindAddress, hostPortError} from '../host-ports'
import type {PortMapping} from '../publish'
import type {ForwarderTarget} from './port-forwarder'

export const PORT_FORWARDER_SCRIPT = path.join(__dirname, 'port-forwarder.js')
const NSENTER = '/usr/bin/nsenter'
const READY_TIMEOUT_MS = 10_000

interface ForwarderRecord {
  pid: number
  start?: string
}

function recordFile(runDir: string, containerId: string): string {
  return path.join(runDir, 'ports', `${containerId}.json`)
}

function addressFile(runDir: string, containerId: string): string {
  return path.join(runDir, 'ports', `${containerId}.address`)
}

/** Replaced whole (renamed into place), so that the forwarder never reads half of it. */
function writeAddress(runDir: string, containerId: string, ip: string): void {
  const file = addressFile(runDir, containerId)
  fs.writeFileSync(`${file}.tmp`, ip, {mode: 0o600})
  fs.renameSync(`${file}.tmp`, file)
}

/** netavark's port_mappings for the same ports */
export function netavarkPortMappings(ports: PortMapping[]): unknown[] {
  return ports.map((p) => ({host_ip: p.hostIP, container_port: p.containerPort, host_port: p.hostPort, range: p.range, protocol: p.protocol}))
}

type Bound = {fd: number; close(): void}

async function bindTcp(address: string, port: number): Promise<Bound> {
  const server = net.createServer((socket) => socket.destroy()) // only until the forwarder has it
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: address, port, exclusive: true}, () => resolve())
  })
  return {fd: (server as unknown as {_handle: {fd: number}})._handle.fd, close: () => server.close()}
}

async function bindUdp(address: string, port: number): Promise<Bound> {
  const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4')
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind({address, port, exclusive: true}, () => resolve())
  })
  // dgram keeps its handle behind a symbol: the fd is what the forwarder adopts
  const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol')
  const fd = state && (socket as unknown as Record<symbol, {handle?: {fd?: number}}>)[state]?.handle?.fd
  if (typeof fd !== 'number' || fd < 0) {
    socket.close()
    throw new TspodError('cannot hand a UDP host port to the port forwarder with this Node.js')
  }
  return {fd, close: () => socket.close()}
}

/** The container address the forwarder dials: its first IPv4 on its networks, else its first IPv6. */
export function forwardingAddress(addresses: string[]): string {
  const ip = addresses.find((a) => net.isIPv4(a)) ?? addresses.find((a) => net.isIPv6(a))
  if (!ip) throw new TspodError('the container got no address on its networks: its ports cannot be published')
  return ip
}

/** Bind every host port (their host ports picked already) and start the forwarder for them. */
export async function startPortForwarder(options: {runDir: string; containerId: string; holderPid: number; ports: PortMapping[]; containerIp: string}): Promise<void> {
  if (options.ports.length === 0) return
  // Podman's words: its rootlessport (rootlesskit's port driver) carries tcp and udp only
  if (options.ports.some((p) => p.protocol === 'sctp')) throw new TspodError('rootlessport spec was not validated?')
  const bound: Bound[] = []
  const targets: ForwarderTarget[] = []
  try {
    for (const port of options.ports) {
      for (let i = 0; i < port.range; i++) {
        const hostPort = port.hostPort + i
        const socket = await (port.protocol === 'udp' ? bindUdp : bindTcp)(bindAddress(port), hostPort).catch((err: NodeJS.ErrnoException) => {
          throw err instanceof TspodError ? err : hostPortError(err, port, hostPort)
        })
        bound.push(socket)
        targets.push({fd: 3 + targets.length, protocol: port.protocol === 'udp' ? 'udp' : 'tcp', family: net.isIPv6(bindAddress(port)) ? 6 : 4, port: port.containerPort + i})
      }
    }
    fs.mkdirSync(path.join(options.runDir, 'ports'), {recursive: true, mode: 0o700})
    writeAddress(options.runDir, options.containerId, options.containerIp)
    const log = fs.openSync(path.join(options.runDir, 'ports', `${options.containerId}.log`), 'w', 0o600)
    let child
    try {
      child = spawn(
        NSENTER,
        ['--preserve-credentials', '-U', '-n', '-t', String(options.holderPid), '--', process.execPath, PORT_FORWARDER_SCRIPT, JSON.stringify(targets), addressFile(options.runDir, options.containerId)],
        {stdio: ['ignore', 'pipe', log, ...bound.map((b) => b.fd)], detached: true},
      )
    } finally {
      fs.closeSync(log)
    }
    for (const b of bound.splice(0)) b.close()
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer)
        child.kill('SIGKILL')
        let text = ''
        try {
          text = fs.readFileSync(path.join(options.runDir, 'ports', `${options.containerId}.log`), 'utf8').trim().split('\n').pop() ?? ''
        } catch {
          // no log
        }
        reject(new TspodError(`starting the port forwarder: ${why}${text ? `: ${text}` : ''}`))
      }
      const timer = setTimeout(() => fail('it did not report ready'), READY_TIMEOUT_MS)
      child.once('error', (err) => fail(err.message))
      child.once('exit', (code, signal) => fail(`it exited (${signal ?? `status ${code}`})`))
      child.stdout!.once('data', () => {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve()
      })
    })
    child.stdout!.destroy()
    child.unref()
    const record: ForwarderRecord = {pid: child.pid!, start: processStartTime(child.pid!)}
    fs.writeFileSync(recordFile(options.runDir, options.containerId), JSON.stringify(record), {mode: 0o600})
  } finally {
    for (const b of bound) b.close()
  }
}

/**
 * After network connect or disconnect: the forwarder (if the container has one) keeps its
 * address while the container still has it (as Podman keeps rootlessport's child IP when a
 * second network is added), else dials the first of `addresses` (forwardingAddress), or refuses
 * connections when the container has none left. UDP clients it had are dropped (SIGHUP) so that
 * their next datagrams go to the new address.
 */
export function retargetPortForwarder(runDir: string, containerId: string, addresses: string[]): void {
  let record: ForwarderRecord
  let current: string
  try {
    record = JSON.parse(fs.readFileSync(recordFile(runDir, containerId), 'utf8')) as ForwarderRecord
    current = fs.readFileSync(addressFile(runDir, containerId), 'utf8')
  } catch {
    return // no ports published
  }
  if (addresses.includes(current)) return
  writeAddress(runDir, containerId, addresses.length > 0 ? forwardingAddress(addresses) : '')
  if (isAlive(record.pid, record.start)) process.kill(record.pid, 'SIGHUP')
}

/** The container's forwarder ended (if it runs) and forgotten. */
export function stopPortForwarder(runDir: string, containerId: string): void {
  const file = recordFile(runDir, containerId)
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as ForwarderRecord
    if (isAlive(record.pid, record.start)) process.kill(record.pid, 'SIGTERM')
  } catch {
    // none
  }
  fs.rmSync(file, {force: true})
  fs.rmSync(path.join(runDir, 'ports', `${containerId}.log`), {force: true})
  fs.rmSync(addressFile(runDir, containerId), {force: true})
}
