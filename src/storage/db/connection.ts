// The metadata DB in the graph root (better-sqlite3): WAL, a busy timeout, foreign keys on.
import type BetterSqlite3 from 'better-sqlite3'
import * as path from 'node:path'

import {wrap} from '../../errors'
import {migrate} from './migrate'

export type Database = BetterSqlite3.Database

export const DB_FILE = 'tspod.db'

export function openDatabase(graphRoot: string): Database {
  const file = path.join(graphRoot, DB_FILE)
  let db: Database
  try {
    const Ctor = require('better-sqlite3') as typeof BetterSqlite3
    db = new Ctor(file, {timeout: 10_000})
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
  } catch (err) {
    throw wrap(err, `opening the store database ${file}`)
  }
  migrate(db, file)
  return db
}
