// Where tspod keeps its store, from storage.conf (the same TOML keys as containers-storage's)
// and the global flags. tspod never uses Podman's store: its defaults live under "tspod".
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError, UsageError} from '../../errors'

export interface OverlayOptions {
  mountProgram?: string
  mountOpt?: string
  ignoreChownErrors: boolean
  forceMask?: string
}

export interface StorageConfig {
  /** the storage.conf that was read, if any */
  configFile?: string
  driver: 'overlay'
  graphRoot: string
  runRoot: string
  overlay: OverlayOptions
}

export interface StorageOverrides {
  root?: string
  runRoot?: string
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

function checkDriver(driver: string | undefined, file: string): 'overlay' {
  if (driver === undefined || driver === '' || driver === 'overlay' || driver === 'overlay2') return 'overlay'
  throw new TspodError(`${file}: storage driver "${driver}" is not supported by tspod: use "overlay"`, {path: file})
}

function absolute(value: string, what: string): string {
  if (!path.isAbsolute(value)) throw new UsageError(`${what} must be an absolute path: "${value}"`)
  return path.normalize(value)
}

export function loadStorageConfig(
  overrides: StorageOverrides = {},
  env: Env = process.env,
  uid: number = process.getuid!(),
): StorageConfig {
  const file = configFilePath(env)
  const doc = readToml(file)
  const storage = table(doc, 'storage')
  const overlayTable = table(table(storage, 'options'), 'overlay')

  let graphRoot = stringKey(storage, 'graphroot', file)
  const rootlessPath = uid !== 0 ? stringKey(storage, 'rootless_storage_path', file) : undefined
  if (rootlessPath) graphRoot = expandVars(rootlessPath, uid, env)
  const runRoot = stringKey(storage, 'runroot', file)

  return {
    configFile: doc ? file : undefined,
    driver: checkDriver(stringKey(storage, 'driver', file), file),
    graphRoot: absolute(overrides.root ?? (graphRoot ? expandVars(graphRoot, uid, env) : defaultGraphRoot(uid, env)), 'graph root'),
    runRoot: absolute(overrides.runRoot ?? (runRoot ? expandVars(runRoot, uid, env) : defaultRunRoot(uid, env)), 'run root'),
    overlay: {
      mountProgram: stringKey(overlayTable, 'mount_program', file),
      mountOpt: stringKey(overlayTable, 'mountopt', file),
      ignoreChownErrors: boolKey(overlayTable, 'ignore_chown_errors', file),
      forceMask: stringKey(overlayTable, 'force_mask', file),
    },
  }
}
