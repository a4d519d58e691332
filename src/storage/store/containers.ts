// The storage side of containers: which image a container was made from, under which unique
// name. Everything else about a container (its config and state) belongs to the runtime.
import {TspodError} from '../../errors'
import * as fs from 'node:fs'

import type {Database} from './db/connection'
import type {StoreLayout} from './layout'
import {removeRecord, writeRecord} from './record-files'

export interface StorageContainer {
  id: string
  name: string
  imageId: string
  created: string
}

interface ContainerRow {
  id: string
  name: string
  image_id: string
  created: string
}

const fromRow = (r: ContainerRow): StorageContainer => ({id: r.id, name: r.name, imageId: r.image_id, created: r.created})

export class NameInUseError extends TspodError {}

export class ContainerStore {
  constructor(
    private readonly db: Database,
    private readonly layout: StoreLayout,
  ) {}

  /**
   * containers/<id>/container.json from the row (inside the transaction that changed it); the
   * container's dir is made if it is not there yet.
   */
  writeRecord(id: string, durable = true): void {
    const container = this.get(id)
    if (!container) {
      removeRecord(this.layout.containerRecord(id))
      return
    }
    fs.mkdirSync(this.layout.containerDir(id), {recursive: true, mode: 0o700})
    writeRecord(this.layout.containerRecord(id), container, durable)
  }

  /** Podman's words when the name is taken. `durable` false: its record is not fsynced (records.ts, add). */
  create(container: StorageContainer, durable = true): void {
    const taken = this.db.prepare('SELECT id FROM containers WHERE name = ?').get(container.name) as {id: string} | undefined
    if (taken)
      throw new NameInUseError(
        `creating container storage: the container name "${container.name}" is already in use by ${taken.id}. You have to remove that container to be able to reuse that name: that name is already in use`,
      )
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO containers (id, name, image_id, created) VALUES (?, ?, ?, ?)')
        .run(container.id, container.name, container.imageId, container.created)
      this.writeRecord(container.id, durable)
    })()
  }

  rename(id: string, name: string): void {
    const taken = this.db.prepare('SELECT id FROM containers WHERE name = ?').get(name) as {id: string} | undefined
    if (taken) throw new NameInUseError(`error renaming container ${id}: the container name "${name}" is already in use by ${taken.id}. You have to remove that container to be able to reuse that name: that name is already in use`)
    this.db.transaction(() => {
      this.db.prepare('UPDATE containers SET name = ? WHERE id = ?').run(name, id)
      this.writeRecord(id)
    })()
  }

  get(id: string): StorageContainer | undefined {
    const row = this.db.prepare('SELECT * FROM containers WHERE id = ?').get(id) as ContainerRow | undefined
    return row && fromRow(row)
  }

  list(): StorageContainer[] {
    return (this.db.prepare('SELECT * FROM containers ORDER BY created').all() as ContainerRow[]).map(fromRow)
  }

  delete(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM containers WHERE id = ?').run(id)
      this.writeRecord(id)
    })()
  }
}
