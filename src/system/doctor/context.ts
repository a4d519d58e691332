// What every doctor check reads: who runs it, the store config, the planned id mapping, the
// mount table, and the few expensive facts (a real user namespace, the store path walks) that
// several checks share, each computed once per run.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {StorageConfig, configFilePath} from '../../storage/config/storage-conf'
import {Accounts, loadAccounts} from '../../storage/store/preflight/account-names'
import {AccessWalk, walkAccess} from '../../storage/store/preflight/access-walk'
import {MountEntry, readMountInfo} from '../../storage/store/preflight/mountinfo'
import {storePaths} from '../../storage/store/preflight/preflight'
import {SubIdFiles, UserNamespaceMapping, planUserNamespaceMapping} from '../../userns/idmap'
import {SUBGID_FILE, SUBUID_FILE} from '../../userns/subid'
import {HostUser, currentUser} from '../../userns/user'
import {NamespaceProbe, probeUserNamespace} from './namespace-probe'

export interface DoctorEnv {
  [key: string]: string | undefined
}

export interface DoctorContext {
  config: StorageConfig
  user: HostUser
  rootless: boolean
  env: DoctorEnv
  accounts: Accounts
  subIdFiles: SubIdFiles
  /** the mapping tspod would use, or why it cannot plan one */
  mapping?: UserNamespaceMapping
  mappingError?: string
  mounts(): MountEntry[]
  namespaceProbe(): Promise<NamespaceProbe>
  /** the graph root and run root walks (graph root first) */
  storeWalks(): AccessWalk[]
}

/** How to choose another graph root or run root, naming the storage.conf tspod reads. */
export function relocationHint(ctx: Pick<DoctorContext, 'env'>, role: 'graph root' | 'run root', where = 'you can reach'): string {
  const key = role === 'graph root' ? 'graphroot' : 'runroot'
  const flag = role === 'graph root' ? '--root' : '--runroot'
  return `choose a ${role} ${where} (${key} in ${configFilePath(ctx.env)}, or ${flag})`
}

function once<T>(fn: () => T): () => T {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = fn()
      done = true
    }
    return value
  }
}

export interface ContextOptions {
  env?: DoctorEnv
  user?: HostUser
  subIdFiles?: SubIdFiles
}

export function createDoctorContext(config: StorageConfig, opts: ContextOptions = {}): DoctorContext {
  const user = opts.user ?? currentUser()
  const rootless = user.uid !== 0
  const subIdFiles = opts.subIdFiles ?? {subuid: SUBUID_FILE, subgid: SUBGID_FILE}
  let mapping: UserNamespaceMapping | undefined
  let mappingError: string | undefined
  if (rootless) {
    try {
      mapping = planUserNamespaceMapping(user, subIdFiles)
    } catch (err) {
      mappingError = (err as Error).message
    }
  }
  const accounts = loadAccounts()
  const env = opts.env ?? process.env
  const ctx: DoctorContext = {
    config,
    user,
    rootless,
    env,
    accounts,
    subIdFiles,
    mapping,
    mappingError,
    mounts: once(() => readMountInfo()),
    namespaceProbe: once(() =>
      mapping ? probeUserNamespace(mapping) : Promise.resolve({ok: false, error: mappingError ?? 'no user namespace as root'}),
    ),
    storeWalks: once(() =>
      storePaths(config).map((p) =>
        walkAccess(p.path, user, p.need, {role: p.role, mapping, accounts, alternative: relocationHint({env}, p.role as 'graph root' | 'run root')}),
      ),
    ),
  }
  return ctx
}

/** The path itself if it exists, else its deepest existing ancestor (for statfs, mountinfo). */
export function nearestExisting(p: string): string {
  let current = p
  while (current !== '/' && !fs.existsSync(current)) current = path.dirname(current)
  return current
}

/** Symlinks resolved where possible (mount points in mountinfo are real paths). */
export function realPath(p: string): string {
  try {
    return fs.realpathSync(p)
  } catch {
    return p
  }
}
