// stats output as Podman 4.3.1's: percent and size texts, the default table with its headers,
// templates over Podman's field names, JSON keys and indentation; pod stats' "--" texts, fixed
// table and user templates.
import test from 'ava'

import type {ContainerStats} from '../../src/engine'
import {containerStatsRow, percentText, podStatsRow, renderContainerStats, renderPodStats} from '../../src/cli/stats-output'

const ID = 'a'.repeat(12) + 'b'.repeat(52)

function stats(over: Partial<ContainerStats> = {}): ContainerStats {
  return {
    containerId: ID,
    name: 'web',
    cpuPercent: 12.3456,
    avgCpuPercent: 3.2,
    cpuNs: 1_530_000_000,
    systemCpuNs: 10_000_000,
    sampledAtNs: 1,
    memUsage: 2_390_000,
    memLimit: 25_320_000_000,
    memPercent: 0.00944,
    netInput: 578,
    netOutput: 1219,
    blockInput: 0,
    blockOutput: 12288,
    pids: 3,
    ...over,
  }
}

const idle = stats({cpuPercent: 0, avgCpuPercent: 0, cpuNs: 0, systemCpuNs: 0, memUsage: 0, memLimit: 0, memPercent: 0, netInput: 0, netOutput: 0, blockOutput: 0, pids: 0, name: 'idle'})

test('percent texts: two decimals', (t) => {
  t.is(percentText(0), '0.00%')
  t.is(percentText(12.3456), '12.35%')
  t.is(percentText(100), '100.00%')
  t.is(percentText(Number.NaN), '--')
})

test('a container\'s fields: Podman\'s methods and the raw numbers', (t) => {
  const row = containerStatsRow(stats())
  t.like(row, {ID: 'aaaaaaaaaaaa', Name: 'web', CPUPerc: '12.35%', AVGCPU: '3.20%', MemPerc: '0.01%', PIDS: '3', PIDs: 3, CPU: 12.3456, UpTime: '1.53s', Up: '1.53s'})
  t.is(row.MemUsage, '2.39MB / 25.32GB')
  t.is(row.MemUsageBytes, '2.279MiB / 23.58GiB')
  t.is(row.NetIO, '578B / 1.219kB')
  t.is(row.BlockIO, '0B / 12.29kB')
  t.is(containerStatsRow(stats(), true).ID, ID)
})

test('the default table: Podman\'s columns, minimum width 12', (t) => {
  t.is(
    renderContainerStats([stats(), idle], undefined),
    'ID            NAME        CPU %       MEM USAGE / LIMIT  MEM %       NET IO          BLOCK IO      PIDS        CPU TIME    AVG CPU %\n' +
      'aaaaaaaaaaaa  web         12.35%      2.39MB / 25.32GB   0.01%       578B / 1.219kB  0B / 12.29kB  3           1.53s       3.20%\n' +
      'aaaaaaaaaaaa  idle        0.00%       0B / 0B            0.00%       0B / 0B         0B / 0B       0           0s          0.00%\n',
  )
  t.is(renderContainerStats([], undefined), 'ID          NAME        CPU %       MEM USAGE / LIMIT  MEM %       NET IO      BLOCK IO    PIDS        CPU TIME    AVG CPU %\n')
})

test('templates: a line per container, `table` adds the headers', (t) => {
  t.is(renderContainerStats([stats()], '{{.Name}} {{.CPUPerc}} {{.PIDs}}'), 'web 12.35% 3\n')
  t.is(renderContainerStats([stats()], 'table {{.Name}} {{.MemUsageBytes}} {{.UpTime}} {{.AVGCPU}}'), 'NAME        MEM USAGE / LIMIT    CPU TIME    AVG CPU %\nweb         2.279MiB / 23.58GiB  1.53s       3.20%\n')
})

test('--format json: Podman\'s keys, indented by one space', (t) => {
  t.is(
    renderContainerStats([stats()], 'json'),
    '[\n {\n  "id": "aaaaaaaaaaaa",\n  "name": "web",\n  "cpu_time": "1.53s",\n  "cpu_percent": "12.35%",\n  "avg_cpu": "3.20%",\n  "mem_usage": "2.39MB / 25.32GB",\n  "mem_percent": "0.01%",\n  "net_io": "578B / 1.219kB",\n  "block_io": "0B / 12.29kB",\n  "pids": "3"\n }\n]\n',
  )
  t.is(renderContainerStats([], 'JSON'), '[]\n')
})

test('pod stats rows: "--" for zeros', (t) => {
  t.deepEqual(podStatsRow('c'.repeat(64), idle), {CPU: '--', MemUsage: '-- / --', MemUsageBytes: '-- / --', Mem: '--', NetIO: '-- / --', BlockIO: '-- / --', PIDS: '--', Pod: 'cccccccccccc', CID: 'aaaaaaaaaaaa', Name: 'idle'})
  t.like(podStatsRow('c'.repeat(64), stats()), {CPU: '12.35%', MemUsage: '2.39MB / 25.32GB', Mem: '0.01%', BlockIO: '0B / 12.29kB', PIDS: '3'})
})

test('pod stats output: the fixed table, a "--" row when empty, templates with headers, JSON by five spaces', (t) => {
  const rows = [podStatsRow('c'.repeat(64), stats())]
  t.is(
    renderPodStats(rows, undefined),
    'POD           CID           NAME        CPU %       MEM USAGE/ LIMIT  MEM %       NET IO          BLOCK IO      PIDS\n' +
      'cccccccccccc  aaaaaaaaaaaa  web         12.35%      2.39MB / 25.32GB  0.01%       578B / 1.219kB  0B / 12.29kB  3\n',
  )
  t.is(renderPodStats([], undefined), 'POD         CID         NAME        CPU %       MEM USAGE/ LIMIT  MEM %       NET IO      BLOCK IO    PIDS\n--          --          --          --          --                --          --          --          --\n')
  t.is(renderPodStats(rows, '{{.Pod}}'), 'POD\ncccccccccccc\n')
  t.is(renderPodStats(rows, 'table {{.Name}} {{.CPU}}'), 'NAME        CPU %\nweb         12.35%\n')
  t.is(renderPodStats([], '{{.Pod}}'), '')
  t.true(renderPodStats(rows, 'json').startsWith('[\n     {\n          "CPU": "12.35%",'))
})
