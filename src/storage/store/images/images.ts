// The image tables: an image (config digest as id), its layers bottom to top, names and digests.
import {TspodError} from '../../../errors'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import type BetterSqlite3 from 'better-sqlite3'

import {sha256Digest} from '../../digest'
import type {Database} from '../db/connection'
import type {StoreLayout} from '../layout'
import {writeFileAtomic, writeRecord} from '../record-files'

export interface Image {
  id: string
  topLayer: string | null
  /** the manifest digest ("sha256:…") */
  digest: string
  manifest: Buffer
  manifestType: string
  config: Buffer
  created: string | null
  added: string
  /** bytes of the unpacked layers */
  size: number
  names: string[]
  /** every name the image has had, newest first (containers/storage's NamesHistory) */
  namesHistory: string[]
  digests: string[]
  layers: string[]
  /** a manifest list's instances data (instance digest → the reference it came from); undefined for an image */
  listInstances?: Record<string, string>
}

interface ImageRow {
  id: string
  top_layer: string | null
  digest: string
  manifest: Buffer
  manifest_type: string
  config: Buffer
  created: string | null
  added: string
  size: number
  names_history: string
  list_instances: string | null
}

export interface NewImage {
  id: string
  digest: string
  manifest: Buffer
  manifestType: string
  config: Buffer
  created: string | null
  size: number
  /** layer ids, bottom to top */
  layers: string[]
  names: string[]
  /** extra manifest digests (a manifest list's) */
  digests: string[]
}

/** The names history after a names change: the names, last first, then the history's others. */
function namesHistoryOf(image: Image): string[] {
  const history = [...image.names].reverse()
  for (const name of image.namesHistory) if (!history.includes(name)) history.push(name)
  return history
}

export class ImageNotKnownError extends TspodError {}

/** images/<id>/image.json; the manifest and config bytes are the files beside it. */
export interface ImageRecord {
  id: string
  digest: string
  manifestType: string
  created: string | null
  added: string
  size: number
  /** layer ids, bottom to top */
  layers: string[]
  names: {name: string; added: string}[]
  /** absent in records written before names were kept in history */
  namesHistory?: string[]
  digests: string[]
  listInstances?: Record<string, string>
}

export class ImageStore {
  constructor(
    private readonly db: Database,
    private readonly layout: StoreLayout,
  ) {}

  /**
   * Bring images/<id>/ in step with the image's rows: called inside the transaction that changed
   * them, before its commit. An image without a row loses its dir.
   */
  writeRecord(id: string): void {
    const image = this.get(id)
    if (!image) {
      fs.rmSync(this.layout.imageDir(id), {recursive: true, force: true})
      return
    }
    fs.mkdirSync(this.layout.imagesDir, {recursive: true, mode: 0o700})
    fs.mkdirSync(this.layout.imageDir(id), {recursive: true, mode: 0o700})
    // an image's manifest and config never change: written once, before the record that names
    // them; a manifest list's manifest is rewritten with each change of the list. The record's
    // write syncs the dir, and with it their names.
    if (image.listInstances || !fs.existsSync(this.layout.imageManifest(id))) writeFileAtomic(this.layout.imageManifest(id), image.manifest, true, false)
    if (!fs.existsSync(this.layout.imageConfig(id))) writeFileAtomic(this.layout.imageConfig(id), image.config, true, false)
    const names = this.db.prepare('SELECT name, added FROM image_names WHERE image_id = ? ORDER BY added, name').all(id) as {name: string; added: string}[]
    const record: ImageRecord = {
      id,
      digest: image.digest,
      manifestType: image.manifestType,
      created: image.created,
      added: image.added,
      size: image.size,
      layers: image.layers,
      names,
      namesHistory: image.namesHistory,
      digests: image.digests,
      ...(image.listInstances ? {listInstances: image.listInstances} : {}),
    }
    writeRecord(this.layout.imageRecord(id), record)
  }

  /** Images that have one of these names now (to rewrite their records when a name moves). */
  private holdersOf(names: string[]): string[] {
    const holder = this.db.prepare('SELECT image_id FROM image_names WHERE name = ?')
    return [...new Set(names.flatMap((n) => (holder.all(n) as {image_id: string}[]).map((r) => r.image_id)))]
  }

  /** hydrate's queries, prepared once: a listing (a build's cache lookup at every step) hydrates every image */
  private hydrateQueries?: {names: BetterSqlite3.Statement; digests: BetterSqlite3.Statement; layers: BetterSqlite3.Statement}

  private hydrate(row: ImageRow): Image {
    const queries = (this.hydrateQueries ??= {
      names: this.db.prepare('SELECT name FROM image_names WHERE image_id = ? ORDER BY added, name'),
      digests: this.db.prepare('SELECT digest FROM image_digests WHERE image_id = ? ORDER BY digest'),
      layers: this.db.prepare('SELECT layer_id FROM image_layers WHERE image_id = ? ORDER BY position'),
    })
    const names = (queries.names.all(row.id) as {name: string}[]).map((r) => r.name)
    const digests = (queries.digests.all(row.id) as {digest: string}[]).map((r) => r.digest)
    const layers = (queries.layers.all(row.id) as {layer_id: string}[]).map((r) => r.layer_id)
    return {
      id: row.id,
      topLayer: row.top_layer,
      digest: row.digest,
      manifest: row.manifest,
      manifestType: row.manifest_type,
      config: row.config,
      created: row.created,
      added: row.added,
      size: row.size,
      names,
      namesHistory: JSON.parse(row.names_history) as string[],
      digests,
      layers,
      ...(row.list_instances !== null ? {listInstances: JSON.parse(row.list_instances) as Record<string, string>} : {}),
    }
  }

  get(id: string): Image | undefined {
    const row = this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined
    return row && this.hydrate(row)
  }

  list(): Image[] {
    return (this.db.prepare('SELECT * FROM images ORDER BY added DESC').all() as ImageRow[]).map((r) => this.hydrate(r))
  }

  byName(name: string): Image | undefined {
    const row = this.db.prepare('SELECT i.* FROM images i JOIN image_names n ON n.image_id = i.id WHERE n.name = ?').get(name) as ImageRow | undefined
    return row && this.hydrate(row)
  }

  /** Images whose id starts with prefix (a short id). */
  byIdPrefix(prefix: string): Image[] {
    const rows = this.db.prepare("SELECT * FROM images WHERE id LIKE ? ESCAPE '\\'").all(prefix.replace(/[\\%_]/g, '\\$&') + '%') as ImageRow[]
    return rows.map((r) => this.hydrate(r))
  }

  /** Images known by a manifest digest (their own or a list's). */
  byDigest(digest: string): Image[] {
    const rows = this.db
      .prepare('SELECT DISTINCT i.* FROM images i LEFT JOIN image_digests d ON d.image_id = i.id WHERE i.digest = ? OR d.digest = ?')
      .all(digest, digest) as ImageRow[]
    return rows.map((r) => this.hydrate(r))
  }

  /**
   * Register an image in one transaction, or add names and digests to it when it exists. A name
   * moves from any image that had it (as `podman pull` and `tag` do).
   */
  put(image: NewImage): Image {
    const now = new Date().toISOString()
    this.db
      .transaction(() => {
        const losing = this.holdersOf(image.names).filter((id) => id !== image.id)
        const existed = this.get(image.id)
        if (!existed) {
          this.db
            .prepare(
              `INSERT INTO images (id, top_layer, digest, manifest, manifest_type, config, created, added, size)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(image.id, image.layers.at(-1) ?? null, image.digest, image.manifest, image.manifestType, image.config, image.created, now, image.size)
          const addLayer = this.db.prepare('INSERT INTO image_layers (image_id, position, layer_id) VALUES (?, ?, ?)')
          image.layers.forEach((layer, i) => addLayer.run(image.id, i, layer))
        }
        const addDigest = this.db.prepare('INSERT OR IGNORE INTO image_digests (image_id, digest) VALUES (?, ?)')
        for (const d of [image.digest, ...image.digests]) addDigest.run(image.id, d)
        const kept = existed ? existed.names.filter((n) => !image.names.includes(n)) : []
        for (const name of image.names) this.setName(image.id, name, now)
        // Names a copy gives an image it already stored come before its others (containers/storage's AddNames).
        const later = Date.parse(now)
        kept.forEach((name, i) => this.setName(image.id, name, new Date(later + 1 + i).toISOString()))
        if (image.names.length > 0) this.recordNamesHistory(image.id)
        for (const id of [...losing, image.id]) this.writeRecord(id)
      })
      .immediate()
    return this.get(image.id)!
  }

  /**
   * After the image's names changed: each of its names, in order, goes to the front of its
   * history (containers/storage's addNameToHistory), so the last name comes first and a name it
   * lost stays behind them. An image that lost a name to another keeps its history as it was.
   */
  private recordNamesHistory(id: string): void {
    const image = this.get(id)
    if (!image) return
    this.db.prepare('UPDATE images SET names_history = ? WHERE id = ?').run(JSON.stringify(namesHistoryOf(image)), id)
  }

  /**
   * A new manifest list (buildah's SaveToImage): a random id, no layers, no config, the list as
   * its manifest. Its names are not put in its history (containers/storage's CreateImage).
   */
  createList(names: string[], list: {manifest: Buffer; mediaType: string; instances: Record<string, string>}): Image {
    const id = crypto.randomBytes(32).toString('hex')
    const now = new Date().toISOString()
    this.db
      .transaction(() => {
        for (const name of names) {
          const holder = this.holdersOf([name])[0]
          if (holder) throw new TspodError(`image name ${JSON.stringify(name)} is already associated with image ${JSON.stringify(holder)}: that name is already in use`)
        }
        const instances = JSON.stringify(list.instances)
        this.db
          .prepare(
            `INSERT INTO images (id, top_layer, digest, manifest, manifest_type, config, created, added, size, list_instances)
             VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, sha256Digest(list.manifest), list.manifest, list.mediaType, Buffer.alloc(0), now, now, list.manifest.length + instances.length, instances)
        for (const name of names) this.setName(id, name, now)
        this.writeRecord(id)
      })
      .immediate()
    return this.get(id)!
  }

  /** A manifest list changed: its manifest, digest, size and instances data replaced. */
  updateList(id: string, list: {manifest: Buffer; mediaType: string; instances: Record<string, string>}): void {
    this.db
      .transaction(() => {
        const instances = JSON.stringify(list.instances)
        const changed = this.db
          .prepare('UPDATE images SET digest = ?, manifest = ?, manifest_type = ?, size = ?, list_instances = ? WHERE id = ? AND list_instances IS NOT NULL')
          .run(sha256Digest(list.manifest), list.manifest, list.mediaType, list.manifest.length + instances.length, instances, id).changes
        if (changed !== 1) throw new ImageNotKnownError(`${id}: image is not a manifest list`)
        this.writeRecord(id)
      })
      .immediate()
  }

  private setName(id: string, name: string, now: string): void {
    this.db
      .prepare('INSERT INTO image_names (name, image_id, added) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, added = excluded.added')
      .run(name, id, now)
  }

  addName(id: string, name: string): void {
    const image = this.get(id)
    if (!image) throw new ImageNotKnownError(`${id}: image not known`)
    // already its newest name, its history as a names change would make it: nothing to write
    // (a rebuild that changed nothing tags without touching the store)
    if (image.names.at(-1) === name && JSON.stringify(namesHistoryOf(image)) === JSON.stringify(image.namesHistory)) return
    this.db
      .transaction(() => {
        const losing = this.holdersOf([name]).filter((other) => other !== id)
        this.setName(id, name, new Date().toISOString())
        this.recordNamesHistory(id)
        for (const image of [...losing, id]) this.writeRecord(image)
      })
      .immediate()
  }

  /** Returns whether the image had the name. */
  removeName(id: string, name: string): boolean {
    const remove = this.db.transaction((): boolean => {
      const removed = this.db.prepare('DELETE FROM image_names WHERE image_id = ? AND name = ?').run(id, name).changes === 1
      if (removed) {
        this.recordNamesHistory(id)
        this.writeRecord(id)
      }
      return removed
    })
    return remove.immediate()
  }

  delete(id: string): void {
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM images WHERE id = ?').run(id)
        this.writeRecord(id)
      })
      .immediate()
  }

  /**
   * Delete the image unless a container uses it, in one transaction (a container may be created
   * on it at any moment); returns the id of a container that uses it, undefined once deleted.
   */
  deleteUnlessUsed(id: string): string | undefined {
    const remove = this.db.transaction((): string | undefined => {
      const user = this.db.prepare('SELECT id FROM containers WHERE image_id = ? ORDER BY created LIMIT 1').get(id) as {id: string} | undefined
      if (user) return user.id
      this.db.prepare('DELETE FROM images WHERE id = ?').run(id)
      this.writeRecord(id)
      return undefined
    })
    return remove.immediate()
  }
}
