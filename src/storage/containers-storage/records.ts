// containers/storage's record files: the JSON arrays it keeps of its containers
// (<driver>-containers/containers.json, and volatile-containers.json in the run root), layers
// (<driver>-layers/layers.json, volatile-layers.json in the run root; mountpoints.json there
// says which are mounted) and images (<driver>-images/images.json). Only the fields tspod uses
// are typed; a record is written back with every field it was read with.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'

export interface CsContainer {
  id: string
  names?: string[]
  image?: string
  layer: string
  created?: string
  metadata?: string
  [field: string]: unknown
}

export interface CsLayer {
  id: string
  parent?: string
  names?: string[]
  [field: string]: unknown
}

export interface CsImage {
  id: string
  names?: string[]
  'names-history'?: string[]
  layer?: string
  [field: string]: unknown
}

export interface CsMountPoint {
  id: string
  path?: string
  count?: number
  [field: string]: unknown
}

/** A record file's entries; a missing file is an empty list, a damaged one an error naming it. */
export function readRecordFile<T extends {id: string}>(file: string): T[] {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') return []
    throw new TspodError(`reading ${file}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
  if (text.trim() === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new TspodError(`${file} is damaged: ${(err as Error).message}`, {path: file, cause: err})
  }
  if (parsed === null) return []
  if (!Array.isArray(parsed) || parsed.some((r) => r === null || typeof r !== 'object' || typeof (r as {id?: unknown}).id !== 'string'))
    throw new TspodError(`${file} is damaged: not a list of records with an "id"`, {path: file})
  return parsed as T[]
}

/** Replace a record file as containers/storage does (a new file renamed over it, mode 0600). */
export function writeRecordFile(file: string, records: unknown[]): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tspod-${process.pid}`)
  const fd = fs.openSync(temp, 'w', 0o600)
  try {
    fs.writeSync(fd, JSON.stringify(records))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(temp, file)
}
