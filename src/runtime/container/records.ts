// Containers in the store's DB: storage's `containers` row (name, image) plus the runtime's
// config and state. Reading a container also settles a state its monitor can no longer
// write: a running container whose monitor wrote its exit file (as Podman reads conmon's), whose
// monitor and process are both gone, or whose run root was wiped (a reboot), shows as exited. A
// detached container outlives a killed monitor (as under conmon): it shows as running while its
// process lives, so stop, kill and rm -f still reach it.
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import {backfillRecordsOnce, removeRecord, writeRecord} from '../../storage/store/record-files'
import type {StorageContainer} from '../../storage/store/containers'
import type {Store} from '../../storage/store/store'
import {endAbandonedPasta} from '../network/pasta-process'
import {CREATED_STATE, Container, ContainerConfig, ContainerState, ContainerStatus, hasProcesses, isLegacyConfig} from './config'
import {NoSuchContainerError} from './errors'
import {exitFilePath, readExitFile} from './exit-file'
import {bundleDir, pastaPidFile} from './paths'

export {NoSuchContainerError}

/** A stored config in today's form: the parsers that upgrade a record of the old form load only for one. */
function upgradeConfig(stored: ContainerConfig): ContainerConfig {
  if (!isLegacyConfig(stored)) return stored
  return (require('./upgrade-config') as typeof import('./upgrade-config')).upgradeConfig(stored)
}

/** How long the exit code of a removed container is kept (Podman: 5 minutes). */
const EXIT_CODE_KEPT_MS = 5 * 60_000

/**
 * Exit code recorded for a container whose end nobody saw: one that died with its foreground
 * CLI (SIGKILL through PDEATHSIG), or ended after its monitor was killed.
 */
const LOST_EXIT_CODE = 137

/** The process `pid` started at `start` still runs (one that has exited but is not reaped yet does not). */
export function isAlive(pid: number | undefined, start: string | undefined): boolean {
  if (!pid || start === undefined) return false
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // after the command name (field 2, which may hold spaces): the state (field 3) ... the start time (field 22)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19] === start && fields[0] !== 'Z' && fields[0] !== 'X'
  } catch {
    return false
  }
}

export class ContainerRecords {
  private constructor(readonly store: Store) {}

  static open(store: Store): ContainerRecords {
    const records = new ContainerRecords(store)
    records.upgradeConfigs()
    backfillRecordsOnce(store.layout.graphRoot, 'runtime', () => records.writeMissingRecords())
    return records
  }

  /**
   * Rows and record files of the form before the typed ContainerSpec (a store of an older tspod),
   * converted in one transaction. A conversion that did not happen (a crash) is done again at the
   * next open, or when the record is read.
   */
  private upgradeConfigs(): void {
    // a config of today's form names its containerSpec: a store without old rows takes no write lock
    const legacy = this.db.prepare(`SELECT id FROM container_configs WHERE json NOT LIKE '%"containerSpec":%' LIMIT 1`)
    if (!legacy.get()) return
    const upgrade = this.db.transaction(() => {
      const rows = this.db.prepare('SELECT id, json FROM container_configs').all() as {id: string; json: string}[]
      for (const row of rows) {
        const stored = JSON.parse(row.json) as ContainerConfig
        if (!isLegacyConfig(stored)) continue
        const config = upgradeConfig(stored)
        this.db.prepare('UPDATE container_configs SET json = ? WHERE id = ?').run(JSON.stringify(config), row.id)
        if (fs.existsSync(this.store.layout.containerDir(row.id))) this.writeConfigRecord(config)
      }
    })
    upgrade.immediate()
  }

  /** Record files for containers that have none (written before tspod kept them). */
  private writeMissingRecords(): void {
    const write = this.db.transaction(() => {
      const rows = this.db.prepare('SELECT c.json AS config, s.json AS state FROM container_configs c JOIN container_states s ON s.id = c.id').all() as {config: string; state: string}[]
      for (const row of rows) {
        const config = upgradeConfig(JSON.parse(row.config) as ContainerConfig)
        if (!fs.existsSync(this.store.layout.containerDir(config.id)) || fs.existsSync(this.store.layout.containerRuntimeRecord(config.id, 'config'))) continue
        this.writeConfigRecord(config)
        this.writeStateRecord(config.id, JSON.parse(row.state) as ContainerState)
      }
    })
    write.immediate()
  }

  private get db() {
    return this.store.database
  }

  /**
   * `transient`: a container its creator removes again within the same command (a build's RUN
   * step). Its record files are not fsynced: if they are lost in a crash, the container is a
   * leftover the command would have removed anyway, and a DB rebuild removes a container whose
   * record is missing or damaged (rebuild.ts, rebuild-records.ts); while the DB stands, it does
   * not read them.
   */
  add(config: ContainerConfig, {transient = false}: {transient?: boolean} = {}): Container {
    const insert = this.db.transaction(() => {
      this.store.containers.create({id: config.id, name: config.name, imageId: config.imageId, created: config.created}, !transient)
      this.db.prepare('INSERT INTO container_configs (id, json) VALUES (?, ?)').run(config.id, JSON.stringify(config))
      this.db.prepare('INSERT INTO container_states (id, status, json) VALUES (?, ?, ?)').run(config.id, CREATED_STATE.status, JSON.stringify(CREATED_STATE))
      this.writeConfigRecord(config, !transient)
      this.writeStateRecord(config.id, CREATED_STATE)
    })
    insert.immediate()
    return {config, state: {...CREATED_STATE}}
  }

  /** Only while it is being created, or stopped under its lock (`system migrate --new-runtime`). */
  replaceConfig(config: ContainerConfig): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE container_configs SET json = ? WHERE id = ?').run(JSON.stringify(config), config.id)
      this.writeConfigRecord(config)
    })()
  }

  /** containers/<id>/runtime-config.json (the store's record files: a rebuilt DB reads it). */
  private writeConfigRecord(config: ContainerConfig, durable = true): void {
    writeRecord(this.store.layout.containerRuntimeRecord(config.id, 'config'), {config}, durable)
  }

  /** runtime-state.json: replaced atomically but not fsynced, as a state changes often. */
  private writeStateRecord(id: string, state: ContainerState): void {
    // a container whose dir is gone (damage that `system check` reports, or its removal racing
    // this write: an --rm clean-up under a `kill`) still settles
    const dir = this.store.layout.containerDir(id)
    if (!fs.existsSync(dir)) return
    try {
      writeRecord(this.store.layout.containerRuntimeRecord(id, 'state'), {state}, false)
    } catch (err) {
      if (fs.existsSync(dir)) throw err
    }
  }

  private read(id: string): Container | undefined {
    const row = this.db
      .prepare('SELECT c.json AS config, s.json AS state FROM container_configs c JOIN container_states s ON s.id = c.id WHERE c.id = ?')
      .get(id) as {config: string; state: string} | undefined
    if (!row) return undefined
    return this.settle({config: upgradeConfig(JSON.parse(row.config) as ContainerConfig), state: JSON.parse(row.state) as ContainerState})
  }

  get(id: string): Container | undefined {
    return this.read(id)
  }

  /** By exact name, full id, or unique id prefix, with Podman's errors. */
  lookup(nameOrId: string): Container {
    const byName = this.db.prepare('SELECT id FROM containers WHERE name = ?').get(nameOrId) as {id: string} | undefined
    let id = byName?.id
    if (!id && /^[0-9a-f]+$/.test(nameOrId)) {
      const matches = this.db
        .prepare('SELECT id FROM containers WHERE substr(id, 1, length(?)) = ?')
        .all(nameOrId, nameOrId) as {id: string}[]
      if (matches.length > 1) throw new TspodError(`more than one result for container "${nameOrId}": container already exists`)
      id = matches[0]?.id
    }
    const container = id ? this.read(id) : undefined
    if (!container) throw new NoSuchContainerError(`no container with name or ID "${nameOrId}" found: no such container`)
    return container
  }

  /** Podman's --latest: the container created last. */
  latest(): Container {
    const ids = this.db.prepare('SELECT id FROM containers ORDER BY created DESC').all() as {id: string}[]
    for (const {id} of ids) {
      const container = this.read(id)
      if (container) return container
    }
    throw new NoSuchContainerError('no such container')
  }

  list(): Container[] {
    const ids = this.db.prepare('SELECT id FROM containers ORDER BY created').all() as {id: string}[]
    return ids.map((r) => this.read(r.id)).filter((c): c is Container => c !== undefined)
  }

  /**
   * Containers in the store that tspod's runtime has no record of (Podman's external or storage
   * containers: a creation cut short, another tool's working container).
   */
  externalContainers(): StorageContainer[] {
    return this.store.containers.list().filter((c) => this.read(c.id) === undefined)
  }

  /** An external container by name, ID or unique ID prefix. */
  lookupExternal(nameOrId: string): StorageContainer | undefined {
    const external = this.externalContainers()
    const exact = external.find((c) => c.name === nameOrId || c.id === nameOrId)
    if (exact) return exact
    const byPrefix = /^[0-9a-f]+$/.test(nameOrId) ? external.filter((c) => c.id.startsWith(nameOrId)) : []
    return byPrefix.length === 1 ? byPrefix[0] : undefined
  }

  /**
   * Remove a container only the store knows (an external one, as Podman's rm removes a storage
   * container): its row and record, then its dirs.
   */
  async removeExternal(id: string): Promise<void> {
    const dir = this.store.layout.containerDir(id)
    this.store.containers.delete(id)
    if (fs.existsSync(dir)) await this.store.removeTrees([dir])
  }

  /** --rm containers that ended without their monitor to remove them (it was killed). */
  abandonedAutoRemove(): Container[] {
    const rows = this.db
      .prepare(`SELECT c.json AS config FROM container_configs c JOIN container_states s ON s.id = c.id WHERE s.status IN ('running', 'stopping', 'paused', 'exited')`)
      .all() as {config: string}[]
    return rows
      .map((r) => upgradeConfig(JSON.parse(r.config) as ContainerConfig))
      .filter((config) => config.autoRemove)
      .map((config) => this.read(config.id))
      .filter((c): c is Container => c !== undefined && c.state.status === 'exited' && !isAlive(c.state.monitorPid, c.state.monitorStart))
  }

  /**
   * Change the stored state while it is still running (or paused), in one transaction: the
   * monitor may record the exit at any moment, and an exit must never be overwritten with a
   * stale state. Returns false when it was not running any more.
   */
  updateRunningState(id: string, change: (state: ContainerState) => ContainerState): boolean {
    const update = this.db.transaction((): boolean => {
      const row = this.db.prepare('SELECT json FROM container_states WHERE id = ?').get(id) as {json: string} | undefined
      if (!row) return false
      const state = JSON.parse(row.json) as ContainerState
      if (!hasProcesses(state)) return false
      this.saveState(id, change(state))
      return true
    })
    return update.immediate()
  }

  saveState(id: string, state: ContainerState): void {
    this.db.transaction(() => {
      if (this.db.prepare('UPDATE container_states SET status = ?, json = ? WHERE id = ?').run(state.status, JSON.stringify(state), id).changes === 1)
        this.writeStateRecord(id, state)
    })()
  }

  /** Rows only; the container's dirs are remove.ts's business. An exited one's code is kept a while (removedExitCode). */
  delete(id: string): void {
    const remove = this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT s.json AS state, c.name AS name FROM container_states s JOIN containers c ON c.id = s.id WHERE s.id = ?')
        .get(id) as {state: string; name: string} | undefined
      const exited = row && (JSON.parse(row.state) as ContainerState)
      if (row && exited?.status === 'exited')
        this.db
          .prepare('INSERT OR REPLACE INTO container_exit_codes (id, name, exit_code, removed) VALUES (?, ?, ?, ?)')
          .run(id, row.name, exited.exitCode, new Date().toISOString())
      this.db.prepare('DELETE FROM container_exit_codes WHERE removed < ?').run(new Date(Date.now() - EXIT_CODE_KEPT_MS).toISOString())
      for (const part of ['config', 'state'] as const) removeRecord(this.store.layout.containerRuntimeRecord(id, part))
      this.store.containers.delete(id)
    })
    remove.immediate()
  }

  /** The exit code of a container removed in the last minutes (by id, or by name when it is no longer in use), as Podman keeps it for `wait`. */
  removedExitCode(nameOrId: string): number | undefined {
    const row = this.db
      .prepare('SELECT exit_code FROM container_exit_codes WHERE id = ? OR (name = ? AND NOT EXISTS (SELECT 1 FROM containers WHERE name = ?)) ORDER BY removed DESC')
      .get(nameOrId, nameOrId, nameOrId) as {exit_code: number} | undefined
    return row?.exit_code
  }

  private settle(container: Container): Container {
    const {state, config} = container
    if (!hasProcesses(state)) return container
    const runRootWiped = !fs.existsSync(bundleDir(this.store, config.id))
    // the exit code its monitor wrote, before its cleanup step records it (or died first)
    const exit = runRootWiped ? undefined : readExitFile(exitFilePath(this.store, config.id))
    if (!exit && !runRootWiped && isAlive(state.pid, state.pidStart)) return container
    // its process ended and its monitor has not recorded it yet (it tears the network down
    // first): no pid, as Podman reports it once the runtime says stopped
    if (!exit && !runRootWiped && isAlive(state.monitorPid, state.monitorStart)) return state.pid === 0 ? container : {config, state: {...state, pid: 0}}
    const settled: ContainerState = exit
      ? {...state, status: 'exited' as ContainerStatus, pid: 0, exitCode: exit.exitCode, finishedAt: exit.finishedAt}
      : {
          ...state,
          status: 'exited' as ContainerStatus,
          pid: 0,
          exitCode: LOST_EXIT_CODE,
          finishedAt: new Date().toISOString(),
          error: runRootWiped ? 'the run root was reset (a reboot?) while the container ran' : 'the container\'s monitor process died',
        }
    this.saveState(config.id, settled)
    // its monitor (a foreground run's tspod) is gone: nobody else ends the pasta holding its netns
    if (config.containerSpec.network.kind === 'pasta') endAbandonedPasta(pastaPidFile(this.store, config.id))
    return {config, state: settled}
  }
}
