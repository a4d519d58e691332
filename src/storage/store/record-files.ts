// The store's record files: the copy of every DB row that matters, kept beside the data it
// describes, so that a lost or damaged tspod.db can be rebuilt (rebuild.ts). The DB is the index;
// these files are written first, inside the DB transaction that records the change, before its
// commit (docs/design/storage-layout.md, "Record files").
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {wrap} from '../../errors'

/** The version of the record files' format, in each JSON record as "recordVersion". */
export const RECORD_VERSION = 1

/**
 * Write `data` to `file` atomically: a temp file beside it, fsynced, renamed over it; the dir is
 * fsynced with `durable` (records that a rebuild depends on). `syncTheDir` false leaves the dir to
 * the caller's next durable write into it (one dir fsync covers every rename in that dir).
 */
export function writeFileAtomic(file: string, data: string | Buffer, durable = true, syncTheDir = durable): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`)
  try {
    const fd = fs.openSync(tmp, 'w', 0o600)
    try {
      fs.writeFileSync(fd, data)
      if (durable) fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
    if (durable && syncTheDir) syncDir(path.dirname(file))
  } catch (err) {
    fs.rmSync(tmp, {force: true})
    throw wrap(err, `writing record file ${file}`)
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

export function writeRecord(file: string, record: object, durable = true): void {
  writeFileAtomic(file, JSON.stringify({recordVersion: RECORD_VERSION, ...record}, null, 1) + '\n', durable)
}

/** A record file's JSON, undefined when it does not exist; throws on a file that does not parse. */
export function readRecord<T>(file: string): T | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw wrap(err, `reading record file ${file}`)
  }
  try {
    return JSON.parse(text) as T
  } catch (err) {
    throw wrap(err, `record file ${file} does not parse`)
  }
}

export function removeRecord(file: string): void {
  fs.rmSync(file, {force: true})
}

/**
 * Run `write` once per store and owner ("storage", "runtime", "volumes"): the record files of rows
 * a tspod without record files wrote. `<graphRoot>/records-<owner>.done` marks it done; a store
 * made by this tspod gets the mark at once, as `write` finds nothing to do.
 */
export function backfillRecordsOnce(graphRoot: string, owner: string, write: () => void): void {
  const mark = path.join(graphRoot, `records-${owner}.done`)
  if (fs.existsSync(mark)) return
  write()
  writeFileAtomic(mark, `record files version ${RECORD_VERSION}\n`)
}

/** The entries of a store dir that hold records (hidden temp files left out); none when it is missing. */
export function recordDirEntries(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => !name.startsWith('.'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}
