// What a container's processes use, read from the host's /proc. tspod's rootless containers
// have no cgroup of their own (cgroups v1, no delegation), so where Podman reads its cgroup,
// tspod adds up the numbers of the container's processes: CPU time from /proc/PID/stat, memory
// from smaps_rollup's Pss (VmRSS where smaps_rollup cannot be read), block IO from /proc/PID/io,
// tasks from num_threads, and network bytes from the container's network namespace's net/dev.
import * as fs from 'node:fs'

import {CLOCK_TICKS} from '../top/descriptors'
import {allPids, parseStat, pidNamespaceOf} from '../top/proc'

/** The sums over a container's processes. */
export interface ProcessUsage {
  /** user + system CPU time, ns */
  cpuNs: number
  /** system (kernel mode) CPU time, ns */
  systemCpuNs: number
  /** proportional set size (resident where PSS cannot be read), bytes */
  memoryBytes: number
  /** bytes read from and written to storage (/proc/PID/io read_bytes, write_bytes) */
  blockRead: number
  blockWrite: number
  /** tasks (threads), as a cgroup's pids.current counts them */
  tasks: number
}

const NS_PER_TICK = 1e9 / CLOCK_TICKS

/** "Key:   123 kB" lines of smaps_rollup and status, or "key: 123" of io: the number of `key`. */
export function fieldOf(text: string, key: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${key}:`))
  if (line === undefined) return undefined
  const value = Number(line.slice(key.length + 1).trim().split(/\s+/)[0])
  return Number.isFinite(value) ? value : undefined
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Pss of smaps_rollup, else VmRSS of status (a kernel thread or a zombie has neither: 0). */
function memoryOf(pid: number): number {
  const rollup = readText(`/proc/${pid}/smaps_rollup`)
  const pss = rollup === undefined ? undefined : fieldOf(rollup, 'Pss')
  if (pss !== undefined) return pss * 1024
  const status = readText(`/proc/${pid}/status`)
  return ((status === undefined ? undefined : fieldOf(status, 'VmRSS')) ?? 0) * 1024
}

/** One process's share; undefined when it is gone. */
export function readProcessUsage(pid: number): ProcessUsage | undefined {
  const statText = readText(`/proc/${pid}/stat`)
  if (statText === undefined) return undefined
  const stat = parseStat(statText)
  // num_threads, field 20 of proc(5)
  const threads = Number(statText.slice(statText.lastIndexOf(')') + 1).trim().split(/\s+/)[20 - 3])
  const io = readText(`/proc/${pid}/io`)
  return {
    cpuNs: (stat.utime + stat.stime) * NS_PER_TICK,
    systemCpuNs: stat.stime * NS_PER_TICK,
    memoryBytes: memoryOf(pid),
    blockRead: (io === undefined ? undefined : fieldOf(io, 'read_bytes')) ?? 0,
    blockWrite: (io === undefined ? undefined : fieldOf(io, 'write_bytes')) ?? 0,
    tasks: Number.isFinite(threads) && threads > 0 ? threads : 1,
  }
}

export function sumUsage(pids: number[]): ProcessUsage {
  const total: ProcessUsage = {cpuNs: 0, systemCpuNs: 0, memoryBytes: 0, blockRead: 0, blockWrite: 0, tasks: 0}
  for (const pid of pids) {
    const one = readProcessUsage(pid)
    if (!one) continue
    total.cpuNs += one.cpuNs
    total.systemCpuNs += one.systemCpuNs
    total.memoryBytes += one.memoryBytes
    total.blockRead += one.blockRead
    total.blockWrite += one.blockWrite
    total.tasks += one.tasks
  }
  return total
}

/** Every process on the host by pid namespace and by parent, read once for a whole report. */
export interface ProcessIndex {
  byNamespace: Map<string, number[]>
  children: Map<number, number[]>
}

export function indexProcesses(): ProcessIndex {
  const index: ProcessIndex = {byNamespace: new Map(), children: new Map()}
  const add = <K>(map: Map<K, number[]>, key: K, pid: number): void => {
    const list = map.get(key)
    if (list) list.push(pid)
    else map.set(key, [pid])
  }
  for (const pid of allPids()) {
    const ns = pidNamespaceOf(pid)
    const text = readText(`/proc/${pid}/stat`)
    if (ns === undefined || text === undefined) continue
    add(index.byNamespace, ns, pid)
    add(index.children, parseStat(text).ppid, pid)
  }
  return index
}

/** Every process of the pid namespace `namespace` (the text of /proc/PID/ns/pid). */
export function namespaceMembers(namespace: string, index: ProcessIndex = indexProcesses()): number[] {
  return index.byNamespace.get(namespace) ?? []
}

/** `pid` and its descendants, through each process's PPid. */
export function descendantsOf(pid: number, index: ProcessIndex = indexProcesses()): number[] {
  const found = new Set<number>()
  const queue = [pid]
  while (queue.length > 0) {
    const next = queue.shift()!
    if (found.has(next)) continue
    found.add(next)
    queue.push(...(index.children.get(next) ?? []))
  }
  return [...found]
}

export interface NetBytes {
  received: number
  transmitted: number
}

/** /proc/net/dev as the network namespace of `pid` shows it: the bytes of every interface but lo. */
export function parseNetDev(text: string): NetBytes {
  const total = {received: 0, transmitted: 0}
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim()
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number)
    if (name === 'lo' || fields.length < 9) continue
    total.received += fields[0]
    total.transmitted += fields[8]
  }
  return total
}

/** The network bytes of the namespace `pid` is in; undefined when that is tspod's own (the host's). */
export function readNetBytes(pid: number): NetBytes | undefined {
  let namespace: string
  try {
    namespace = fs.readlinkSync(`/proc/${pid}/ns/net`)
    if (namespace === fs.readlinkSync('/proc/self/ns/net')) return undefined
  } catch {
    return undefined
  }
  const text = readText(`/proc/${pid}/net/dev`)
  return text === undefined ? undefined : parseNetDev(text)
}
