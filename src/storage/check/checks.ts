// Every check `tspod system check` runs, in order: the database first (a rebuild replaces the
// DB the others read), then what the store holds. Adding a check is one line here.
import type {Store} from '../store/store'
import type {Check, CheckContext} from './check'
import {checkContainers} from './containers'
import {checkDatabase} from './database'
import type {Finding} from './finding'
import {checkImages} from './images'
import {LayerCheckOptions, checkLayers} from './layers'
import {checkLeftovers} from './leftovers'
import {checkUnusedLayers} from './unused-layers'

/** A check of the store's contents: it needs an open store (none while the DB is damaged). */
function onStore(check: (store: Store, opts: LayerCheckOptions) => Promise<Finding[]>): Check {
  return async (ctx: CheckContext) => {
    const store = ctx.store
    if (!store) return []
    return check(store, {
      quick: ctx.options.quick,
      repair: ctx.options.repair,
      force: ctx.options.force,
      removeContainers: (ids) => ctx.runtime.removeContainers(store, ids),
      containerIsRunning: (id) => ctx.runtime.containerIsRunning(store, id),
    })
  }
}

export const CHECKS: Check[] = [
  checkDatabase,
  onStore(checkLeftovers),
  onStore(checkLayers),
  onStore(checkImages),
  onStore(checkContainers),
  checkUnusedLayers,
]
