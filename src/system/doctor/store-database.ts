// The store's metadata DB, read only (doctor never migrates or cleans it): SQLite's own
// integrity check, a schema version this tspod knows, and references that point somewhere.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {DB_FILE, Database, sqliteDatabase} from '../../storage/store/db/connection'
import {MIGRATIONS} from '../../storage/store/db/migrations'
import {CheckGroup, CheckResult, fail, ok, warn} from './check-result'
import {DoctorContext} from './context'

const CHECK = 'store database'

export function databaseFile(ctx: DoctorContext): string {
  return path.join(ctx.config.graphRoot, DB_FILE)
}

/**
 * The DB for reading only, or undefined when there is none yet; throws when it cannot be opened.
 * `query_only` refuses every write. The connection itself is not SQLITE_OPEN_READONLY: such a
 * connection to a WAL database creates the -wal and -shm files and, unable to checkpoint, leaves
 * them behind; this one removes them on close when it is the last, as every tspod command does.
 */
export function openReadOnly(file: string): Database | undefined {
  if (!fs.existsSync(file)) return undefined
  const db = sqliteDatabase(file, {fileMustExist: true, timeout: 5000})
  db.pragma('query_only = ON')
  return db
}

function short(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id
}

function schemaProblems(db: Database, file: string): {problems: string[]; versions: string} {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'").get()
  if (!hasTable) return {problems: [`${file} has no schema_versions table: it is not a tspod store database`], versions: ''}
  const rows = db.prepare('SELECT owner, version FROM schema_versions ORDER BY owner').all() as {owner: string; version: number}[]
  const problems: string[] = []
  for (const row of rows) {
    const known = MIGRATIONS.filter((m) => m.owner === row.owner).map((m) => m.version)
    if (known.length === 0) problems.push(`schema owner "${row.owner}" (version ${row.version}) is unknown to this tspod`)
    else if (row.version > Math.max(...known))
      problems.push(`${row.owner} schema version ${row.version} is newer than this tspod understands (${Math.max(...known)})`)
  }
  return {problems, versions: rows.map((r) => `${r.owner} v${r.version}`).join(', ')}
}

/** Rows whose foreign keys point at nothing (written outside tspod, or by a crash mid-way). */
function brokenReferences(db: Database): string[] {
  const rows = db.prepare('PRAGMA foreign_key_check').all() as {table: string; rowid: number; parent: string; fkid: number}[]
  return rows.map((r) => {
    if (r.table === 'image_layers') {
      const row = db.prepare('SELECT image_id, layer_id FROM image_layers WHERE rowid = ?').get(r.rowid) as {image_id: string; layer_id: string} | undefined
      if (row && r.parent === 'layers') return `image ${short(row.image_id)} lists layer ${short(row.layer_id)}, which has no row in layers`
      if (row && r.parent === 'images') return `image_layers names image ${short(row.image_id)}, which has no row in images`
    }
    if (r.table === 'images') {
      const row = db.prepare('SELECT id, top_layer FROM images WHERE rowid = ?').get(r.rowid) as {id: string; top_layer: string} | undefined
      if (row) return `image ${short(row.id)} has top layer ${short(row.top_layer)}, which has no row in layers`
    }
    return `${r.table} row ${r.rowid} refers to a missing ${r.parent} row`
  })
}

function checkDatabase(ctx: DoctorContext): CheckResult {
  const file = databaseFile(ctx)
  const graphRoot = ctx.config.graphRoot
  const repair = "run `tspod system check --repair`: it rebuilds the database from the store's files (the damaged one is kept beside it)"
  let db: Database | undefined
  try {
    db = openReadOnly(file)
  } catch (err) {
    return fail(CHECK, `${file} is damaged: cannot open it: ${(err as Error).message}`, repair)
  }
  if (!db) {
    const reachable = ctx.storeWalks()[0].ok
    return reachable ? ok(CHECK, `${file} does not exist yet: tspod creates it on first use`) : warn(CHECK, `not checked: ${graphRoot} cannot be reached (see the graph root path line)`, '')
  }
  try {
    const integrity = (db.prepare('PRAGMA integrity_check').all() as {integrity_check: string}[]).map((r) => r.integrity_check)
    if (integrity.length !== 1 || integrity[0] !== 'ok')
      return fail(CHECK, `${file} is damaged: PRAGMA integrity_check reports: ${integrity.slice(0, 3).join('; ')}${integrity.length > 3 ? ` (and ${integrity.length - 3} more)` : ''}`, repair)
    const schema = schemaProblems(db, file)
    if (schema.problems.length > 0) return fail(CHECK, schema.problems.join('; '), 'use the tspod that wrote this store, or ' + repair)
    const broken = brokenReferences(db)
    if (broken.length > 0)
      return fail(CHECK, `${file}: ${broken.length} broken reference${broken.length > 1 ? 's' : ''}: ${broken.slice(0, 3).join('; ')}`, 'remove the images named and pull them again (`tspod rmi IMAGE`)')
    return ok(CHECK, `${file}: integrity ok, schema ${schema.versions} (known), every reference resolves`)
  } catch (err) {
    return fail(CHECK, `${file} is damaged: reading it fails: ${(err as Error).message}`, repair)
  } finally {
    db.close()
  }
}

export const databaseChecks: CheckGroup = {
  name: 'database',
  summary: 'the store DB: integrity_check (read-only), schema version, references',
  async run(ctx) {
    return [checkDatabase(ctx)]
  },
}
