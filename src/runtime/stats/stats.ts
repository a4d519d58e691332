// `podman stats` for tspod: Podman's define.ContainerStats of each container, sampled from /proc
// (see proc-usage.ts). CPU % is the CPU time used between two samples over the wall time between
// them (the first sample of a container counts from its start, as Podman does); AVG CPU % the CPU
// time over the time since the start. A container that is not running or paused has only its ID
// and name, every number 0, as in Podman.
import * as os from 'node:os'

import {Container, ContainerState} from '../container/config'
import {pidNamespaceOf} from '../top/proc'
import {ProcessIndex, ProcessUsage, descendantsOf, indexProcesses, namespaceMembers, readNetBytes, sumUsage} from './proc-usage'

export interface ContainerStats {
  containerId: string
  name: string
  /** % of one CPU between this sample and the previous one */
  cpuPercent: number
  /** % of one CPU since the container started */
  avgCpuPercent: number
  /** CPU time used, ns */
  cpuNs: number
  /** of which in kernel mode, ns */
  systemCpuNs: number
  /** when this sample was taken, ns since the epoch */
  sampledAtNs: number
  memUsage: number
  memLimit: number
  memPercent: number
  netInput: number
  netOutput: number
  blockInput: number
  blockOutput: number
  pids: number
}

function sampledState(state: ContainerState): boolean {
  return (state.status === 'running' || state.status === 'stopping' || state.status === 'paused') && state.pid > 0
}

function emptyStats(c: Container): ContainerStats {
  return {
    containerId: c.config.id,
    name: c.config.name,
    cpuPercent: 0,
    avgCpuPercent: 0,
    cpuNs: 0,
    systemCpuNs: 0,
    sampledAtNs: 0,
    memUsage: 0,
    memLimit: 0,
    memPercent: 0,
    netInput: 0,
    netOutput: 0,
    blockInput: 0,
    blockOutput: 0,
    pids: 0,
  }
}

function percent(part: number, whole: number): number {
  return whole > 0 && part > 0 ? (part / whole) * 100 : 0
}

/**
 * The pid namespaces that hold the init of one sampled container only: such a container's
 * processes are the namespace's (exec sessions included); in a namespace it shares (a pod with
 * `--share +pid`, `--pid container:X`, `--pid host`) they are its init and the init's descendants.
 */
function ownNamespaces(running: Container[]): Set<string> {
  const hostNamespace = pidNamespaceOf(process.pid)
  const count = new Map<string, number>()
  for (const c of running) {
    const ns = pidNamespaceOf(c.state.pid)
    if (ns !== undefined) count.set(ns, (count.get(ns) ?? 0) + 1)
  }
  return new Set([...count].filter(([ns, n]) => n === 1 && ns !== hostNamespace).map(([ns]) => ns))
}

/** The processes of a running container's init `pid`, the namespace's when it has its own. */
function processesOf(pid: number, own: Set<string>, index: ProcessIndex): number[] {
  const ns = pidNamespaceOf(pid)
  return ns !== undefined && own.has(ns) ? namespaceMembers(ns, index) : descendantsOf(pid, index)
}

/** Keeps each container's last sample, so the next one's CPU % covers the time between them. */
export class StatsSampler {
  private readonly previous = new Map<string, {pid: number; cpuNs: number; atNs: number}>()

  constructor(private readonly memoryTotal: number = os.totalmem()) {}

  /**
   * The stats of `targets`; `running` are all the containers that have processes now (the
   * namespaces they share decide which processes are whose).
   */
  sample(targets: Container[], running: Container[]): ContainerStats[] {
    const own = ownNamespaces(running.filter((c) => sampledState(c.state)))
    let index: ProcessIndex | undefined
    return targets.map((c) => (sampledState(c.state) ? this.sampleRunning(c, processesOf(c.state.pid, own, (index ??= indexProcesses()))) : emptyStats(c)))
  }

  private sampleRunning(c: Container, pids: number[]): ContainerStats {
    const usage: ProcessUsage = sumUsage(pids)
    const net = readNetBytes(c.state.pid)
    const nowNs = Date.now() * 1e6
    const startedNs = c.state.startedAt ? Date.parse(c.state.startedAt) * 1e6 : nowNs
    let before = this.previous.get(c.config.id)
    // a restarted container starts counting again
    if (!before || before.pid !== c.state.pid || before.cpuNs > usage.cpuNs) before = {pid: c.state.pid, cpuNs: 0, atNs: startedNs}
    this.previous.set(c.config.id, {pid: c.state.pid, cpuNs: usage.cpuNs, atNs: nowNs})
    return {
      ...emptyStats(c),
      cpuPercent: percent(usage.cpuNs - before.cpuNs, nowNs - before.atNs),
      avgCpuPercent: percent(usage.cpuNs, nowNs - startedNs),
      cpuNs: usage.cpuNs,
      systemCpuNs: usage.systemCpuNs,
      sampledAtNs: nowNs,
      memUsage: usage.memoryBytes,
      memLimit: this.memoryTotal,
      memPercent: percent(usage.memoryBytes, this.memoryTotal),
      netInput: net?.received ?? 0,
      netOutput: net?.transmitted ?? 0,
      blockInput: usage.blockRead,
      blockOutput: usage.blockWrite,
      pids: usage.tasks,
    }
  }
}
