// containers/storage's lock files (storage.lock, layers.lock, images.lock, containers.lock,
// mountpoints.lock): fcntl record locks over the whole file, shared to read and exclusive to
// write; and the file's content, its last writer's 64-byte id, which a writer replaces before it
// unlocks so that every other process holding the records in memory sees they changed and
// reads them again (its lockfile's RecordWrite). tspod's own flock locks would not exclude them.
import {randomBytes} from 'node:crypto'
import * as fs from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {wrap} from '../../errors'
import {native} from '../../native'

export type StoreLockMode = 'shared' | 'exclusive'

const LAST_WRITER_ID_SIZE = 64
const LONGEST_RETRY_MS = 10
let writeCounter = 0n

/** containers/storage's last-writer id: time in ns, a per-process counter, the pid, then random bytes. */
export function newLastWriterId(): Buffer {
  const id = Buffer.alloc(LAST_WRITER_ID_SIZE)
  id.writeBigUInt64LE(BigInt(Date.now()) * 1_000_000n, 0)
  id.writeBigUInt64LE(++writeCounter, 8)
  id.writeUInt32LE(process.pid, 16)
  randomBytes(LAST_WRITER_ID_SIZE - 20).copy(id, 20)
  return id
}

export class StoreLock {
  private released = false

  private constructor(
    readonly file: string,
    private readonly fd: number,
    readonly mode: StoreLockMode,
  ) {}

  /**
   * Wait for the lock (polling, never blocking the event loop). A missing lock file is made as
   * containers/storage makes it (mode 0644) when the store's dir exists.
   */
  static async take(file: string, mode: StoreLockMode): Promise<StoreLock> {
    let fd: number
    try {
      fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644)
    } catch (err) {
      throw wrap(err, `opening the lock file ${file}`)
    }
    let wait = 1
    try {
      while (!native().tryRecordLock(fd, mode)) {
        await sleep(wait)
        wait = Math.min(wait * 2, LONGEST_RETRY_MS)
      }
    } catch (err) {
      fs.closeSync(fd)
      throw wrap(err, `locking ${file}`)
    }
    return new StoreLock(file, fd, mode)
  }

  /** Tell the store's other users that the records this lock guards changed (held exclusive). */
  recordWrite(): void {
    if (this.mode !== 'exclusive') throw new Error(`recordWrite on a shared lock of ${this.file}`)
    fs.writeSync(this.fd, newLastWriterId(), 0, LAST_WRITER_ID_SIZE, 0)
  }

  release(): void {
    if (this.released) return
    this.released = true
    fs.closeSync(this.fd) // an open file description lock goes with its last fd
  }
}

/** Take `files`' locks in the order given (containers/storage's: graph, layers, images, containers), run `action`, release them in reverse. */
export async function withStoreLocks<T>(files: string[], mode: StoreLockMode, action: (locks: StoreLock[]) => Promise<T> | T): Promise<T> {
  const held: StoreLock[] = []
  try {
    for (const file of files) held.push(await StoreLock.take(file, mode))
    return await action(held)
  } finally {
    for (const lock of held.reverse()) lock.release()
  }
}
