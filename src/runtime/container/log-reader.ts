// Reading a container's log without holding it in memory: forward in chunks from an offset,
// backwards in chunks from the end for --tail, and on from where it stopped for -f, also across
// a restart of the log by its size limit (a new file renamed over the full one).
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import type {Store} from '../../storage/store/store'
import type {ContainerConfig} from './config'
import {LogEntry, parseLogLine} from './log-file'
import {logConfigOf, logFileOf} from './paths'

const CHUNK_SIZE = 64 * 1024
const NEWLINE = 0x0a

/** The log `logs` reads; Podman's refusal when the container logs nothing. */
export function readableLogFile(store: Store, config: ContainerConfig): string {
  const file = logFileOf(store, config)
  if (file === undefined)
    throw new TspodError(`this container is using the '${logConfigOf(config).driver}' log driver, cannot read logs: this container is not logging output`)
  return file
}

function entriesOf(lines: Buffer): LogEntry[] {
  return lines
    .toString('utf8')
    .split('\n')
    .map(parseLogLine)
    .filter((e): e is LogEntry => e !== undefined)
}

/** One open log file and a position in it; only complete lines are read. */
export class LogCursor {
  private fd: number | undefined
  private ino = 0
  /** the position after the last complete line read */
  offset = 0

  constructor(readonly file: string) {
    this.open()
  }

  private open(): void {
    try {
      this.fd = fs.openSync(this.file, 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return // not started yet
      throw err
    }
    this.ino = fs.fstatSync(this.fd).ino
    this.offset = 0
  }

  /** The entries from the offset to the end of the file as it is now, a chunk at a time. */
  readToEnd(each: (entries: LogEntry[]) => void): void {
    if (this.fd === undefined) return
    let carry = Buffer.alloc(0)
    const chunk = Buffer.allocUnsafe(CHUNK_SIZE)
    for (;;) {
      const n = fs.readSync(this.fd, chunk, 0, CHUNK_SIZE, this.offset + carry.length)
      if (n === 0) return
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n)
      const end = data.lastIndexOf(NEWLINE) + 1
      // a line longer than the chunk is carried into the next read
      carry = Buffer.from(data.subarray(end))
      if (end === 0) continue
      each(entriesOf(data.subarray(0, end)))
      this.offset += end
    }
  }

  /**
   * The last `lines` lines of the entries `keep` accepts (a line may span several partial
   * entries), read backwards from the end; the offset moves to the end.
   */
  tail(lines: number, keep: (e: LogEntry) => boolean): LogEntry[] {
    if (this.fd === undefined) return []
    const size = fs.fstatSync(this.fd).size
    const picked: LogEntry[] = []
    let counted = 0
    let start = size
    let carry = Buffer.alloc(0)
    let first = true
    while (start > 0) {
      const length = Math.min(CHUNK_SIZE, start)
      start -= length
      const chunk = Buffer.allocUnsafe(length)
      fs.readSync(this.fd, chunk, 0, length, start)
      let data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk
      if (first) {
        // what follows the last newline is an entry still being written: the follower gets it
        data = data.subarray(0, data.lastIndexOf(NEWLINE) + 1)
        this.offset = start + data.length
        first = data.length === 0
      }
      // the first line of the chunk may begin in an earlier one
      const cut = start > 0 ? data.indexOf(NEWLINE) + 1 : 0
      if (cut === 0 && start > 0) {
        carry = Buffer.from(data)
        continue
      }
      carry = Buffer.from(data.subarray(0, cut))
      const entries = entriesOf(data.subarray(cut))
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]
        if (!keep(e)) continue
        if (!e.partial) {
          if (counted === lines) return picked.reverse()
          counted++
        }
        picked.push(e)
      }
    }
    return picked.reverse()
  }

  /** Is the file at the path another one than the one open (the log restarted, or it is created now)? Then read that one from its start. */
  reopenIfReplaced(): boolean {
    let ino: number
    try {
      ino = fs.statSync(this.file).ino
    } catch {
      return false
    }
    if (this.fd !== undefined && ino === this.ino) return false
    this.close()
    this.open()
    return this.fd !== undefined
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}
