// Run `system check`'s checks in order against one store, opened here: a DB that cannot be
// opened is no failure of the run but the first finding (the database check reports it and,
// with --repair, rebuilds it).
import type {StorageConfig} from '../../config/storage-conf'
import {DamagedDatabaseError} from '../db/connection'
import type {RebuildPart} from '../rebuild'
import {Store} from '../store'
import type {Check, CheckContext, CheckOptions, RuntimeHooks} from './check'
import type {Finding} from './finding'

export interface CheckRun {
  config: StorageConfig
  options: CheckOptions
  checks: Check[]
  rebuildParts: RebuildPart[]
  runtime: RuntimeHooks
}

async function openStore(ctx: CheckContext): Promise<void> {
  try {
    // abandoned pulls' leftovers stay for the leftovers check to report (and remove with --repair)
    ctx.store = await Store.open(ctx.config, undefined, {keepAbandoned: true})
    ctx.openError = undefined
  } catch (err) {
    if (!(err instanceof DamagedDatabaseError)) throw err
    ctx.store = undefined
    ctx.openError = err
  }
}

export async function runChecks(run: CheckRun): Promise<Finding[]> {
  const ctx: CheckContext = {
    config: run.config,
    options: run.options,
    store: undefined,
    rebuildParts: run.rebuildParts,
    runtime: run.runtime,
    reopen: () => openStore(ctx),
  }
  await openStore(ctx)
  try {
    const findings: Finding[] = []
    for (const check of run.checks) findings.push(...(await check(ctx)))
    return findings
  } finally {
    ctx.store?.close()
  }
}
