// One registry, one opener: opening a store's DB applies every owner's migrations, and a DB that
// any owner has moved past is refused at open, whichever command opens it.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {openDatabase, openStoreDatabase} from '../../../../src/storage/store/db/connection'
import {MIGRATIONS} from '../../../../src/storage/store/db/migrations'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-migrations-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('the registry lists storage first, then the runtime, the volumes and the pods, each owner in version order', (t) => {
  const owners = [...new Set(MIGRATIONS.map((m) => m.owner))]
  t.deepEqual(owners, ['storage', 'runtime', 'volumes', 'pods'])
  for (const owner of owners) {
    const versions = MIGRATIONS.filter((m) => m.owner === owner).map((m) => m.version)
    t.deepEqual(versions, versions.map((_, i) => i + 1))
  }
})

test('opening the DB creates every owner’s tables', (t) => {
  const db = openDatabase(tempDir(t))
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {name: string}[]).map((r) => r.name)
    for (const table of ['layers', 'images', 'containers', 'container_configs', 'container_states', 'volumes', 'volume_users']) t.true(tables.includes(table), table)
    const versions = Object.fromEntries((db.prepare('SELECT owner, version FROM schema_versions').all() as {owner: string; version: number}[]).map((r) => [r.owner, r.version]))
    for (const owner of ['storage', 'runtime', 'volumes']) t.is(versions[owner], Math.max(...MIGRATIONS.filter((m) => m.owner === owner).map((m) => m.version)))
  } finally {
    db.close()
  }
})

test('a DB that one owner has moved past is refused at open', (t) => {
  const file = path.join(tempDir(t), 'tspod.db')
  openStoreDatabase(file).close()
  const db = openStoreDatabase(file)
  db.prepare("UPDATE schema_versions SET version = 99 WHERE owner = 'volumes'").run()
  db.close()
  t.throws(() => openStoreDatabase(file), {message: `the store database ${file} has volumes schema version 99, newer than this tspod understands (1)`})
})
