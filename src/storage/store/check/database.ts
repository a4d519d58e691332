// `system check`'s database checks: the DB opens and passes SQLite's integrity check, its schema
// versions are known, and it agrees with the store's dirs and record files (a row for every
// dir, a dir and a record file for every row). Repairs: a missing record file is written from
// its row; a damaged DB, or one that lost rows, is rebuilt from the record files (rebuild.ts);
// a dir with neither row nor record is removed.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {DB_FILE, Database, DamagedDatabaseError, isDamageError} from '../db/connection'
import {MIGRATIONS} from '../db/migrations'
import {withLock} from '../lockfile'
import type {StoreLayout} from '../layout'
import {layoutOf} from '../store-record'
import {recordDirEntries} from '../record-files'
import {rebuildDatabase} from '../rebuild'
import {Store, storeMapping} from '../store'
import {removeAsMappedRoot} from '../remove-tree'
import type {Check, CheckContext} from './check'
import type {Finding} from './finding'

/** How a finding is repaired. */
type Fix = 'rebuild' | 'write-record' | 'remove' | 'none'

interface Problem {
  finding: Finding
  fix: Fix
  /** for write-record: writes the record from the row */
  write?: () => void
  /** for remove: the dir */
  dir?: string
}

function short(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id
}

function hasTable(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
}

function integrityProblems(db: Database, quick: boolean): string[] {
  const rows = db.pragma(quick ? 'quick_check' : 'integrity_check') as Record<string, string>[]
  const lines = rows.map((r) => Object.values(r)[0])
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines
}

function schemaProblems(db: Database, ctx: CheckContext): string[] {
  const rows = db.prepare('SELECT owner, version FROM schema_versions ORDER BY owner').all() as {owner: string; version: number}[]
  return rows.flatMap((row) => {
    const known = MIGRATIONS.filter((m) => m.owner === row.owner).map((m) => m.version)
    if (known.length === 0) return [`schema owner "${row.owner}" (version ${row.version}) is unknown to this tspod`]
    const newest = Math.max(...known)
    return row.version > newest ? [`${row.owner} schema version ${row.version} is newer than this tspod understands (${newest})`] : []
  })
}

/** Rows against dirs and record files, dirs against rows. */
function indexProblems(store: Store): Problem[] {
  const db = store.database
  const layout = store.layout
  const problems: Problem[] = []
  const add = (kind: string, subject: string, message: string, fix: Fix, extra: Partial<Problem> = {}) =>
    problems.push({finding: {kind, subject, message}, fix, ...extra})

  const layers = new Map(store.layers.list().map((l) => [l.id, l]))
  for (const layer of layers.values()) {
    if (layer.incomplete) continue
    if (!fs.existsSync(layout.layerDir(layer.id))) add('database', `layer ${short(layer.id)}`, `has a row but its dir ${layout.layerDir(layer.id)} is missing`, 'rebuild')
    else if (!fs.existsSync(layout.layerRecord(layer.id)))
      add('record', `layer ${short(layer.id)}`, `its record file ${layout.layerRecord(layer.id)} is missing`, 'write-record', {write: () => store.layers.writeRecord(layer.id)})
  }
  for (const id of recordDirEntries(layout.overlayDir)) {
    if (layers.has(id)) continue
    if (fs.existsSync(layout.layerRecord(id))) add('database', `layer ${short(id)}`, `${layout.layerDir(id)} has no row in the database`, 'rebuild')
    else add('orphan', `layer ${short(id)}`, `${layout.layerDir(id)} has neither a row nor a record file`, 'remove', {dir: layout.layerDir(id)})
  }

  const images = new Set(store.images.list().map((image) => image.id))
  for (const id of images)
    if (!fs.existsSync(layout.imageRecord(id)))
      add('record', `image ${short(id)}`, `its record file ${layout.imageRecord(id)} is missing`, 'write-record', {write: () => store.images.writeRecord(id)})
  for (const id of recordDirEntries(layout.imagesDir)) {
    if (images.has(id)) continue
    if (fs.existsSync(layout.imageRecord(id))) add('database', `image ${short(id)}`, `${layout.imageDir(id)} has no row in the database`, 'rebuild')
    else add('orphan', `image ${short(id)}`, `${layout.imageDir(id)} has neither a row nor a record file`, 'remove', {dir: layout.imageDir(id)})
  }

  const containers = new Set(store.containers.list().map((c) => c.id))
  for (const id of containers) {
    if (!fs.existsSync(layout.containerDir(id))) add('database', `container ${short(id)}`, `has a row but its dir ${layout.containerDir(id)} is missing`, 'rebuild')
    else if (!fs.existsSync(layout.containerRecord(id)))
      add('record', `container ${short(id)}`, `its record file ${layout.containerRecord(id)} is missing`, 'write-record', {write: () => store.containers.writeRecord(id)})
  }
  for (const id of recordDirEntries(layout.containersDir)) {
    if (containers.has(id)) continue
    if (fs.existsSync(layout.containerRecord(id))) add('database', `container ${short(id)}`, `${layout.containerDir(id)} has no row in the database`, 'rebuild')
    else add('orphan', `container ${short(id)}`, `${layout.containerDir(id)} has neither a row nor a record file`, 'remove', {dir: layout.containerDir(id)})
  }

  const volumes = new Set(hasTable(db, 'volumes') ? (db.prepare('SELECT name FROM volumes').all() as {name: string}[]).map((r) => r.name) : [])
  for (const name of volumes)
    if (!fs.existsSync(path.join(layout.volumesDir, name))) add('database', `volume ${name}`, `has a row but its dir ${path.join(layout.volumesDir, name)} is missing`, 'rebuild')
  for (const name of recordDirEntries(layout.volumesDir)) {
    if (volumes.has(name)) continue
    if (fs.existsSync(layout.volumeRecord(name))) add('database', `volume ${name}`, `${path.join(layout.volumesDir, name)} has no row in the database`, 'rebuild')
    else add('orphan', `volume ${name}`, `${path.join(layout.volumesDir, name)} has neither a row nor a record file; its data is kept`, 'none')
  }
  return problems
}

/** Close the store, rebuild its DB under the layers lock (exclusive), open it again. */
async function rebuild(ctx: CheckContext, layout: StoreLayout): Promise<Finding[]> {
  ctx.store?.close()
  ctx.store = undefined
  const mapping = storeMapping()
  const result = await withLock(path.join(layout.graphRoot, 'layers.lock'), 'exclusive', () =>
    rebuildDatabase(layout, ctx.rebuildParts, {force: ctx.options.force, removeTrees: (dirs) => removeAsMappedRoot(dirs, mapping)}),
  )
  await ctx.reopen()
  const {images, layers, containers} = result.counts
  const kept = result.keptAs ? `; the old one is kept as ${result.keptAs}` : ''
  return [
    {
      kind: 'database',
      subject: path.join(layout.graphRoot, DB_FILE),
      message: `rebuilt from the store's files: ${images} image(s), ${layers} layer(s), ${containers} container(s) restored${kept}`,
      repaired: true,
    },
    ...result.findings,
  ]
}

export const checkDatabase: Check = async (ctx) => {
  const layout = layoutOf(ctx.config)
  const file = path.join(layout.graphRoot, DB_FILE)
  const problems: Problem[] = []
  let blocked = false
  if (!ctx.store) {
    const err = ctx.openError
    if (!(err instanceof DamagedDatabaseError)) throw err ?? new Error('the store is not open')
    problems.push({finding: {kind: 'database', subject: file, message: `is damaged: ${err.reason}`}, fix: 'rebuild'})
  } else {
    const db = ctx.store.database
    let integrity: string[]
    try {
      integrity = integrityProblems(db, ctx.options.quick)
    } catch (err) {
      if (!isDamageError(err)) throw err
      integrity = [(err as Error).message]
    }
    if (integrity.length > 0) {
      const more = integrity.length > 3 ? ` (and ${integrity.length - 3} more)` : ''
      problems.push({finding: {kind: 'database', subject: file, message: `is damaged: ${integrity.slice(0, 3).join('; ')}${more}`}, fix: 'rebuild'})
    } else {
      const schema = schemaProblems(db, ctx)
      for (const problem of schema) problems.push({finding: {kind: 'database', subject: file, message: `${problem}: use a newer tspod`}, fix: 'none'})
      blocked = schema.length > 0
      if (!blocked) problems.push(...indexProblems(ctx.store))
    }
  }
  if (!ctx.options.repair || problems.length === 0) {
    // what the DB lacks, the other checks would take for leftovers or lost objects
    ctx.databaseNeedsRebuild = problems.some((p) => p.fix === 'rebuild')
    return problems.map((p) => p.finding)
  }

  const findings: Finding[] = []
  for (const p of problems.filter((p) => p.fix === 'write-record')) {
    try {
      p.write!()
      findings.push({...p.finding, repaired: true})
    } catch (err) {
      findings.push({...p.finding, repaired: false, error: (err as Error).message})
    }
  }
  const rebuilding = !blocked && problems.some((p) => p.fix === 'rebuild')
  if (rebuilding) {
    // the rebuild also removes the dirs that have neither row nor record
    findings.push(...problems.filter((p) => p.fix === 'rebuild' || p.fix === 'remove').map((p) => ({...p.finding, repaired: true})))
    findings.push(...(await rebuild(ctx, layout)))
  } else {
    const orphans = problems.filter((p) => p.fix === 'remove')
    if (orphans.length > 0 && ctx.store) {
      const store = ctx.store
      await store.withLayersLock('exclusive', () => store.removeTrees(orphans.map((p) => p.dir!).filter((d) => fs.existsSync(d))))
      findings.push(...orphans.map((p) => ({...p.finding, repaired: true})))
    }
  }
  findings.push(...problems.filter((p) => p.fix === 'none' || (p.fix === 'rebuild' && !rebuilding)).map((p) => ({...p.finding, repaired: false})))
  return findings
}
