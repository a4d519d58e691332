// `commit --pause`: every process of a running container stopped while its layer is read, and
// continued after. A container in its own pid namespace is all the processes in that namespace;
// one sharing the host's has only its init's process tree, found through /proc.
import * as fs from 'node:fs'

function pidNamespace(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`)
  } catch {
    return undefined
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

/** The container's processes on the host, from its init's pid. */
export function containerProcesses(initPid: number): number[] {
  const pids = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
  const ns = pidNamespace(initPid)
  if (ns !== undefined && ns !== pidNamespace(process.pid)) return pids.filter((p) => pidNamespace(p) === ns)
  const tree = new Set([initPid])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of pids) {
      const parent = parentOf(p)
      if (!tree.has(p) && parent !== undefined && tree.has(parent)) {
        tree.add(p)
        grew = true
      }
    }
  }
  return [...tree]
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // gone meanwhile
    }
  }
}

/** Run `action` with the container's processes stopped (SIGSTOP), continuing them after. */
export async function whilePaused<T>(initPid: number, action: () => Promise<T>): Promise<T> {
  const pids = containerProcesses(initPid)
  signalAll(pids, 'SIGSTOP')
  try {
    return await action()
  } finally {
    signalAll(pids, 'SIGCONT')
  }
}
