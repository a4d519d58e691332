// Where containers/storage (Podman's and buildah's store) keeps its files for this user, read as
// containers/storage reads its storage.conf: $CONTAINERS_STORAGE_CONF, else the user's
// ~/.config/containers/storage.conf for a rootless user (the system file when the user has none),
// /etc/containers/storage.conf for root. A rootless user's graph root is graphroot from the user's
// file, else rootless_storage_path, else $XDG_DATA_HOME/containers/storage; the run root is
// runroot from the user's file, else $XDG_RUNTIME_DIR/containers.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {readToml, type Table} from '../config/storage-conf'

export interface ContainersStorageLocation {
  graphRoot: string
  runRoot: string
  /** the graph driver whose records are read: storage.conf's, else the one the store was made with */
  driver: string
}

interface Env {
  [key: string]: string | undefined
}

const SYSTEM_FILES = ['/etc/containers/storage.conf', '/usr/share/containers/storage.conf']
/** containers/storage's drivers in the order it probes an existing store for one */
const KNOWN_DRIVERS = ['overlay', 'vfs', 'btrfs', 'zfs', 'devmapper', 'aufs']

function homeOf(env: Env): string {
  return env.HOME || os.userInfo().homedir
}

function storageTable(file: string): Table | undefined {
  const parsed = readToml(file)
  const storage = parsed?.storage
  return storage !== null && typeof storage === 'object' && !Array.isArray(storage) ? (storage as Table) : undefined
}

function text(t: Table | undefined, key: string): string | undefined {
  const value = t?.[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function expand(value: string, uid: number, env: Env): string {
  return value
    .replace(/\$(HOME|\{HOME\})/g, homeOf(env))
    .replace(/\$(UID|\{UID\})/g, String(uid))
    .replace(/\$(USER|\{USER\})/g, env.USER || os.userInfo().username)
}

function userConfigFile(env: Env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homeOf(env), '.config'), 'containers', 'storage.conf')
}

function firstExisting(files: string[]): string | undefined {
  return files.find((f) => fs.existsSync(f))
}

function detectDriver(graphRoot: string): string {
  return KNOWN_DRIVERS.find((d) => fs.existsSync(path.join(graphRoot, `${d}-containers`)) || fs.existsSync(path.join(graphRoot, `${d}-layers`))) ?? 'overlay'
}

export function containersStorageLocation(env: Env = process.env, uid: number = process.getuid!()): ContainersStorageLocation {
  const explicit = env.CONTAINERS_STORAGE_CONF
  const systemFile = firstExisting(SYSTEM_FILES)
  const systemTable = systemFile ? storageTable(systemFile) : undefined
  let graphRoot: string
  let runRoot: string
  let driver: string | undefined
  if (uid === 0) {
    const t = explicit ? storageTable(explicit) : systemTable
    graphRoot = text(t, 'graphroot') ?? '/var/lib/containers/storage'
    runRoot = text(t, 'runroot') ?? '/run/containers/storage'
    driver = text(t, 'driver')
  } else {
    const userFile = explicit ?? userConfigFile(env)
    const userTable = fs.existsSync(userFile) ? storageTable(userFile) : undefined
    const dataHome = env.XDG_DATA_HOME || path.join(homeOf(env), '.local', 'share')
    const rootlessPath = text(userTable, 'rootless_storage_path') ?? text(systemTable, 'rootless_storage_path')
    graphRoot = text(userTable, 'graphroot') ?? (rootlessPath ? expand(rootlessPath, uid, env) : path.join(dataHome, 'containers', 'storage'))
    runRoot = text(userTable, 'runroot') ?? path.join(env.XDG_RUNTIME_DIR || path.join(env.TMPDIR || '/tmp', `storage-run-${uid}`), 'containers')
    driver = text(userTable, 'driver') ?? text(systemTable, 'driver')
  }
  if (driver === 'overlay2') driver = 'overlay'
  return {graphRoot, runRoot, driver: driver ?? detectDriver(graphRoot)}
}
