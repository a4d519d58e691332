// A fresh tspod.db from the store's record files (record-files.ts): layers, images and
// containers by storage, the runtime's tables by the parts it supplies. The new DB is built beside
// the old one and renamed into place; the old one is kept as tspod.db.damaged-<time>. What
// cannot be restored is reported with the reason, and removed when nothing can use it.
// Call it with no DB connection open in this process and the layers lock held exclusively.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {DB_FILE, Database, openStoreDatabase} from './db/connection'
import {sha256Digest} from '../digest'
import type {Finding} from './check/finding'
import type {ImageRecord} from './images/images'
import type {LayerRecord} from './layers'
import type {StoreLayout} from './layout'
import {readRecord, recordDirEntries} from './record-files'
import type {StorageContainer} from './containers'

/** What the storage part brought back, for the runtime's parts. */
export interface Restored {
  layers: Set<string>
  images: Set<string>
  containers: Set<string>
}

/** The runtime's share of a rebuild: its tables (created by the DB's migrations), filled from its record files. */
export interface RebuildPart {
  /** Insert the part's rows; `remove` a dir that cannot be restored (and drop it from `restored`). */
  restore(db: Database, layout: StoreLayout, restored: Restored, remove: (dir: string) => void): Finding[]
}

export interface RebuildOptions {
  /** remove containers whose image cannot be restored (`system check --force`) */
  force: boolean
  /** delete trees that may hold subordinate ids' files (Store.removeTrees) */
  removeTrees: (dirs: string[]) => Promise<void>
}

export interface RebuildResult {
  findings: Finding[]
  /** where the replaced DB was kept, when there was one */
  keptAs?: string
  counts: {layers: number; images: number; containers: number}
}

function short(id: string): string {
  return id.slice(0, 12)
}

/** Read a record, turning a file that does not parse into a reason. */
function tryRecord<T>(file: string): {record?: T; problem?: string} {
  try {
    const record = readRecord<T>(file)
    return record ? {record} : {problem: `it has no record file ${path.basename(file)}`}
  } catch (err) {
    return {problem: (err as Error).message}
  }
}

function restoreLayers(db: Database, layout: StoreLayout, findings: Finding[], remove: string[]): Set<string> {
  const restored = new Set<string>()
  const insert = db.prepare(
    `INSERT INTO layers (id, parent, diff_digest, compressed_digest, compressed_size, compressed_media_type, diff_size, created, incomplete, owner)
     VALUES (@id, @parent, @diffDigest, @compressedDigest, @compressedSize, @compressedMediaType, @diffSize, @created, 0, NULL)`,
  )
  for (const id of recordDirEntries(layout.overlayDir)) {
    const subject = `layer ${short(id)}`
    const {record, problem} = tryRecord<LayerRecord>(layout.layerRecord(id))
    const reason = problem ?? (record!.id !== id ? `its record names layer ${record!.id}` : !fs.existsSync(layout.diffDir(id)) ? 'its diff dir is missing' : undefined)
    if (reason) {
      findings.push({kind: 'rebuild', subject, message: `${layout.layerDir(id)} cannot be restored: ${reason}; removed`, repaired: true})
      remove.push(layout.layerDir(id))
      continue
    }
    insert.run(record)
    restored.add(id)
  }
  return restored
}

/** Images first read, to learn which ones the containers' records need. */
function readContainers(layout: StoreLayout): {id: string; record?: StorageContainer; problem?: string}[] {
  return recordDirEntries(layout.containersDir).map((id) => ({id, ...tryRecord<StorageContainer>(layout.containerRecord(id))}))
}

function restoreImages(
  db: Database,
  layout: StoreLayout,
  layers: Set<string>,
  usedBy: Map<string, string>,
  options: RebuildOptions,
  findings: Finding[],
  remove: string[],
): Set<string> {
  const restored = new Set<string>()
  for (const id of recordDirEntries(layout.imagesDir)) {
    const subject = `image ${short(id)}`
    const {record, problem: unreadable} = tryRecord<ImageRecord>(layout.imageRecord(id))
    let problem = unreadable
    let manifest: Buffer | undefined
    let config: Buffer | undefined
    if (!problem) {
      try {
        manifest = fs.readFileSync(layout.imageManifest(id))
        config = fs.readFileSync(layout.imageConfig(id))
      } catch (err) {
        problem = `its manifest or config cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`
      }
    }
    // a manifest list has a random id and no config (buildah's manifests package)
    if (!problem && !record!.listInstances && sha256Digest(config!) !== `sha256:${id}`) problem = 'its config does not match its id'
    if (!problem && sha256Digest(manifest!) !== record!.digest) problem = 'its manifest does not match its digest'
    const missing = problem ? undefined : record!.layers.find((l) => !layers.has(l))
    if (missing) problem = `its layer ${short(missing)} is missing`
    if (problem) {
      const container = usedBy.get(id)
      if (container && !options.force) {
        findings.push({
          kind: 'rebuild',
          subject,
          message: `not restored: ${problem}; kept for container ${short(container)} (\`--force\` removes both)`,
          repaired: false,
          error: problem,
        })
      } else {
        findings.push({kind: 'rebuild', subject, message: `not restored: ${problem}; removed (pull it again)`, repaired: true})
        remove.push(layout.imageDir(id))
      }
      continue
    }
    const r = record!
    db.prepare(
      `INSERT INTO images (id, top_layer, digest, manifest, manifest_type, config, created, added, size, names_history, list_instances)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      r.layers.at(-1) ?? null,
      r.digest,
      manifest,
      r.manifestType,
      config,
      r.created,
      r.added,
      r.size,
      JSON.stringify(r.namesHistory ?? r.names.map((n) => n.name).reverse()),
      r.listInstances ? JSON.stringify(r.listInstances) : null,
    )
    const addLayer = db.prepare('INSERT INTO image_layers (image_id, position, layer_id) VALUES (?, ?, ?)')
    r.layers.forEach((layer, i) => addLayer.run(id, i, layer))
    const addDigest = db.prepare('INSERT OR IGNORE INTO image_digests (image_id, digest) VALUES (?, ?)')
    for (const d of [r.digest, ...r.digests]) addDigest.run(id, d)
    // a name held by two records (a crash between two record writes): the later one wins
    const addName = db.prepare(
      'INSERT INTO image_names (name, image_id, added) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, added = excluded.added WHERE excluded.added > image_names.added',
    )
    for (const n of r.names) addName.run(n.name, id, n.added)
    restored.add(id)
  }
  return restored
}

function restoreContainers(
  db: Database,
  layout: StoreLayout,
  containers: ReturnType<typeof readContainers>,
  images: Set<string>,
  options: RebuildOptions,
  findings: Finding[],
  remove: string[],
): Set<string> {
  const restored = new Set<string>()
  const insert = db.prepare('INSERT INTO containers (id, name, image_id, created) VALUES (?, ?, ?, ?)')
  const named = db.prepare('SELECT id FROM containers WHERE name = ?')
  for (const {id, record, problem} of containers) {
    const subject = `container ${short(id)}`
    let reason = problem ?? (record!.id !== id ? `its record names container ${record!.id}` : undefined)
    if (!reason && !images.has(record!.imageId)) reason = `its image ${short(record!.imageId)} was not restored`
    if (!reason && named.get(record!.name)) reason = `its name ${record!.name} is taken by another container`
    if (reason) {
      if (options.force || !record) {
        findings.push({kind: 'rebuild', subject, message: `not restored: ${reason}; removed ${layout.containerDir(id)}`, repaired: true})
        remove.push(layout.containerDir(id))
      } else {
        findings.push({kind: 'rebuild', subject, message: `not restored: ${reason}; its files are kept (\`--force\` removes them)`, repaired: false, error: reason})
      }
      continue
    }
    insert.run(id, record!.name, record!.imageId, record!.created)
    restored.add(id)
  }
  return restored
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-')
}

/** Move tspod.db (and its -wal and -shm) aside as tspod.db.damaged-<time>; returns its new name. */
function keepOldDatabase(dbFile: string): string | undefined {
  if (!fs.existsSync(dbFile)) {
    for (const suffix of ['-wal', '-shm']) fs.rmSync(dbFile + suffix, {force: true})
    return undefined
  }
  const kept = `${dbFile}.damaged-${timestamp()}`
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(dbFile + suffix)) fs.renameSync(dbFile + suffix, kept + suffix)
  fs.renameSync(dbFile, kept)
  return kept
}

export async function rebuildDatabase(layout: StoreLayout, parts: RebuildPart[], options: RebuildOptions): Promise<RebuildResult> {
  const dbFile = path.join(layout.graphRoot, DB_FILE)
  const building = `${dbFile}.rebuild-${process.pid}`
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(building + suffix, {force: true})
  const findings: Finding[] = []
  const remove: string[] = []
  let counts: RebuildResult['counts']
  // the rollback journal, not WAL: one file to rename into place
  let db: Database
  try {
    db = openStoreDatabase(building, {wal: false})
  } catch (err) {
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(building + suffix, {force: true})
    throw err
  }
  try {
    const fill = db.transaction(() => {
      const layers = restoreLayers(db, layout, findings, remove)
      const containers = readContainers(layout)
      const usedBy = new Map(containers.flatMap((c) => (c.record ? [[c.record.imageId, c.id] as const] : [])))
      const images = restoreImages(db, layout, layers, usedBy, options, findings, remove)
      const restoredContainers = restoreContainers(db, layout, containers, images, options, findings, remove)
      const restored: Restored = {layers, images, containers: restoredContainers}
      for (const part of parts) findings.push(...part.restore(db, layout, restored, (dir) => remove.push(dir)))
      return {layers: layers.size, images: images.size, containers: restored.containers.size}
    })
    counts = fill.immediate()
  } catch (err) {
    db.close()
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(building + suffix, {force: true})
    throw err
  }
  db.close()
  const fd = fs.openSync(building, 'r')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  const keptAs = keepOldDatabase(dbFile)
  fs.renameSync(building, dbFile)
  if (remove.length > 0) await options.removeTrees(remove.filter((d) => fs.existsSync(d)))
  return {findings, keptAs, counts}
}
