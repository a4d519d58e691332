// How `stats` and `pod stats` print: Podman's table, `--format json` and Go templates over the
// fields of Podman's containerStats (define.ContainerStats and its methods) and PodStatsReport.
import {type ContainerStats, goDuration} from '../engine'
import {alignColumns, isJsonFormat, normalizeFormat, renderTable} from './format/go-template'
import {renderList} from './render'
import {binarySize, compactSize} from './units'

/** goterm's Clear and MoveCursor(1, 1), which Podman writes before each report on a terminal. */
export const CLEAR_SCREEN = '\u001B[2J\u001B[1;1H'

/** Podman's floatToPercentString: "12.34%". */
export function percentText(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}%` : '--'
}

const pair = (size: (n: number) => string, a: number, b: number): string => `${size(a)} / ${size(b)}`

/** One container's fields as Podman's templates see them: the raw numbers and the texts of its methods. */
export function containerStatsRow(s: ContainerStats, noTrunc = false): Record<string, unknown> {
  const cpuTime = goDuration(BigInt(Math.round(s.cpuNs)))
  return {
    // define.ContainerStats
    AvgCPU: s.avgCpuPercent,
    ContainerID: s.containerId,
    Name: s.name,
    PerCPU: [],
    CPU: s.cpuPercent,
    CPUNano: s.cpuNs,
    CPUSystemNano: s.systemCpuNs,
    SystemNano: s.sampledAtNs,
    MemLimit: s.memLimit,
    NetInput: s.netInput,
    NetOutput: s.netOutput,
    BlockInput: s.blockInput,
    BlockOutput: s.blockOutput,
    PIDs: s.pids,
    UpTime: cpuTime,
    Duration: s.cpuNs,
    // containerStats' methods
    ID: noTrunc ? s.containerId : s.containerId.slice(0, 12),
    CPUPerc: percentText(s.cpuPercent),
    AVGCPU: percentText(s.avgCpuPercent),
    Up: cpuTime,
    MemPerc: percentText(s.memPercent),
    NetIO: pair(compactSize, s.netInput, s.netOutput),
    BlockIO: pair(compactSize, s.blockInput, s.blockOutput),
    PIDS: String(s.pids),
    MemUsage: pair(compactSize, s.memUsage, s.memLimit),
    MemUsageBytes: pair(binarySize, s.memUsage, s.memLimit),
  }
}

const CONTAINER_TABLE = {
  table: 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}\t{{.UpTime}}\t{{.AVGCPU}}',
  headers: {
    ID: 'ID',
    UpTime: 'CPU TIME',
    CPUPerc: 'CPU %',
    AVGCPU: 'Avg CPU %',
    MemUsage: 'MEM USAGE / LIMIT',
    MemUsageBytes: 'MEM USAGE / LIMIT',
    MemPerc: 'MEM %',
    NetIO: 'NET IO',
    BlockIO: 'BLOCK IO',
    PIDS: 'PIDS',
  },
}

/** One report of `stats`: the table, a template per container, or Podman's JSON (one-space indent). */
export function renderContainerStats(stats: ContainerStats[], format: string | undefined, noTrunc = false): string {
  const rows = stats.map((s) => containerStatsRow(s, noTrunc))
  if (format !== undefined && isJsonFormat(format)) {
    const records = rows.map((r) => ({
      id: r.ID,
      name: r.Name,
      cpu_time: r.Up,
      cpu_percent: r.CPUPerc,
      avg_cpu: r.AVGCPU,
      mem_usage: r.MemUsage,
      mem_percent: r.MemPerc,
      net_io: r.NetIO,
      block_io: r.BlockIO,
      pids: r.PIDS,
    }))
    return JSON.stringify(records, null, 1) + '\n'
  }
  return renderList(rows, rows, format, CONTAINER_TABLE)
}

/** Podman's pod stats texts: "--" for a zero, "-- / --" for two. */
const podPercent = (value: number): string => (value === 0 ? '--' : percentText(value))
const podPair = (size: (n: number) => string, a: number, b: number): string => (a === 0 && b === 0 ? '-- / --' : pair(size, a, b))

/** entities.PodStatsReport of one container of a pod. */
export function podStatsRow(podId: string, s: ContainerStats): Record<string, string> {
  return {
    CPU: podPercent(s.cpuPercent),
    MemUsage: podPair(compactSize, s.memUsage, s.memLimit),
    MemUsageBytes: podPair(binarySize, s.memUsage, s.memLimit),
    Mem: podPercent(s.memPercent),
    NetIO: podPair(compactSize, s.netInput, s.netOutput),
    BlockIO: podPair(compactSize, s.blockInput, s.blockOutput),
    PIDS: s.pids === 0 ? '--' : String(s.pids),
    Pod: podId.slice(0, 12),
    CID: s.containerId.slice(0, 12),
    Name: s.name,
  }
}

const POD_HEADERS = {CPU: 'CPU %', MemUsage: 'MEM USAGE/ LIMIT', MemUsageBytes: 'MEM USAGE/ LIMIT', BlockIO: 'BLOCK IO'}
const POD_COLUMNS = ['Pod', 'CID', 'Name', 'CPU', 'MemUsage', 'Mem', 'NetIO', 'BlockIO', 'PIDS']
const POD_TITLES = ['POD', 'CID', 'NAME', 'CPU %', 'MEM USAGE/ LIMIT', 'MEM %', 'NET IO', 'BLOCK IO', 'PIDS']

/**
 * One report of `pod stats`: Podman's fixed table (a row of "--" when there is nothing), JSON
 * indented by five spaces, or a user's template, which always gets the header row and nothing
 * at all when there is no container.
 */
export function renderPodStats(rows: Record<string, string>[], format: string | undefined): string {
  if (format !== undefined && isJsonFormat(format)) return JSON.stringify(rows, null, 5) + '\n'
  if (format === undefined) {
    const lines = [POD_TITLES, ...(rows.length === 0 ? [POD_COLUMNS.map(() => '--')] : rows.map((r) => POD_COLUMNS.map((c) => r[c])))]
    return alignColumns(lines.map((cells) => `${cells.join('\t')}\n`).join(''), {minWidth: 12})
  }
  if (rows.length === 0) return ''
  return renderTable(rows, normalizeFormat(format).source, POD_HEADERS, {minWidth: 12})
}
