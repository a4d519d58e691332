// The metadata DB in the graph root (better-sqlite3): WAL, a busy timeout, foreign keys on.
import type BetterSqlite3 from 'better-sqlite3'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, wrap} from '../../../errors'
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

/** The DB file cannot be read as a database (cut short, overwritten): `system check --repair` rebuilds it. */
export class DamagedDatabaseError extends TspodError {
  constructor(
    readonly file: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`the store database ${file} is damaged (${reason}): run \`tspod system check --repair\` to rebuild it from the store's files`, {path: file, cause})
  }
}

/** A damage error from any query (a damaged page read long after the DB opened), told as such. */
export function damagedDatabaseError(err: unknown, file: string | undefined): DamagedDatabaseError | undefined {
  if (err instanceof DamagedDatabaseError) return err
  return isDamageError(err) ? new DamagedDatabaseError(file ?? DB_FILE, (err as Error).message, err) : undefined
}

/** SQLite's words for a file that is not a (whole) database. */
export function isDamageError(err: unknown): boolean {
  const code = (err as {code?: unknown})?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
}

/** better-sqlite3's constructor, with its addon named directly. */
export function sqliteDatabase(file: string, options: BetterSqlite3.Options = {}): Database {
  const Ctor = require('better-sqlite3') as typeof BetterSqlite3
  return new Ctor(file, {timeout: 10_000, nativeBinding: nativeBinding(), ...options})
}

/** The store's DB in the graph root, every owner's migrations applied. */
export function openDatabase(graphRoot: string): Database {
  return openStoreDatabase(path.join(graphRoot, DB_FILE))
}

/**
 * The one opener of a store DB: foreign keys on, then every migration of the registry
 * (migrations.ts) applied. wal: false for a DB built aside and renamed into place (one file,
 * the rollback journal: a DB rebuild).
 */
export function openStoreDatabase(file: string, options: {wal?: boolean} = {}): Database {
  let db: Database | undefined
  try {
    db = sqliteDatabase(file)
    if (options.wal ?? true) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
    }
    db.pragma('foreign_keys = ON')
    migrate(db, file)
    return db
  } catch (err) {
    try {
      db?.close()
    } catch {
      // the error that matters is the one below
    }
    if (isDamageError(err)) throw new DamagedDatabaseError(file, (err as Error).message, err)
    if (err instanceof TspodError) throw err
    throw wrap(err, `opening the store database ${file}`)
  }
}
