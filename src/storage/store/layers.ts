// The layer table: content-addressed unpacked layers, written incomplete-first for crash safety.
import {TspodError} from '../../errors'
import type {Database} from './db/connection'
import type {StoreLayout} from './layout'
import {isOwnerAlive, ownerToken} from './owner'
import {writeRecord} from './record-files'

export interface Layer {
  id: string
  parent: string | null
  diffDigest: string
  compressedDigest: string | null
  compressedSize: number | null
  compressedMediaType: string | null
  diffSize: number
  created: string
  incomplete: boolean
  owner: string | null
}

interface LayerRow {
  id: string
  parent: string | null
  diff_digest: string
  compressed_digest: string | null
  compressed_size: number | null
  compressed_media_type: string | null
  diff_size: number
  created: string
  incomplete: number
  owner: string | null
}

function fromRow(r: LayerRow): Layer {
  return {
    id: r.id,
    parent: r.parent,
    diffDigest: r.diff_digest,
    compressedDigest: r.compressed_digest,
    compressedSize: r.compressed_size,
    compressedMediaType: r.compressed_media_type,
    diffSize: r.diff_size,
    created: r.created,
    incomplete: r.incomplete === 1,
    owner: r.owner,
  }
}

export interface NewLayer {
  id: string
  parent: string | null
  diffDigest: string
  compressedDigest?: string
  compressedSize?: number
  compressedMediaType?: string
}

/** overlay/<id>/layer.json: what a rebuilt DB needs of a complete layer. */
export type LayerRecord = Omit<Layer, 'incomplete' | 'owner'>

export function layerRecord(layer: Layer): LayerRecord {
  const {id, parent, diffDigest, compressedDigest, compressedSize, compressedMediaType, diffSize, created} = layer
  return {id, parent, diffDigest, compressedDigest, compressedSize, compressedMediaType, diffSize, created}
}

export class LayerStore {
  constructor(
    private readonly db: Database,
    private readonly layout: StoreLayout,
  ) {}

  get(id: string): Layer | undefined {
    const row = this.db.prepare('SELECT * FROM layers WHERE id = ?').get(id) as LayerRow | undefined
    return row && fromRow(row)
  }

  /** A complete layer with this id exists. */
  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM layers WHERE id = ? AND incomplete = 0').get(id) !== undefined
  }

  list(): Layer[] {
    return (this.db.prepare('SELECT * FROM layers ORDER BY created').all() as LayerRow[]).map(fromRow)
  }

  /**
   * Claim a layer before its dir exists: 'claimed' (we write it), 'exists' (complete already),
   * or 'busy' (another live process is writing it). A dead writer's claim is taken over.
   */
  claim(layer: NewLayer): 'claimed' | 'exists' | 'busy' {
    const claim = this.db.transaction((): 'claimed' | 'exists' | 'busy' => {
      const current = this.get(layer.id)
      if (current && !current.incomplete) return 'exists'
      if (current && current.owner && current.owner !== ownerToken() && isOwnerAlive(current.owner)) return 'busy'
      this.db
        .prepare(
          `INSERT INTO layers (id, parent, diff_digest, compressed_digest, compressed_size, compressed_media_type, created, incomplete, owner)
           VALUES (@id, @parent, @diffDigest, @compressedDigest, @compressedSize, @compressedMediaType, @created, 1, @owner)
           ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, created = excluded.created,
             compressed_digest = excluded.compressed_digest, compressed_size = excluded.compressed_size,
             compressed_media_type = excluded.compressed_media_type`,
        )
        .run({
          id: layer.id,
          parent: layer.parent,
          diffDigest: layer.diffDigest,
          compressedDigest: layer.compressedDigest ?? null,
          compressedSize: layer.compressedSize ?? null,
          compressedMediaType: layer.compressedMediaType ?? null,
          created: new Date().toISOString(),
          owner: ownerToken(),
        })
      return 'claimed'
    })
    return claim.immediate()
  }

  /** Its record file is written first (the layer dir is in place), then the row is completed. */
  complete(id: string, diffSize: number): void {
    const complete = this.db.transaction(() => {
      const r = this.db.prepare('UPDATE layers SET incomplete = 0, owner = NULL, diff_size = ? WHERE id = ? AND owner = ?').run(diffSize, id, ownerToken())
      if (r.changes !== 1) throw new TspodError(`layer ${id} was not claimed by this process`)
      this.writeRecord(id)
    })
    complete.immediate()
  }

  /** Write overlay/<id>/layer.json from the layer's row (a complete layer). */
  writeRecord(id: string): void {
    const layer = this.get(id)
    if (!layer || layer.incomplete) throw new TspodError(`layer ${id} is not complete: it has no record to write`)
    writeRecord(this.layout.layerRecord(id), layerRecord(layer))
  }

  /** Delete rows; the caller removes the dirs. */
  delete(ids: string[]): void {
    const del = this.db.prepare('DELETE FROM layers WHERE id = ?')
    this.db.transaction(() => ids.forEach((id) => del.run(id))).immediate()
  }

  /** Incomplete rows whose writer is gone (a killed pull). */
  abandoned(): Layer[] {
    return this.list().filter((l) => l.incomplete && !(l.owner && isOwnerAlive(l.owner)))
  }

  /**
   * Complete layers that no image uses, that are no other layer's parent and that no live pull
   * has pinned (pins of dead pulls are dropped first). Call with the store's layers lock held
   * exclusively, as the deletion that follows.
   */
  unreferenced(): Layer[] {
    const pins = this.db.prepare('SELECT DISTINCT owner FROM layer_pins').all() as {owner: string}[]
    const dropPins = this.db.prepare('DELETE FROM layer_pins WHERE owner = ?')
    for (const {owner} of pins) if (!isOwnerAlive(owner)) dropPins.run(owner)
    const rows = this.db
      .prepare(
        `SELECT * FROM layers l WHERE incomplete = 0
           AND NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.layer_id = l.id)
           AND NOT EXISTS (SELECT 1 FROM layers c WHERE c.parent = l.id)
           AND NOT EXISTS (SELECT 1 FROM layer_pins p WHERE p.layer_id = l.id)`,
      )
      .all() as LayerRow[]
    return rows.map(fromRow)
  }

  /**
   * Keep a complete layer from deletion for this process (a pull that reuses it), until unpin.
   * False when there is no such complete layer. Call with the layers lock held (shared).
   */
  pin(id: string): boolean {
    const pin = this.db.transaction((): boolean => {
      if (!this.has(id)) return false
      this.db.prepare('INSERT OR IGNORE INTO layer_pins (layer_id, owner) VALUES (?, ?)').run(id, ownerToken())
      return true
    })
    return pin.immediate()
  }

  unpin(ids: string[]): void {
    const del = this.db.prepare('DELETE FROM layer_pins WHERE layer_id = ? AND owner = ?')
    this.db.transaction(() => ids.forEach((id) => del.run(id, ownerToken()))).immediate()
  }

  /** How many images use each layer (the reference count). */
  referenceCount(id: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM image_layers WHERE layer_id = ?').get(id) as {n: number}).n
  }
}
