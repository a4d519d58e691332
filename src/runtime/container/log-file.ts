// The container log in Podman's k8s-file format, one entry per line:
//   <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <content>
// F ends a line of output, P is part of a line that continues in the next entry.
import * as fs from 'node:fs'

export type LogStream = 'stdout' | 'stderr'

export interface LogEntry {
  time: string
  stream: LogStream
  /** the content continues in the next entry (no newline after it) */
  partial: boolean
  content: string
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** Local time with nanoseconds and offset, as Podman writes it: 2026-11-23T11:15:32.123000000+00:00 */
export function logTimestamp(date = new Date()): string {
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000000`
  return `${day}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/**
 * Appends entries to a log, the foreground twin of tspod-monitor's log writer: with a size limit,
 * an entry that would take the log past it starts a new, empty log, as conmon does.
 */
export class LogWriter {
  private fd: number
  private size: number

  constructor(
    readonly file: string,
    private readonly sizeMax = 0,
  ) {
    this.fd = fs.openSync(file, 'a', 0o600)
    this.size = fs.fstatSync(this.fd).size
  }

  write(stream: LogStream, chunk: Buffer): void {
    const time = logTimestamp()
    const lines = chunk.toString('utf8').split('\n')
    const last = lines.pop()!
    const entries = lines.map((line) => `${time} ${stream} F ${line}\n`)
    if (last !== '') entries.push(`${time} ${stream} P ${last}\n`)
    let out = ''
    let outBytes = 0
    for (const entry of entries) {
      const length = Buffer.byteLength(entry)
      const held = this.size + outBytes
      if (this.sizeMax > 0 && held > 0 && held + length > this.sizeMax) {
        this.flush(out)
        out = ''
        outBytes = 0
        this.restart()
      }
      out += entry
      outBytes += length
    }
    this.flush(out)
  }

  private flush(out: string): void {
    if (out === '') return
    this.size += fs.writeSync(this.fd, out)
  }

  /** A new, empty file renamed over the full one: a reader following the old one reads it to its end. */
  private restart(): void {
    const tmp = `${this.file}.tmp`
    const fd = fs.openSync(tmp, 'w', 0o600)
    fs.renameSync(tmp, this.file)
    fs.closeSync(this.fd)
    this.fd = fd
    this.size = 0
  }

  close(): void {
    fs.closeSync(this.fd)
  }
}

export function parseLogLine(line: string): LogEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) ?([\s\S]*)$/.exec(line)
  if (!m) return undefined
  return {time: m[1], stream: m[2] as LogStream, partial: m[3] === 'P', content: m[4]}
}

/** Entries from byte `offset` on; returns them and the offset after the last complete line. */
export function readLogFrom(file: string, offset: number): {entries: LogEntry[]; offset: number} {
  let data: Buffer
  try {
    const fd = fs.openSync(file, 'r')
    try {
      const size = fs.fstatSync(fd).size
      data = Buffer.alloc(Math.max(0, size - offset))
      if (data.length > 0) fs.readSync(fd, data, 0, data.length, offset)
    } finally {
      fs.closeSync(fd)
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {entries: [], offset}
    throw err
  }
  const end = data.lastIndexOf(0x0a) + 1
  const entries = data
    .subarray(0, end)
    .toString('utf8')
    .split('\n')
    .map(parseLogLine)
    .filter((e): e is LogEntry => e !== undefined)
  return {entries, offset: offset + end}
}

/** The last `n` lines of output (a line may span several partial entries). */
export function tailEntries(entries: LogEntry[], n: number): LogEntry[] {
  if (n < 0) return entries
  let lines = 0
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!entries[i].partial) {
      if (lines === n) return entries.slice(i + 1)
      lines++
    }
  }
  return entries
}
