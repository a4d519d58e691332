// The settings a store is made with and keeps: its graph driver and where its named volumes
// live, recorded in <graph root>/store.json when the store is first opened (Podman keeps them in
// its database). A store is never read with another driver: its layers are in that driver's
// form. Unless --storage-driver or --volumepath (or --root) says otherwise, a store is opened
// with what it recorded; when they say something else, opening fails as Podman's does.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import type {StorageConfig} from '../config/storage-conf'
import {DB_FILE} from './db/connection'
import {StoreLayout} from './layout'

export const STORE_RECORD = 'store.json'

export interface StoreRecord {
  driver: string
  volumePath: string
}

function recordFile(graphRoot: string): string {
  return path.join(graphRoot, STORE_RECORD)
}

/** The store's record; a store made before tspod kept one is an overlay store. Undefined for a new store. */
export function readStoreRecord(graphRoot: string): StoreRecord | undefined {
  let text: string
  try {
    text = fs.readFileSync(recordFile(graphRoot), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new TspodError(`reading ${recordFile(graphRoot)}: ${(err as Error).message}`, {cause: err})
    return fs.existsSync(path.join(graphRoot, DB_FILE)) ? {driver: 'overlay', volumePath: path.join(graphRoot, 'volumes')} : undefined
  }
  try {
    const record = JSON.parse(text) as Partial<StoreRecord>
    if (typeof record.driver !== 'string' || typeof record.volumePath !== 'string') throw new Error('"driver" and "volumePath" must be strings')
    return {driver: record.driver, volumePath: record.volumePath}
  } catch (err) {
    throw new TspodError(`${recordFile(graphRoot)} is damaged: ${(err as Error).message}`, {path: recordFile(graphRoot), cause: err})
  }
}

function mismatch(what: string, recorded: string, ours: string): TspodError {
  return new TspodError(`database ${what} ${JSON.stringify(recorded)} does not match our ${what} ${JSON.stringify(ours)}: database configuration mismatch`)
}

/**
 * The config the store at config.graphRoot is opened with: its recorded driver and volume path
 * unless given explicitly; an explicit one that differs from the record is refused.
 */
export function resolveStoreConfig(config: StorageConfig): StorageConfig {
  const record = readStoreRecord(config.graphRoot)
  if (!record) return config
  if (config.driverSet && record.driver !== config.driver) throw mismatch('storage graph driver', record.driver, config.driver)
  if (config.volumePathSet && path.resolve(record.volumePath) !== path.resolve(config.volumePath))
    throw mismatch('volume path', record.volumePath, config.volumePath)
  return {...config, driver: record.driver, volumePath: record.volumePath}
}

/** Record the settings of a store opened for the first time (or one made before records). */
export function writeStoreRecord(config: StorageConfig): void {
  const file = recordFile(config.graphRoot)
  if (fs.existsSync(file)) return
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, `${JSON.stringify({driver: config.driver, volumePath: config.volumePath} satisfies StoreRecord)}\n`, {mode: 0o600})
  fs.renameSync(tmp, file)
}

/** The layout of the store at config.graphRoot, without checking the config against its record (doctor, check). */
export function layoutOf(config: StorageConfig): StoreLayout {
  const record = readStoreRecord(config.graphRoot)
  return new StoreLayout(config.graphRoot, {driver: record?.driver ?? config.driver, volumePath: record?.volumePath ?? config.volumePath})
}
