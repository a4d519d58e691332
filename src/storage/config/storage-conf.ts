// Where tspod keeps its store, from storage.conf (the same TOML keys as containers-storage's)
// and the global flags. tspod never uses Podman's store: its defaults live under "tspod".
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../errors'
import {storeOwnerUid} from '../../userns/user'

export interface OverlayOptions {
  mountProgram?: string
  mountOpt?: string
  ignoreChownErrors: boolean
  forceMask?: string
}

export interface VfsOptions {
  ignoreChownErrors: boolean
}

export interface StorageConfig {
  /** the storage.conf that was read, if any */
  configFile?: string
  /** the graph driver's name as given ("overlay", "vfs"; Store.open refuses one tspod has not) */
  driver: string
  /** --storage-driver was given: a store made with another driver is refused, not followed */
  driverSet: boolean
  graphRoot: string
  runRoot: string
  /** where named volumes live (--volumepath; <graph root>/volumes by default) */
  volumePath: string
  /** --volumepath or --root was given: a store that keeps its volumes elsewhere is refused */
  volumePathSet: boolean
  overlay: OverlayOptions
  vfs: VfsOptions
}

export interface StorageOverrides {
  root?: string
  runRoot?: string
  /** --storage-driver */
  driver?: string
  /** --storage-opt, each "driver.key=value"; [''] (or any empty one) drops storage.conf's options */
  storageOpts?: string[]
  /** --volumepath */
  volumePath?: string
}

interface Env {
  [key: string]: string | undefined
}

function homeDir(env: Env): string {
  return env.HOME || os.userInfo().homedir
}

export function configFilePath(env: Env = process.env): string {
  if (env.TSPOD_STORAGE_CONF) return env.TSPOD_STORAGE_CONF
  const configHome = env.XDG_CONFIG_HOME || path.join(homeDir(env), '.config')
  return path.join(configHome, 'tspod', 'storage.conf')
}

export function defaultGraphRoot(uid: number, env: Env = process.env): string {
  if (uid === 0) return '/var/lib/tspod/storage'
  const dataHome = env.XDG_DATA_HOME || path.join(homeDir(env), '.local', 'share')
  return path.join(dataHome, 'tspod', 'storage')
}

function defaultRunRoot(uid: number, env: Env): string {
  if (uid === 0) return '/run/tspod'
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'tspod')
  // Like Podman's $TMPDIR/storage-run-UID fallback: a private dir that only this user can write.
  return path.join(env.TMPDIR || '/tmp', `tspod-run-${uid}`)
}

function expandVars(value: string, uid: number, env: Env): string {
  return value
    .replace(/\$(HOME|\{HOME\})/g, homeDir(env))
    .replace(/\$(UID|\{UID\})/g, String(uid))
    .replace(/\$(USER|\{USER\})/g, env.USER || os.userInfo().username)
}

export type Table = Record<string, unknown>

function table(parent: Table | undefined, key: string): Table | undefined {
  const value = parent?.[key]
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : undefined
}

function stringKey(t: Table | undefined, key: string, file: string): string | undefined {
  const value = t?.[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TspodError(`${file}: "${key}" must be a string`, {path: file})
  return value
}

/** containers-storage writes ignore_chown_errors as a string ("true"); a TOML bool is accepted too. */
function boolKey(t: Table | undefined, key: string, file: string): boolean {
  const value = t?.[key]
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  if (value === 'true' || value === 'false') return value === 'true'
  throw new TspodError(`${file}: "${key}" must be "true" or "false"`, {path: file})
}

export function readToml(file: string): Table | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') return undefined
    throw new TspodError(`reading ${file}: ${e.message}`, {code: e.code, path: file, cause: err})
  }
  try {
    // smol-toml is loaded only when a config file exists.
    const {parse} = require('smol-toml') as typeof import('smol-toml')
    return parse(text) as Table
  } catch (err) {
    const first = (err as Error).message.split('\n')[0]
    throw new TspodError(`${file}: invalid TOML: ${first}`, {path: file, cause: err})
  }
}

/** overlay2 is the name Docker gives overlay; containers-storage takes both. */
function driverName(driver: string | undefined): string {
  if (driver === undefined || driver === '' || driver === 'overlay2') return 'overlay'
  return driver
}

/**
 * --storage-opt over storage.conf's options, as containers-storage reads them: "overlay.KEY=V"
 * or "vfs.KEY=V" (a bare "KEY=V" is the driver's own). An empty option drops every option of
 * storage.conf first. Options of the other driver are ignored, as the driver being used never
 * sees them; an unknown one of this driver is an error.
 */
function applyStorageOpts(driver: string, opts: string[], overlay: OverlayOptions, vfs: VfsOptions): {overlay: OverlayOptions; vfs: VfsOptions} {
  if (opts.some((o) => o.trim() === '')) {
    overlay = {ignoreChownErrors: false}
    vfs = {ignoreChownErrors: false}
  }
  for (const opt of opts) {
    if (opt.trim() === '') continue
    const eq = opt.indexOf('=')
    if (eq < 0) throw new UsageError(`unable to parse storage option "${opt}": it must be KEY=VALUE`)
    let key = opt.slice(0, eq).trim().toLowerCase()
    const value = opt.slice(eq + 1).trim()
    const dot = key.indexOf('.')
    const owner = dot < 0 ? driver : driverName(key.slice(0, dot))
    if (dot >= 0) key = key.slice(dot + 1)
    if (owner !== driver) continue
    const bool = (): boolean => {
      if (!/^(true|false|1|0)$/i.test(value)) throw new UsageError(`${owner}.${key}: "${value}" is not a boolean`)
      return /^(true|1)$/i.test(value)
    }
    if (owner === 'overlay' && key === 'mount_program') overlay = {...overlay, mountProgram: value || undefined}
    else if (owner === 'overlay' && key === 'mountopt') overlay = {...overlay, mountOpt: value || undefined}
    else if (owner === 'overlay' && key === 'ignore_chown_errors') overlay = {...overlay, ignoreChownErrors: bool()}
    else if (owner === 'overlay' && key === 'force_mask') overlay = {...overlay, forceMask: value || undefined}
    else if (owner === 'vfs' && key === 'ignore_chown_errors') vfs = {...vfs, ignoreChownErrors: bool()}
    else throw new UsageError(`${owner} driver does not support ${key} options`)
  }
  return {overlay, vfs}
}

function absolute(value: string, what: string): string {
  if (!path.isAbsolute(value)) throw new UsageError(`${what} must be an absolute path: "${value}"`)
  return path.normalize(value)
}

export function loadStorageConfig(
  overrides: StorageOverrides = {},
  env: Env = process.env,
  uid: number = storeOwnerUid(env),
): StorageConfig {
  const file = configFilePath(env)
  const doc = readToml(file)
  const storage = table(doc, 'storage')
  const overlayTable = table(table(storage, 'options'), 'overlay')
  const vfsTable = table(table(storage, 'options'), 'vfs')

  let graphRoot = stringKey(storage, 'graphroot', file)
  const rootlessPath = uid !== 0 ? stringKey(storage, 'rootless_storage_path', file) : undefined
  if (rootlessPath) graphRoot = expandVars(rootlessPath, uid, env)
  const runRoot = stringKey(storage, 'runroot', file)

  const driver = driverName(overrides.driver ?? stringKey(storage, 'driver', file))
  const resolvedRoot = absolute(overrides.root ?? (graphRoot ? expandVars(graphRoot, uid, env) : defaultGraphRoot(uid, env)), 'graph root')
  const options = applyStorageOpts(
    driver,
    overrides.storageOpts ?? [],
    {
      mountProgram: stringKey(overlayTable, 'mount_program', file),
      mountOpt: stringKey(overlayTable, 'mountopt', file),
      ignoreChownErrors: boolKey(overlayTable, 'ignore_chown_errors', file),
      forceMask: stringKey(overlayTable, 'force_mask', file),
    },
    {ignoreChownErrors: boolKey(vfsTable, 'ignore_chown_errors', file)},
  )
  return {
    configFile: doc ? file : undefined,
    driver,
    driverSet: overrides.driver !== undefined,
    graphRoot: resolvedRoot,
    runRoot: absolute(overrides.runRoot ?? (runRoot ? expandVars(runRoot, uid, env) : defaultRunRoot(uid, env)), 'run root'),
    volumePath: overrides.volumePath !== undefined ? absolute(overrides.volumePath, 'volume path') : path.join(resolvedRoot, 'volumes'),
    // Podman counts --root as setting the volume path too (<root>/volumes)
    volumePathSet: overrides.volumePath !== undefined || overrides.root !== undefined,
    ...options,
  }
}

/** The driver's ignore_chown_errors option. */
export function ignoreChownErrors(config: StorageConfig): boolean {
  return config.driver === 'vfs' ? config.vfs.ignoreChownErrors : config.overlay.ignoreChownErrors
}
