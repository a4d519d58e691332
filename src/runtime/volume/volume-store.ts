// Named volumes (libpod's local volume driver): a row in the store's DB and a plain directory,
// <graphRoot>/volumes/<name>/_data, bind-mounted into the containers that use it.
//
// Directory changes happen inside the DB write transaction that decides them, so two tspod
// processes never see a row without its directory settled: `create` moves a leftover dir of
// the same name aside and makes a fresh one; `remove` moves the volume's dir into a staging
// work dir of this process and deletes it after the commit. A process killed after the commit
// leaves a staging dir that the next Store.open removes (as root of the user namespace, since
// containers write files by subordinate ids).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError, UsageError, wrap} from '../../errors'
import type {Database} from '../../storage/store/db/connection'
import {backfillRecordsOnce, writeRecord} from '../../storage/store/record-files'
import type {Store} from '../../storage/store/store'
import {parseCreateOptions} from './create-options'
import {NoSuchVolumeError, VolumeExistsError, VolumeInUseError, noSuchVolume} from './errors'
import {runAsMappedRoot} from './mapped-root'
import {randomVolumeName, validateVolumeName} from './names'

export const LOCAL_DRIVER = 'local'

export interface Volume {
  name: string
  /** always "local" */
  driver: string
  /** ISO 8601 */
  created: string
  labels: Record<string, string>
  /** driver options as `volume inspect` shows them */
  options: Record<string, string>
  /** made for one container (`-v /dst`, or `volume create` without a name), removed with it by `rm -v` */
  anonymous: boolean
  /** the container an anonymous volume was made for */
  createdFor?: string
  /** owner of _data, in the container's ids: given at create, or taken at the first mount */
  uid?: number
  gid?: number
  /** the first mount copies the image's contents at the destination in */
  needsCopyUp: boolean
  /** the first mount gives _data the owner and mode of the destination */
  needsChown: boolean
}

export interface NewVolume {
  /** a random 64-hex name when absent */
  name?: string
  /** only "local" */
  driver?: string
  labels?: Record<string, string>
  /** `--opt` pairs, checked by parseCreateOptions */
  options?: Record<string, string>
  /** `--uid`/`--gid`: _data is owned by these ids of the container (and never chowned at mount) */
  uid?: number
  gid?: number
  anonymous?: boolean
  createdFor?: string
  /** return the existing volume instead of failing (`--ignore`) */
  ignoreIfExists?: boolean
}

interface VolumeRow {
  name: string
  driver: string
  created: string
  labels: string
  options: string
  anonymous: number
  created_for: string | null
  uid: number | null
  gid: number | null
  needs_copy_up: number
  needs_chown: number
}

const fromRow = (r: VolumeRow): Volume => ({
  name: r.name,
  driver: r.driver,
  created: r.created,
  labels: JSON.parse(r.labels) as Record<string, string>,
  options: JSON.parse(r.options) as Record<string, string>,
  anonymous: r.anonymous === 1,
  createdFor: r.created_for ?? undefined,
  uid: r.uid ?? undefined,
  gid: r.gid ?? undefined,
  needsCopyUp: r.needs_copy_up === 1,
  needsChown: r.needs_chown === 1,
})

function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException)?.code === code
}

export interface RemoveOptions {
  /**
   * For a volume in use: remove the containers using it first, as `podman volume rm -f` does.
   * Removing containers is the runtime's job, so the caller supplies it; without it a volume in
   * use is refused even with force.
   */
  removeContainers?: (containerIds: string[]) => Promise<void>
}

/** A volume's row, as create writes it and a DB rebuild restores it from its record file. */
export function insertVolumeRow(db: Database, volume: Volume): void {
  db.prepare(
    `INSERT INTO volumes (name, driver, created, labels, options, anonymous, created_for, uid, gid, needs_copy_up, needs_chown)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    volume.name,
    volume.driver,
    volume.created,
    JSON.stringify(volume.labels),
    JSON.stringify(volume.options),
    volume.anonymous ? 1 : 0,
    volume.createdFor ?? null,
    volume.uid ?? null,
    volume.gid ?? null,
    volume.needsCopyUp ? 1 : 0,
    volume.needsChown ? 1 : 0,
  )
}

export class VolumeStore {
  private constructor(readonly store: Store) {}

  static open(store: Store): VolumeStore {
    fs.mkdirSync(store.layout.volumesDir, {recursive: true, mode: 0o700})
    const volumes = new VolumeStore(store)
    backfillRecordsOnce(store.layout.graphRoot, 'volumes', () => volumes.writeMissingRecords())
    return volumes
  }

  private get db() {
    return this.store.database
  }

  /** <graphRoot>/volumes/<name> */
  volumeDir(name: string): string {
    return path.join(this.store.layout.volumesDir, name)
  }

  /** The volume's contents: <graphRoot>/volumes/<name>/_data, Podman's Mountpoint. */
  mountpoint(name: string): string {
    return path.join(this.volumeDir(name), '_data')
  }

  /** By exact name. */
  get(name: string): Volume | undefined {
    const row = this.db.prepare('SELECT * FROM volumes WHERE name = ?').get(name) as VolumeRow | undefined
    return row && fromRow(row)
  }

  exists(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM volumes WHERE name = ?').get(name) !== undefined
  }

  /**
   * By name or unique name prefix, as Podman's LookupVolume: an exact name wins; several
   * volumes starting with the text are an error.
   */
  lookup(nameOrPrefix: string): Volume {
    if (nameOrPrefix === '') throw new UsageError('name or ID cannot be empty')
    const exact = this.get(nameOrPrefix)
    if (exact) return exact
    const rows = this.db
      .prepare('SELECT * FROM volumes WHERE substr(name, 1, length(?)) = ? ORDER BY name LIMIT 2')
      .all(nameOrPrefix, nameOrPrefix) as VolumeRow[]
    if (rows.length > 1) throw new VolumeExistsError(`more than one result for volume name ${nameOrPrefix}: volume already exists`)
    if (rows.length === 0) throw noSuchVolume(nameOrPrefix)
    return fromRow(rows[0])
  }

  /** Every volume, by name. */
  list(): Volume[] {
    return (this.db.prepare('SELECT * FROM volumes ORDER BY name').all() as VolumeRow[]).map(fromRow)
  }

  /** Ids of the containers using the volume. */
  users(name: string): string[] {
    return (this.db.prepare('SELECT container_id FROM volume_users WHERE volume = ? ORDER BY container_id').all(name) as {container_id: string}[]).map(
      (r) => r.container_id,
    )
  }

  /** Not used by any container (Podman's IsDangling). */
  isDangling(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM volume_users WHERE volume = ? LIMIT 1').get(name) === undefined
  }

  /**
   * `volume create`: the row and an empty _data (0755, owned by the container's root — the
   * user, rootless; with uid/gid, by those ids of the container).
   */
  async create(spec: NewVolume = {}): Promise<Volume> {
    const {volume, created, leftover} = this.createSync(spec)
    if (leftover) await this.store.removeTrees([leftover])
    if (!created || (volume.uid === undefined && volume.gid === undefined)) return volume
    try {
      await this.chownData(volume.name, volume.uid ?? 0, volume.gid ?? 0)
    } catch (err) {
      await this.remove(volume.name).catch(() => undefined)
      throw err
    }
    return volume
  }

  /**
   * The synchronous part of create, usable inside a caller's transaction: everything but a
   * chown to given ids (which needs the user namespace). `created` is false when an existing
   * volume was returned for ignoreIfExists. `leftover`: a staging dir holding a dead create's
   * dir of the same name, for the caller to remove (else the next Store.open does).
   */
  createSync(spec: NewVolume): {volume: Volume; created: boolean; leftover?: string} {
    const driver = spec.driver ?? LOCAL_DRIVER
    const name = spec.name ?? randomVolumeName()
    if (spec.name !== undefined) validateVolumeName(spec.name)
    if (driver !== LOCAL_DRIVER)
      throw new UsageError(`volume ${name} uses volume plugin ${driver} but it could not be retrieved: no volume plugin with name ${driver} available: required plugin missing`)
    const parsed = parseCreateOptions(spec.options ?? {}, {uid: spec.uid, gid: spec.gid})
    const chowned = parsed.uid !== undefined || parsed.gid !== undefined
    const volume: Volume = {
      name,
      driver,
      created: new Date().toISOString(),
      labels: {...(spec.labels ?? {})},
      options: parsed.options,
      anonymous: spec.anonymous ?? spec.name === undefined,
      createdFor: spec.createdFor,
      uid: parsed.uid ?? (chowned ? 0 : undefined),
      gid: parsed.gid ?? (chowned ? 0 : undefined),
      needsCopyUp: true,
      needsChown: !chowned,
    }
    const insert = this.db.transaction((): {volume: Volume; created: boolean; leftover?: string} => {
      const existing = this.get(name)
      if (existing) {
        if (spec.ignoreIfExists) return {volume: existing, created: false}
        throw new VolumeExistsError(`volume with name ${name} already exists: volume already exists`)
      }
      insertVolumeRow(this.db, volume)
      // A dir without a row was left by a process killed mid-create: never hand out its contents.
      const leftover = this.moveAside(name)
      this.makeDirs(name)
      this.writeRecord(name)
      return {volume, created: true, leftover}
    })
    return insert.immediate()
  }

  private makeDirs(name: string): void {
    const dir = this.volumeDir(name)
    const data = this.mountpoint(name)
    try {
      fs.mkdirSync(dir, {mode: 0o700})
      fs.mkdirSync(data, {mode: 0o755})
      fs.chmodSync(data, 0o755) // whatever the umask
    } catch (err) {
      fs.rmSync(dir, {recursive: true, force: true})
      throw wrap(err, `creating volume directory ${JSON.stringify(data)}`)
    }
  }

  /** _data again if it went missing (a dir removed by hand): mounting needs it. */
  ensureDataDir(name: string): string {
    const data = this.mountpoint(name)
    if (!fs.existsSync(data)) {
      fs.mkdirSync(this.volumeDir(name), {recursive: true, mode: 0o700})
      fs.mkdirSync(data, {mode: 0o755})
      fs.chmodSync(data, 0o755)
    }
    return data
  }

  /** Move volumes/<name> into a fresh staging dir of this process; its path, or undefined if there was none. */
  private moveAside(name: string): string | undefined {
    const dir = this.volumeDir(name)
    if (!fs.existsSync(dir)) return undefined
    const work = this.store.newWorkDir('staging')
    try {
      fs.renameSync(dir, path.join(work, 'volume'))
    } catch (err) {
      fs.rmdirSync(work)
      if (isErrno(err, 'ENOENT')) return undefined
      throw wrap(err, `removing volume directory ${JSON.stringify(dir)}`)
    }
    return work
  }

  /** Chown _data to ids of the container (through the user namespace, rootless). */
  async chownData(name: string, uid: number, gid: number): Promise<void> {
    const data = this.mountpoint(name)
    if (!this.store.mapping) {
      try {
        fs.lchownSync(data, uid, gid)
      } catch (err) {
        throw wrap(err, `chowning volume directory ${JSON.stringify(data)} to ${uid}:${gid}`)
      }
      return
    }
    await runAsMappedRoot(this.store.mapping, {
      file: '/bin/chown',
      argv: ['chown', '--no-dereference', `${uid}:${gid}`, '--', data],
      doing: `chowning volume directory ${JSON.stringify(data)} to ${uid}:${gid}`,
    })
  }

  /**
   * volumes/<name>/volume.json from the row, inside the transaction that changed it (the store's
   * record files, from which a damaged DB is rebuilt).
   */
  writeRecord(name: string): void {
    const volume = this.get(name)
    if (volume && fs.existsSync(this.volumeDir(name))) writeRecord(this.store.layout.volumeRecord(name), volume)
  }

  /** Record files for volumes that have none (written before tspod kept them). */
  private writeMissingRecords(): void {
    const write = this.db.transaction(() => {
      for (const volume of this.list()) if (!fs.existsSync(this.store.layout.volumeRecord(volume.name))) this.writeRecord(volume.name)
    })
    write.immediate()
  }

  /** Take the pending copy-up for this caller: true once, for the first caller, until it is reset. */
  claimCopyUp(name: string): boolean {
    const claim = this.db.transaction((): boolean => {
      const claimed = this.db.prepare('UPDATE volumes SET needs_copy_up = 0 WHERE name = ? AND needs_copy_up = 1').run(name).changes === 1
      if (claimed) this.writeRecord(name)
      return claimed
    })
    return claim.immediate()
  }

  /** Record what the first mount did (copy-up, chown), as Podman saves the volume's state. */
  updateState(name: string, state: {needsCopyUp?: boolean; needsChown?: boolean; uid?: number; gid?: number}): void {
    const update = this.db.transaction(() => {
      const current = this.get(name)
      if (!current) throw noSuchVolume(name)
      this.db
        .prepare('UPDATE volumes SET needs_copy_up = ?, needs_chown = ?, uid = ?, gid = ? WHERE name = ?')
        .run(
          (state.needsCopyUp ?? current.needsCopyUp) ? 1 : 0,
          (state.needsChown ?? current.needsChown) ? 1 : 0,
          state.uid ?? current.uid ?? null,
          state.gid ?? current.gid ?? null,
          name,
        )
      this.writeRecord(name)
    })
    update.immediate()
  }

  /**
   * `volume rm`: refused while containers use the volume (VolumeInUseError), unless
   * removeContainers removes them first. The data is deleted after the row.
   */
  async remove(name: string, options: RemoveOptions = {}): Promise<void> {
    const users = this.users(name)
    if (users.length > 0) {
      if (!options.removeContainers) throw new VolumeInUseError(name, users)
      await options.removeContainers(users)
    }
    let trash: string | undefined
    const drop = this.db.transaction(() => {
      if (!this.exists(name)) throw noSuchVolume(name)
      const still = this.users(name)
      if (still.length > 0) throw new VolumeInUseError(name, still)
      this.db.prepare('DELETE FROM volumes WHERE name = ?').run(name)
      trash = this.moveAside(name)
    })
    drop.immediate()
    if (trash) await this.store.removeTrees([trash])
  }

  /** Record that a container uses a volume (idempotent). */
  addUser(name: string, containerId: string): void {
    try {
      this.db.prepare('INSERT OR IGNORE INTO volume_users (volume, container_id) VALUES (?, ?)').run(name, containerId)
    } catch (err) {
      if ((err as {code?: string}).code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
        throw new TspodError(`container ${containerId} is not in the store: record it before mounting its volumes`, {cause: err})
      throw err
    }
  }

  /** Names of the anonymous volumes of a container: those made for it and those it uses. */
  anonymousVolumesOf(containerId: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT name FROM volumes v WHERE anonymous = 1 AND (created_for = ?
           OR EXISTS (SELECT 1 FROM volume_users u WHERE u.volume = v.name AND u.container_id = ?)) ORDER BY name`,
      )
      .all(containerId, containerId) as {name: string}[]
    return rows.map((r) => r.name)
  }

  /**
   * A container is going away: forget its uses of volumes and, with removeAnonymous (`rm -v`,
   * `--rm`), remove its anonymous volumes that no other container uses, as Podman does.
   * Returns the names of the removed volumes. Safe to call before or after the container's row
   * is deleted.
   */
  async releaseContainer(containerId: string, removeAnonymous: boolean): Promise<string[]> {
    const anonymous = this.anonymousVolumesOf(containerId)
    this.db.prepare('DELETE FROM volume_users WHERE container_id = ?').run(containerId)
    if (!removeAnonymous) return []
    const removed: string[] = []
    for (const name of anonymous) {
      try {
        await this.remove(name)
        removed.push(name)
      } catch (err) {
        if (!(err instanceof VolumeInUseError) && !(err instanceof NoSuchVolumeError)) throw err
      }
    }
    return removed
  }
}
