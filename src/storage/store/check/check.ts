// What every `system check` check gets and returns. A check is a function from the context to
// its findings; with options.repair it repairs what it can and says so in each finding. Checks
// run in the order of their list (checks.ts): the database's first, as the others read the DB.
import type {StorageConfig} from '../../config/storage-conf'
import type {RebuildPart} from '../rebuild'
import type {Store} from '../store'
import type {Finding} from './finding'

export interface CheckOptions {
  /** skip what takes long (the DB's full integrity_check becomes quick_check) */
  quick: boolean
  repair: boolean
  /** with repair: also remove containers that use what cannot be restored */
  force: boolean
  /** layers no image uses and older than this count as left by a cancelled pull (ms) */
  maxAge: number
}

/** What the checks of the store's contents need of the runtime, which storage cannot import. */
export interface RuntimeHooks {
  /** remove these containers with everything they own (rm -f) */
  removeContainers(store: Store, ids: string[]): Promise<void>
  containerIsRunning(store: Store, id: string): boolean
}

export interface CheckContext {
  config: StorageConfig
  options: CheckOptions
  /** the open store; undefined while its DB cannot be opened (openError says why) */
  store: Store | undefined
  openError?: Error
  /** the runtime's tables and record files, for a DB rebuild (in this order) */
  rebuildParts: RebuildPart[]
  runtime: RuntimeHooks
  /** set by the database check when the DB must be rebuilt first: the checks of the contents wait for that */
  databaseNeedsRebuild?: boolean
  /** open the store again (after a rebuild replaced its DB) */
  reopen(): Promise<void>
}

export type Check = (ctx: CheckContext) => Promise<Finding[]>
