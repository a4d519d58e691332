// The events log as Podman's file logger (libpod/events/logfile.go): one JSON line per event,
// appended under <log>.lock; before a write that would reach the size limit, the log keeps only
// its newer half (from the first whole line after its middle) and a system log-rotation event
// is written first. Readers read it from the start or follow it from its end.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {TspodError} from '../errors'
import {withLock} from '../storage/store/lockfile'
import type {EventsConfig} from './config'
import {EVENT_TYPES, PodmanEvent, eventJson, newEvent} from './event'

const FOLLOW_POLL_MS = 100

/** Podman makes the log (and its dir) before reading, so a reader never waits on a missing file. */
export function ensureLogFile(file: string): void {
  fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  fs.closeSync(fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_CREAT, 0o700))
}

/** The log's newer half: from the first whole line after its middle. */
function truncateToNewerHalf(file: string): void {
  const data = fs.readFileSync(file)
  const threshold = Math.floor(data.length / 2)
  const newline = data.indexOf(0x0a, threshold)
  const kept = newline < 0 ? Buffer.alloc(0) : data.subarray(newline + 1)
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, kept, {mode: 0o700})
  fs.renameSync(tmp, file)
}

/** Append `e`, rotating first when the log would reach `maxSize`. */
export async function writeEvent(config: EventsConfig, e: PodmanEvent): Promise<void> {
  if (config.backend === 'none') return
  const file = config.path
  fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  await withLock(`${file}.lock`, 'exclusive', () => {
    const line = eventJson(e)
    let text = `${line}\n`
    if (config.maxSize > 0) {
      let size = -1
      try {
        size = fs.statSync(file).size
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
      // as Podman: the file's bytes and the line's characters against the limit
      if (size >= 0 && size + [...line].length >= config.maxSize) {
        truncateToNewerHalf(file)
        text = `${eventJson(newEvent('system', 'log-rotation', {Name: file}))}\n${text}`
      }
    }
    fs.appendFileSync(file, text, {mode: 0o700})
  })
}

export interface ReadOptions {
  /** keep following the log for new events */
  stream: boolean
  /** read from the start (else, streaming, from the end) */
  fromStart: boolean
  /** stop following at this time (ns since the epoch) */
  untilNs?: bigint
  /** told each event that passes the filters */
  onEvent: (e: PodmanEvent) => void
  /** the event passes */
  matches: (e: PodmanEvent) => boolean
}

function parseLine(line: string, file: string): PodmanEvent {
  let e: PodmanEvent
  try {
    e = JSON.parse(line) as PodmanEvent
  } catch (err) {
    throw new TspodError(`reading the events log ${file}: ${(err as Error).message}`)
  }
  if (!EVENT_TYPES.includes(e.Type)) throw new TspodError(`event type ${e.Type} is not valid in ${file}`)
  return e
}

/** Read the log (the config's backend must be file); resolves at its end or, streaming, at untilNs. */
export async function readEvents(config: EventsConfig, options: ReadOptions): Promise<void> {
  if (config.backend === 'none') throw new TspodError('cannot read events with the "none" backend')
  const file = config.path
  ensureLogFile(file)
  let fd = fs.openSync(file, 'r')
  let position = options.fromStart || !options.stream ? 0 : fs.fstatSync(fd).size
  let pending = ''
  const nowNs = () => BigInt(Date.now()) * 1_000_000n
  const readAvailable = () => {
    const chunk = Buffer.alloc(64 * 1024)
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, position)
      if (n === 0) break
      position += n
      pending += chunk.subarray(0, n).toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.trim() === '') continue
        const e = parseLine(line, file)
        if (options.matches(e)) options.onEvent(e)
      }
    }
  }
  try {
    readAvailable()
    if (!options.stream) return
    for (;;) {
      if (options.untilNs !== undefined && nowNs() >= options.untilNs) return
      await sleep(FOLLOW_POLL_MS)
      // rotated: the file now at the path is a new one, read from its start
      let replaced = false
      try {
        const now = fs.statSync(file)
        const held = fs.fstatSync(fd)
        replaced = now.ino !== held.ino || now.size < position
      } catch {
        continue
      }
      if (replaced) {
        readAvailable()
        fs.closeSync(fd)
        fd = fs.openSync(file, 'r')
        position = 0
        pending = ''
      }
      readAvailable()
    }
  } finally {
    fs.closeSync(fd)
  }
}
