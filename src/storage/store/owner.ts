// Which process owns an in-progress write (a temp dir, a staging dir, an incomplete layer row):
// "<pid>-<start time>" from /proc, so a recycled pid is never mistaken for the writer.
import * as fs from 'node:fs'

/** A process's start time (clock ticks since boot), or undefined when it is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime); the command name (field 2) may hold spaces, so count after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

let own: string | undefined

export function ownerToken(): string {
  own ??= `${process.pid}-${processStartTime(process.pid)}`
  return own
}

export function isOwnerAlive(token: string): boolean {
  const m = /^(\d+)-(\d+)/.exec(token)
  if (!m) return false
  return processStartTime(Number(m[1])) === m[2]
}
