// The metadata DB in the graph root (better-sqlite3): WAL, a busy timeout, foreign keys on.
import type BetterSqlite3 from 'better-sqlite3'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {wrap} from '../../errors'
import {migrate} from './migrate'

export type Database = BetterSqlite3.Database

export const DB_FILE = 'tspod.db'

/**
 * better-sqlite3's compiled addon, named directly: without it, better-sqlite3 finds it through the
 * `bindings` package, which probes a dozen paths on every start.
 */
function nativeBinding(): string | undefined {
  const file = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
  return fs.existsSync(file) ? file : undefined
}

export function openDatabase(graphRoot: string): Database {
  const file = path.join(graphRoot, DB_FILE)
  let db: Database
  try {
    const Ctor = require('better-sqlite3') as typeof BetterSqlite3
    db = new Ctor(file, {timeout: 10_000, nativeBinding: nativeBinding()})
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
  } catch (err) {
    throw wrap(err, `opening the store database ${file}`)
  }
  migrate(db, file)
  return db
}
