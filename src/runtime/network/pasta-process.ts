// A container's pasta process by its pid file: pasta attached by pid does not end with the
// container (Debian 12's pasta quits only when a filesystem-bound netns is deleted), so whoever
// sees the container's end last ends it.
import * as fs from 'node:fs'

/** The pid of the pasta the pid file names, when it still runs and is the one started with that file. */
export function runningPasta(pidFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim())
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return cmdline.includes(pidFile) ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * The pasta of a container that ended with nobody to tear its network down (its tspod or monitor
 * was killed): signalled now, without waiting, its pid file removed.
 */
export function endAbandonedPasta(pidFile: string): void {
  const pid = runningPasta(pidFile)
  if (pid !== undefined) process.kill(pid, 'SIGTERM')
  fs.rmSync(pidFile, {force: true})
}
