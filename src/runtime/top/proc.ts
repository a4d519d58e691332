// One process as /proc shows it to tspod on the host: the fields of stat and status that
// `podman top` prints (psgo's internal/proc), read once.
import * as fs from 'node:fs'

export interface ProcStat {
  comm: string
  state: string
  ppid: number
  pgrp: number
  ttyNr: number
  /** clock ticks */
  utime: number
  stime: number
  nice: string
  /** clock ticks after boot */
  starttime: number
  /** bytes */
  vsize: number
}

export interface ProcStatus {
  name: string
  /** State's letter (S, R, Z...) */
  state: string
  ppid: number
  /** real, effective, saved, filesystem: as seen from tspod's (the host's) namespace */
  uids: number[]
  gids: number[]
  groups: number[]
  /** the pid in each pid namespace, outermost first */
  nsPid: number[]
  nsPgid: number[]
  capInh: string
  capPrm: string
  capEff: string
  capBnd: string
  capAmb: string
  seccomp: string
  /** VmRSS in kB, '' for kernel threads */
  vmRss: string
}

export interface ProcProcess {
  pid: number
  stat: ProcStat
  status: ProcStatus
  /** cmdline split at its NULs (without the trailing one) */
  argv: string[]
  /** /proc/<pid>/attr/current, '?' when the host has no labels */
  label: string
}

/** /proc/<pid>/stat: the comm between the first '(' and the last ')', then space-separated fields. */
export function parseStat(text: string): ProcStat {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < 0) throw new Error('invalid format in stat')
  const rest = text.slice(close + 1).trim().split(/\s+/)
  // rest[0] is field 3 (state) of proc(5)
  const field = (n: number): string => rest[n - 3] ?? ''
  return {
    comm: text.slice(open + 1, close),
    state: field(3),
    ppid: Number(field(4)),
    pgrp: Number(field(5)),
    ttyNr: Number(field(7)),
    utime: Number(field(14)),
    stime: Number(field(15)),
    nice: field(19),
    starttime: Number(field(22)),
    vsize: Number(field(23)),
  }
}

export function parseStatus(text: string): ProcStatus {
  const fields = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim().split(/\s+/).filter(Boolean))
  }
  const numbers = (key: string): number[] => (fields.get(key) ?? []).map(Number)
  const first = (key: string): string => fields.get(key)?.[0] ?? ''
  return {
    name: first('Name'),
    state: first('State'),
    ppid: Number(first('PPid')),
    uids: numbers('Uid'),
    gids: numbers('Gid'),
    groups: numbers('Groups'),
    nsPid: numbers('NSpid'),
    nsPgid: numbers('NSpgid'),
    capInh: first('CapInh'),
    capPrm: first('CapPrm'),
    capEff: first('CapEff'),
    capBnd: first('CapBnd'),
    capAmb: first('CapAmb'),
    seccomp: first('Seccomp'),
    vmRss: first('VmRSS'),
  }
}

export function parseCmdline(data: Buffer): string[] {
  const parts = data.toString('utf8').split('\0')
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

function readLabel(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/attr/current`, 'utf8').replace(/^\n+|\n+$/g, '')
  } catch {
    return '?'
  }
}

/** Read one process; undefined when it is gone or not ours to read. */
export function readProcess(pid: number): ProcProcess | undefined {
  try {
    return {
      pid,
      stat: parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')),
      status: parseStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8')),
      argv: parseCmdline(fs.readFileSync(`/proc/${pid}/cmdline`)),
      label: readLabel(pid),
    }
  } catch {
    return undefined
  }
}

/** The inode text of /proc/<pid>/ns/pid ("pid:[4026531836]"); undefined when it cannot be read. */
export function pidNamespaceOf(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`)
  } catch {
    return undefined
  }
}

/** Every pid /proc lists. */
export function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
}

export interface IdMapLine {
  inside: number
  outside: number
  size: number
}

/** /proc/<pid>/uid_map or gid_map as tspod reads it: inside ids and ids of tspod's namespace. */
export function readIdMap(pid: number, kind: 'uid' | 'gid'): IdMapLine[] | undefined {
  try {
    return fs
      .readFileSync(`/proc/${pid}/${kind}_map`, 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number))
      .filter((f) => f.length === 3 && f.every(Number.isFinite))
      .map(([inside, outside, size]) => ({inside, outside, size}))
  } catch {
    return undefined
  }
}

/** /proc/stat's btime: the boot time in Unix seconds. */
export function bootTime(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('btime '))
  if (!line) throw new Error("couldn't extract boot time from /proc/stat")
  return Number(line.split(/\s+/)[1])
}
