// `podman top` for tspod: the processes of a container as psgo shows them, read from the host's
// /proc. Podman joins the container's mount namespace and reads the container's own /proc; tspod
// finds every host process in the pid namespace of the container's init and translates what
// the host sees — pids through NSpid/NSpgid, ids through each process's uid_map/gid_map,
// names through the container's /etc/passwd and /etc/group (via /proc/<init>/root), ttys
// through the container's /dev — into what the container sees.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {CLOCK_TICKS, TopContext, resolveDescriptors} from './descriptors'
import {IdMapLine, ProcProcess, allPids, bootTime, pidNamespaceOf, readIdMap, readProcess} from './proc'

export interface TopResult {
  headers: string[]
  rows: string[][]
}

function readOverflow(kind: 'uid' | 'gid'): number {
  try {
    return Number(fs.readFileSync(`/proc/sys/kernel/overflow${kind}`, 'utf8').trim())
  } catch {
    return 65534
  }
}

function mapId(id: number, map: IdMapLine[] | undefined, overflow: number): number {
  if (!map) return id
  const line = map.find((m) => id >= m.outside && id < m.outside + m.size)
  return line ? line.inside + (id - line.outside) : overflow
}

/**
 * A file of the container's /etc read through /proc/<pid>/root: only a regular file in a real
 * /etc dir, opened without following a last symlink or blocking on a FIFO the image put there.
 */
function readContainerEtc(initPid: number, name: string): string | undefined {
  const etc = `/proc/${initPid}/root/etc`
  try {
    if (!fs.lstatSync(etc).isDirectory()) return undefined
    const fd = fs.openSync(path.join(etc, name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK)
    try {
      return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : undefined
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return undefined
  }
}

/** moby/sys/user LookupUid/LookupGid: the first entry with the id, else the number. */
function nameLookup(text: string | undefined): (id: number) => string {
  const names = new Map<number, string>()
  for (const line of (text ?? '').split('\n')) {
    const fields = line.trim().split(':')
    if (fields.length < 3 || line.trim().startsWith('#')) continue
    const id = Number(fields[2])
    if (/^\d+$/.test(fields[2]) && !names.has(id)) names.set(id, fields[0])
  }
  return (id) => names.get(id) ?? String(id)
}

function readHostFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Major and minor of a stat's st_rdev (glibc's gnu_dev_major/minor). */
function devNumbers(rdev: number): [number, number] {
  return [(rdev >> 8) & 0xfff, (rdev & 0xff) | ((rdev >> 12) & 0xfff00)]
}

/** tty_nr of proc(5): minor in bits 31-20 and 7-0, major in bits 15-8 (psgo's FindTTY). */
function ttyNumbers(ttyNr: number): [number, number] {
  return [(ttyNr >> 8) & 0xff, (ttyNr & 0xff) | ((ttyNr >>> 20) & 0xfff)]
}

/** The container's /dev/tty* and /dev/pts/* devices by "major:minor". */
function containerTtys(initPid: number): Map<string, string> {
  const dev = `/proc/${initPid}/root/dev`
  const devices = new Map<string, string>()
  const list = (dir: string, keep: (name: string) => boolean, prefix: string): void => {
    let names: string[]
    try {
      names = fs.readdirSync(path.join(dev, dir))
    } catch {
      return
    }
    for (const name of names.filter(keep)) {
      try {
        const st = fs.statSync(path.join(dev, dir, name))
        if (!st.isCharacterDevice()) continue
        const key = devNumbers(st.rdev).join(':')
        if (!devices.has(key)) devices.set(key, `${prefix}${name}`)
      } catch {
        // gone meanwhile
      }
    }
  }
  list('.', (n) => n.startsWith('tty'), '')
  list('pts', () => true, 'pts/')
  return devices
}

function nowNs(): bigint {
  const ms = performance.timeOrigin + performance.now()
  return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))
}

/**
 * The processes of the container whose init is host pid `initPid`, as `podman top` prints them:
 * `descriptors` are psgo's AIX-format names or codes (default: user pid ppid pcpu etime tty time
 * args), rows in the container's pid order.
 */
export function topProcesses(initPid: number, descriptors?: string[]): TopResult {
  const columns = resolveDescriptors(descriptors)
  const namespace = pidNamespaceOf(initPid)
  const init = namespace === undefined ? undefined : readProcess(initPid)
  if (namespace === undefined || !init) throw new TspodError(`cannot read the pid namespace of the container process ${initPid}: no such process or permission denied`, {path: `/proc/${initPid}`})
  const level = init.status.nsPid.length - 1

  const processes = allPids()
    .filter((pid) => pid === initPid || pidNamespaceOf(pid) === namespace)
    .map((pid) => (pid === initPid ? init : readProcess(pid)))
    .filter((p): p is ProcProcess => p !== undefined && p.status.nsPid.length > level)
  const inContainer = (nsIds: number[], fallback: number): number => nsIds[level] ?? fallback
  const containerPids = new Map(processes.map((p) => [p.pid, inContainer(p.status.nsPid, 0)]))
  processes.sort((a, b) => containerPids.get(a.pid)! - containerPids.get(b.pid)!)

  const maps = new Map<number, {uid?: IdMapLine[]; gid?: IdMapLine[]}>()
  const mapsOf = (p: ProcProcess): {uid?: IdMapLine[]; gid?: IdMapLine[]} => {
    let m = maps.get(p.pid)
    if (!m) maps.set(p.pid, (m = {uid: readIdMap(p.pid, 'uid'), gid: readIdMap(p.pid, 'gid')}))
    return m
  }
  const [overflowUid, overflowGid] = [readOverflow('uid'), readOverflow('gid')]
  let userName: ((id: number) => string) | undefined
  let groupName: ((id: number) => string) | undefined
  let hostUserName: ((id: number) => string) | undefined
  let hostGroupName: ((id: number) => string) | undefined
  let ttys: Map<string, string> | undefined
  let boot: number | undefined
  const now = nowNs()
  const startTime = (p: ProcProcess): number => (boot ??= bootTime()) + Math.floor(p.stat.starttime / CLOCK_TICKS)

  const ctx: TopContext = {
    containerPid: (p) => containerPids.get(p.pid) ?? 0,
    // the kernel shows 0 for a parent outside the namespace, as for the container's init
    containerPpid: (p) => containerPids.get(p.status.ppid) ?? 0,
    containerPgid: (p) => inContainer(p.status.nsPgid, 0),
    uid: (p, i) => mapId(p.status.uids[i], mapsOf(p).uid, overflowUid),
    gid: (p, i) => mapId(p.status.gids[i], mapsOf(p).gid, overflowGid),
    groups: (p) => p.status.groups.map((g) => mapId(g, mapsOf(p).gid, overflowGid)),
    userName: (id) => (userName ??= nameLookup(readContainerEtc(initPid, 'passwd')))(id),
    groupName: (id) => (groupName ??= nameLookup(readContainerEtc(initPid, 'group')))(id),
    hostUserName: (id) => (hostUserName ??= nameLookup(readHostFile('/etc/passwd')))(id),
    hostGroupName: (id) => (hostGroupName ??= nameLookup(readHostFile('/etc/group')))(id),
    tty: (ttyNr) => (ttys ??= containerTtys(initPid)).get(ttyNumbers(ttyNr).join(':')) ?? '?',
    elapsedNs: (p) => now - BigInt(startTime(p)) * 1_000_000_000n,
    startTime,
  }
  return {
    headers: columns.map((c) => c.header),
    rows: processes.map((p) => columns.map((c) => c.value(p, ctx))),
  }
}
