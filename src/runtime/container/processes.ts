// A running container's processes on the host, from its init's pid. A container with a pid
// namespace of its own (its init is pid 1 there) is every process in that namespace, `exec`
// sessions included; one sharing the host's or another container's has its init's process
// tree, found through /proc.
import * as fs from 'node:fs'

function pidNamespace(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`)
  } catch {
    return undefined
  }
}

/** Field 3 (the state letter) and 4 (the parent) of /proc/<pid>/stat; the name before them may hold spaces. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid)
  return fields ? Number(fields[1]) : undefined
}

/** The state letter of `ps` (R, S, T, Z ...); undefined once the process is gone. */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0]
}

/** The pid is 1 in the innermost pid namespace it is in (the last NSpid field). */
function ownsPidNamespace(pid: number): boolean {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('NSpid:'))
    return line?.trim().split(/\s+/).pop() === '1'
  } catch {
    return false
  }
}

/** `roots` and their descendants among `pids`. */
function treesOf(roots: number[], pids: number[]): Set<number> {
  const parents = new Map(pids.map((p) => [p, parentOf(p)]))
  const tree = new Set(roots)
  for (let grew = true; grew; ) {
    grew = false
    for (const [p, parent] of parents) {
      if (!tree.has(p) && parent !== undefined && tree.has(parent)) {
        tree.add(p)
        grew = true
      }
    }
  }
  return tree
}

/**
 * The container's processes on the host, from its init's pid (the init included). `others`:
 * the inits of other containers, whose trees are left out when they joined this one's pid
 * namespace (`--pid container:`, a pod sharing pid).
 */
export function containerProcesses(initPid: number, others: number[] = []): number[] {
  const pids = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
  const ns = pidNamespace(initPid)
  if (ns === undefined || ns === pidNamespace(process.pid) || !ownsPidNamespace(initPid)) return [...treesOf([initPid], pids)]
  const inNamespace = pids.filter((p) => pidNamespace(p) === ns)
  const joined = others.filter((p) => p !== initPid && inNamespace.includes(p))
  if (joined.length === 0) return inNamespace
  const theirs = treesOf(joined, inNamespace)
  return inNamespace.filter((p) => !theirs.has(p))
}

/** The signal to each pid; one gone meanwhile is skipped. */
export function signalEach(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    if (!(pid > 0)) continue // 0 or -1 would signal a process group
    try {
      process.kill(pid, signal)
    } catch {
      // gone meanwhile
    }
  }
}
