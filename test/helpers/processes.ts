// Processes in tests: a host shell script killed at the test's end, whether one still runs, and
// polling until something holds.
import {ChildProcess, spawn} from 'node:child_process'
import * as fs from 'node:fs'

/** `sh -c script` in a process group of its own, so that the teardown ends the shell's children too. */
export function spawnedShell(t: {teardown(fn: () => void): void}, script: string): ChildProcess {
  const child = spawn('sh', ['-c', script], {stdio: 'ignore', detached: true})
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // gone
    }
  })
  return child
}

/** A process is gone once /proc has no entry for it or only a zombie's (pid 1 here reaps late). */
export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** Poll `check` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
