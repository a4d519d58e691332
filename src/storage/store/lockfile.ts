// Kernel file locks (flock through the addon), as containers-storage's lockfile and libpod's
// per-container locks: shared or exclusive, between processes and between two holders in one
// process alike, and released by the kernel when the holder dies, so a killed tspod never leaves
// a stale lock. Who takes which lock, in which order: docs/design/locking.md.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {wrap} from '../../errors'
import {native} from '../../native'

export type LockMode = 'shared' | 'exclusive'

/** Polling backoff while another holder keeps the lock: quick for short holds, cheap for long ones. */
const FIRST_RETRY_MS = 1
const LONGEST_RETRY_MS = 10

export class HeldLock {
  private released = false

  constructor(
    readonly file: string,
    private readonly fd: number,
  ) {}

  release(): void {
    if (this.released) return
    this.released = true
    fs.closeSync(this.fd) // closing the only fd on the description drops the flock
  }

  /**
   * Remove the lock file, then release: for a lock whose object is gone (a removed container).
   * A process waiting on the old file sees, once it gets it, that the path names another file
   * or none (see acquire) and starts over on the new one.
   */
  releaseAndRemove(): void {
    if (this.released) return
    fs.rmSync(this.file, {force: true})
    this.release()
  }
}

function open(file: string): number {
  // libuv opens every fd close-on-exec: no child keeps the lock past its exec
  const openIt = () => fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600)
  try {
    try {
      return openIt()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
      return openIt()
    }
  } catch (err) {
    throw wrap(err, `opening the lock file ${file}`)
  }
}

/** The path still names the file the fd is open on (it was not removed and made anew meanwhile). */
function stillNamed(file: string, fd: number): boolean {
  const held = fs.fstatSync(fd)
  try {
    const named = fs.statSync(file)
    return named.ino === held.ino && named.dev === held.dev
  } catch {
    return false
  }
}

/** The lock if it is free now, else undefined. */
export function tryLock(file: string, mode: LockMode): HeldLock | undefined {
  for (;;) {
    const fd = open(file)
    if (!native().tryLock(fd, mode)) {
      fs.closeSync(fd)
      return undefined
    }
    if (stillNamed(file, fd)) return new HeldLock(file, fd)
    fs.closeSync(fd)
  }
}

/** Wait for the lock, polling with a growing backoff (never blocking the event loop). */
export async function lock(file: string, mode: LockMode): Promise<HeldLock> {
  let wait = FIRST_RETRY_MS
  for (;;) {
    const held = tryLock(file, mode)
    if (held) return held
    await sleep(wait)
    wait = Math.min(wait * 2, LONGEST_RETRY_MS)
  }
}

/** Run `action` holding the lock; released whatever happens. */
export async function withLock<T>(file: string, mode: LockMode, action: (held: HeldLock) => Promise<T> | T): Promise<T> {
  const held = await lock(file, mode)
  try {
    return await action(held)
  } finally {
    held.release()
  }
}
