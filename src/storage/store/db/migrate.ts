import {TspodError} from '../../../errors'
import type {Database} from './connection'
import {MIGRATIONS} from './migrations'
import type {Migration} from './schema'

/** Apply pending migrations, each in its own transaction; a DB newer than this tspod is refused. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  if (upToDate(db, migrations)) return
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)')
  const current = (owner: string): number =>
    (db.prepare('SELECT version FROM schema_versions WHERE owner = ?').get(owner) as {version: number} | undefined)?.version ?? 0
  const owners = [...new Set(migrations.map((m) => m.owner))]
  for (const owner of owners) {
    const known = Math.max(...migrations.filter((m) => m.owner === owner).map((m) => m.version))
    if (current(owner) > known)
      throw new TspodError(
        `the store database ${file} has ${owner} schema version ${current(owner)}, newer than this tspod understands (${known})`,
        {path: file},
      )
  }
  for (const m of migrations) {
    // applied already (every open after the first): no write transaction, no write lock
    if (current(m.owner) >= m.version) continue
    const apply = db.transaction(() => {
      if (current(m.owner) >= m.version) return
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_versions (owner, version) VALUES (?, ?) ON CONFLICT(owner) DO UPDATE SET version = excluded.version').run(m.owner, m.version)
    })
    apply.immediate()
  }
}

/**
 * Every owner at the newest version this tspod knows, read in one query: what every open after
 * the first finds, answered without a statement per migration.
 */
function upToDate(db: Database, migrations: readonly Migration[]): boolean {
  let rows: {owner: string; version: number}[]
  try {
    rows = db.prepare('SELECT owner, version FROM schema_versions').all() as {owner: string; version: number}[]
  } catch {
    return false // no table yet (a new DB): the full path creates it
  }
  const applied = new Map(rows.map((r) => [r.owner, r.version]))
  const known = new Map<string, number>()
  for (const m of migrations) known.set(m.owner, Math.max(known.get(m.owner) ?? 0, m.version))
  // a newer DB (applied > known) takes the full path, which refuses it
  return [...known].every(([owner, version]) => applied.get(owner) === version)
}
