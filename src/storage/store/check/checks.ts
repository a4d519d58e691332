// Every check `tspod system check` runs, in order: the database first (a rebuild replaces the
// DB the others read), then what the store holds. Adding a check is one line here.
import type {Store} from '../store'
import type {Check, CheckContext} from './check'
import {checkContainers} from './containers'
import {checkDatabase} from './database'
import type {Finding} from './finding'
import {checkImages} from './images'
import {LayerCheckOptions, checkLayers} from './layers'
import {checkLeftovers} from './leftovers'
import {checkUnusedLayers} from './unused-layers'

/**
 * A check of the store's contents: it needs an open store whose DB is whole (it waits for the
 * rebuild). Its messages start with what they are about ("layer 3f2a…: bin/sh: missing"): that
 * part becomes the subject, as the database check's findings have it.
 */
function onStore(check: (store: Store, opts: LayerCheckOptions) => Promise<Finding[]>): Check {
  return async (ctx: CheckContext) => {
    const store = ctx.store
    if (!store || ctx.databaseNeedsRebuild) return []
    const findings = await check(store, {
      quick: ctx.options.quick,
      repair: ctx.options.repair,
      force: ctx.options.force,
      removeContainers: (ids) => ctx.runtime.removeContainers(store, ids),
      containerIsRunning: (id) => ctx.runtime.containerIsRunning(store, id),
    })
    return findings.map(splitSubject)
  }
}

function splitSubject(f: Finding): Finding {
  const colon = f.message.indexOf(': ')
  return colon < 0 ? f : {...f, subject: f.message.slice(0, colon), message: f.message.slice(colon + 2)}
}

/**
 * What --repair left: a finding not repaired, or damage found (neither repaired nor an error)
 * with no finding of the same kind and subject saying it was repaired.
 */
export function remainingDamage(findings: Finding[]): Finding[] {
  const fixed = new Set(findings.filter((f) => f.repaired === true).map((f) => `${f.kind}\0${f.subject}`))
  return findings.filter((f) => {
    if (f.kind === 'not-checked' || f.repaired === true) return false
    if (f.repaired === false || f.error !== undefined) return true
    return !fixed.has(`${f.kind}\0${f.subject}`)
  })
}

export const CHECKS: Check[] = [
  checkDatabase,
  onStore(checkLeftovers),
  onStore(checkLayers),
  onStore(checkImages),
  onStore(checkContainers),
  checkUnusedLayers,
]
