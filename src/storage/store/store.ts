// The Store facade: one graph root, its DB and its dirs. Opening it cleans what killed writers
// left behind (downloads in tmp/, half-unpacked layers in staging/, incomplete layer rows), so
// a pull killed at any moment costs nothing after the next start.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {UserNamespaceMapping, planUserNamespaceMapping} from '../../userns/idmap'
import {currentUser, isRootless} from '../../userns/user'
import {removeAsMappedRoot} from './remove-tree'
import {StorageConfig} from '../config/storage-conf'
import {Database, openDatabase} from './db/connection'
import {ensurePrivateDir} from './dirs'
import {HeldLock, LockMode, tryLock, withLock} from './lockfile'
import {ContainerStore} from './containers'
import {ImageStore} from './images/images'
import {LayerStore} from './layers'
import {StoreLayout} from './layout'
import {isOwnerAlive, ownerToken} from './owner'
import {backfillRecordsOnce} from './record-files'
import {resolveStoreConfig, writeStoreRecord} from './store-record'

/** Rootless stores are written inside the user's namespace; real root writes directly. */
export function storeMapping(): UserNamespaceMapping | undefined {
  const user = currentUser()
  return isRootless(user) ? planUserNamespaceMapping(user) : undefined
}

export class Store {
  readonly layout: StoreLayout
  readonly layers: LayerStore
  readonly images: ImageStore
  readonly containers: ContainerStore

  private constructor(
    readonly config: StorageConfig,
    private readonly db: Database,
    /** the rootless user namespace the store's files are written in; undefined for real root */
    readonly mapping: UserNamespaceMapping | undefined,
  ) {
    this.layout = new StoreLayout(config.graphRoot, {driver: config.driver, volumePath: config.volumePath})
    this.layers = new LayerStore(db, this.layout)
    this.images = new ImageStore(db, this.layout)
    this.containers = new ContainerStore(db, this.layout)
  }

  /** The metadata DB, for the runtime's own tables (containers' config and state, volumes). */
  get database(): Database {
    return this.db
  }

  /**
   * `keepAbandoned`: leave what dead writers left (for `system check`, which reports it first).
   * The store keeps the driver and volume path it was made with (store-record.ts): `config` as
   * given names them only for a new store, and store.config says what is used.
   */
  static async open(
    given: StorageConfig,
    mapping: UserNamespaceMapping | undefined = storeMapping(),
    options: {keepAbandoned?: boolean} = {},
  ): Promise<Store> {
    const config = resolveStoreConfig(given)
    const layout = new StoreLayout(config.graphRoot, {driver: config.driver, volumePath: config.volumePath})
    ensurePrivateDir(config.graphRoot)
    writeStoreRecord(config)
    for (const dir of [layout.overlayDir, layout.tmpDir, layout.stagingDir, layout.containersDir]) fs.mkdirSync(dir, {recursive: true, mode: 0o700})
    const store = new Store(config, openDatabase(config.graphRoot), mapping)
    try {
      backfillRecordsOnce(config.graphRoot, 'storage', () => store.writeMissingRecords())
      if (!options.keepAbandoned) await store.cleanAbandoned()
    } catch (err) {
      store.close()
      throw err
    }
    return store
  }

  /**
   * Record files for rows that have none (a store written before tspod kept them), in one
   * transaction so that no concurrent change is recorded stale. Rows whose dirs are gone are left
   * to `system check`.
   */
  writeMissingRecords(): void {
    const write = this.db.transaction(() => {
      for (const layer of this.layers.list())
        if (!layer.incomplete && fs.existsSync(this.layout.diffDir(layer.id)) && !fs.existsSync(this.layout.layerRecord(layer.id))) this.layers.writeRecord(layer.id)
      for (const image of this.images.list()) if (!fs.existsSync(this.layout.imageRecord(image.id))) this.images.writeRecord(image.id)
      for (const c of this.containers.list())
        if (fs.existsSync(this.layout.containerDir(c.id)) && !fs.existsSync(this.layout.containerRecord(c.id))) this.containers.writeRecord(c.id)
    })
    write.immediate()
  }

  /** <graphRoot>/layers.lock: see docs/design/locking.md. */
  get layersLockFile(): string {
    return path.join(this.layout.graphRoot, 'layers.lock')
  }

  /**
   * Run `action` holding the store's layers lock: exclusive to delete layers (and their mapped
   * copies), shared to decide to reuse a layer or to register layers and images. Downloads and
   * unpacks happen outside it.
   */
  withLayersLock<T>(mode: LockMode, action: () => Promise<T> | T): Promise<T> {
    return withLock(this.layersLockFile, mode, action)
  }

  /** Delete trees that may hold files owned by subordinate ids (as the namespace's root). */
  removeTrees(dirs: string[]): Promise<void> {
    return removeAsMappedRoot(dirs, this.mapping)
  }

  close(): void {
    this.db.close()
  }

  /** A fresh private dir for this process under tmp/ or staging/, named after its owner. */
  newWorkDir(kind: 'tmp' | 'staging'): string {
    const parent = kind === 'tmp' ? this.layout.tmpDir : this.layout.stagingDir
    const dir = path.join(parent, `${ownerToken()}-${crypto.randomBytes(6).toString('hex')}`)
    fs.mkdirSync(dir, {mode: 0o700})
    return dir
  }

  private abandonedWorkDirs(parent: string): string[] {
    return fs
      .readdirSync(parent)
      .filter((name) => !isOwnerAlive(name))
      .map((name) => path.join(parent, name))
  }

  /** Images that containers were made from, with those containers' ids. */
  imagesInUse(): Map<string, string[]> {
    const inUse = new Map<string, string[]>()
    for (const c of this.containers.list()) inUse.set(c.imageId, [...(inUse.get(c.imageId) ?? []), c.id])
    return inUse
  }

  /**
   * Work dirs of dead processes go at once (no one else can own them); incomplete layers of dead
   * pulls only under the layers lock, taken exclusively if it is free right now: a live pull may
   * be taking such a claim over, and a busy store is cleaned by a later command.
   */
  async cleanAbandoned(): Promise<void> {
    for (const dir of this.abandonedWorkDirs(this.layout.tmpDir)) fs.rmSync(dir, {recursive: true, force: true})
    const staging = this.abandonedWorkDirs(this.layout.stagingDir).filter((d) => fs.existsSync(d))
    if (staging.length > 0) await this.removeTrees(staging)
    if (this.layers.abandoned().length === 0) return
    const held: HeldLock | undefined = tryLock(this.layersLockFile, 'exclusive')
    if (!held) return
    try {
      const layers = this.layers.abandoned()
      const trees = layers.map((l) => this.layout.layerDir(l.id)).filter((d) => fs.existsSync(d))
      if (trees.length > 0) await this.removeTrees(trees)
      if (layers.length > 0) this.layers.delete(layers.map((l) => l.id))
    } finally {
      held.release()
    }
  }

  /**
   * Remove layers that no image uses any more (after rmi), children before parents. The caller
   * holds the layers lock exclusively (withLayersLock), from this decision to the deletion.
   */
  async removeUnreferencedLayers(): Promise<string[]> {
    const removed: string[] = []
    for (let batch = this.layers.unreferenced(); batch.length > 0; batch = this.layers.unreferenced()) {
      const ids = batch.map((l) => l.id)
      await this.removeTrees(ids.map((id) => this.layout.layerDir(id)).filter((d) => fs.existsSync(d)))
      this.layers.delete(ids)
      removed.push(...ids)
    }
    return removed
  }
}
