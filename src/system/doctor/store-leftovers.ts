// What the store's files and rows should agree on: layer dirs without a row (orphans), rows
// without their dir, rows and work dirs of tspod processes that died, and mounts left below
// the graph root. Doctor only reads here; the repairs run under `doctor --fix`, as the user
// (trees that hold files owned by subordinate ids are removed inside the user namespace).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {unmount, unmountableBy} from '../../storage/store/check/leftover-mounts'
import {removeAsMappedRoot} from '../../storage/store/remove-tree'
import {Database} from '../../storage/store/db/connection'
import {MountEntry, mountsBelow} from '../../storage/store/preflight/mountinfo'
import {shellQuote} from '../../storage/store/preflight/shell-quote'
import type {StoreLayout} from '../../storage/store/layout'
import {layoutOf} from '../../storage/store/store-record'
import {isOwnerAlive} from '../../storage/store/owner'
import {CheckGroup, CheckResult, Repair, fail, ok, warn} from './check-result'
import {DoctorContext, realPath} from './context'
import {databaseFile, openReadOnly} from './store-database'

interface LayerRow {
  id: string
  incomplete: number
  owner: string | null
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort()
  } catch {
    return []
  }
}

function short(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id
}

function listed(items: string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ')
}

function plural(n: number, word: string): string {
  if (n === 1) return `${n} ${word}`
  return `${n} ${word.endsWith('y') ? word.slice(0, -1) + 'ies' : word + 's'}`
}

/** The mapping the store's trees are written in (undefined for real root, as Store does). */
function storeMapping(ctx: DoctorContext) {
  return ctx.rootless ? ctx.mapping : undefined
}

function removalRepair(ctx: DoctorContext, what: string, dirs: string[], stillStale: (dir: string) => boolean): Repair {
  return {
    description: `removed ${what}: ${dirs.join(', ')}`,
    apply: async () => removeAsMappedRoot(dirs.filter(stillStale), storeMapping(ctx)),
  }
}

function layerIds(file: string): Set<string> {
  const db = openReadOnly(file)
  if (!db) return new Set()
  try {
    return new Set((db.prepare('SELECT id FROM layers').all() as {id: string}[]).map((r) => r.id))
  } finally {
    db.close()
  }
}

function orphanLayers(ctx: DoctorContext, layout: StoreLayout, rows: LayerRow[] | undefined): CheckResult {
  const check = 'orphan layer dirs'
  if (!rows) return warn(check, 'not checked: the store database cannot be read (see the store database line)', '')
  const known = new Set(rows.map((r) => r.id))
  const orphans = listDir(layout.overlayDir).filter((name) => !known.has(name))
  if (orphans.length === 0) return ok(check, `every entry of ${layout.overlayDir} has a layer row`)
  const dirs = orphans.map((o) => layout.layerDir(o))
  const file = databaseFile(ctx)
  return warn(
    check,
    `${plural(orphans.length, 'entry')} in ${layout.overlayDir} without a layer row (no image can use them; they only take space): ${listed(orphans.map(short))}`,
    '`tspod doctor --fix` removes them',
    {repairs: [removalRepair(ctx, plural(orphans.length, 'orphan layer dir'), dirs, (d) => !layerIds(file).has(path.basename(d)))]},
  )
}

function imagesUsing(db: Database, layer: string): string[] {
  const rows = db
    .prepare(
      `SELECT il.image_id AS id, (SELECT name FROM image_names n WHERE n.image_id = il.image_id ORDER BY name LIMIT 1) AS name
         FROM image_layers il WHERE il.layer_id = ? ORDER BY il.image_id`,
    )
    .all(layer) as {id: string; name: string | null}[]
  return [...new Set(rows.map((r) => r.name ?? short(r.id)))]
}

function missingLayerDirs(layout: StoreLayout, rows: LayerRow[] | undefined, db: Database | undefined): CheckResult {
  const check = 'missing layer dirs'
  if (!rows) return warn(check, 'not checked: the store database cannot be read (see the store database line)', '')
  const missing = rows.filter((r) => r.incomplete === 0 && !fs.existsSync(layout.diffDir(r.id)))
  if (missing.length === 0 || !db) return ok(check, `every complete layer row has its dir under ${layout.overlayDir}`)
  const images = [...new Set(missing.flatMap((r) => imagesUsing(db, r.id)))]
  const what = missing.map((r) => `${short(r.id)} (${layout.diffDir(r.id)})`)
  const fix = images.length > 0
    ? `remove the images that use them and pull them again: \`tspod rmi ${images.map(shellQuote).join(' ')}\``
    : '`tspod image prune -f` drops rows of layers no image uses (it also removes images without a name)'
  return fail(check, `${plural(missing.length, 'layer')} with a row but no dir: ${listed(what)}${images.length ? `; used by ${listed(images)}` : ''}`, fix)
}

function abandonedRows(rows: LayerRow[] | undefined): CheckResult {
  const check = 'abandoned layer rows'
  if (!rows) return warn(check, 'not checked: the store database cannot be read (see the store database line)', '')
  const dead = rows.filter((r) => r.incomplete === 1 && !(r.owner && isOwnerAlive(r.owner)))
  if (dead.length === 0) return ok(check, 'no incomplete layer rows of dead tspod processes')
  return warn(
    check,
    `${plural(dead.length, 'incomplete layer row')} written by tspod processes that died mid-pull: ${listed(dead.map((r) => `${short(r.id)} (owner ${r.owner ?? 'none'})`))}`,
    'any tspod command that opens the store removes them, e.g. `tspod images`',
  )
}

function leftoverWorkDirs(ctx: DoctorContext, layout: StoreLayout): CheckResult {
  const check = 'leftover work dirs'
  const dead = [layout.tmpDir, layout.stagingDir].flatMap((parent) => listDir(parent).filter((n) => !isOwnerAlive(n)).map((n) => path.join(parent, n)))
  if (dead.length === 0) return ok(check, `no entries of dead tspod processes in ${layout.tmpDir} or ${layout.stagingDir}`)
  const rel = dead.map((d) => path.relative(layout.graphRoot, d))
  return warn(
    check,
    `${plural(dead.length, 'entry')} left by tspod processes that died (a killed pull): ${listed(rel)}`,
    '`tspod doctor --fix` removes them (so does any tspod command that opens the store)',
    {repairs: [removalRepair(ctx, plural(dead.length, 'leftover work dir'), dead, (d) => !isOwnerAlive(path.basename(d)))]},
  )
}

/** Mounts the user may undo without root: FUSE mounts it made itself (or any, as root). */
function unmountableByUser(ctx: DoctorContext, m: MountEntry): boolean {
  return unmountableBy(ctx.rootless ? ctx.user.uid : undefined, m)
}

function staleMounts(ctx: DoctorContext): CheckResult {
  const check = 'stale mounts'
  const graphRoot = realPath(ctx.config.graphRoot)
  const below = mountsBelow(graphRoot, ctx.mounts())
  if (below.length === 0) return ok(check, `no mounts below ${ctx.config.graphRoot}`)
  const mine = below.filter((m) => unmountableByUser(ctx, m))
  const others = below.filter((m) => !unmountableByUser(ctx, m))
  const rootCommands = others.map((m) => `umount ${shellQuote(m.mountPoint)}`)
  const repairs: Repair[] = mine.map((m) => ({
    description: `unmounted ${m.mountPoint}`,
    apply: () => unmount(m, ctx.rootless),
  }))
  const fixes = [
    ...(mine.length ? ['`tspod doctor --fix` unmounts ' + listed(mine.map((m) => m.mountPoint))] : []),
    ...(others.length ? [`as root: ${rootCommands.map((c) => `\`${c}\``).join(' and ')}`] : []),
  ]
  return warn(
    check,
    `${plural(below.length, 'mount')} below the graph root, left behind (tspod's rootless mounts live in private mount namespaces and never show here): ` +
      listed(below.map((m) => `${m.mountPoint} (${m.fsType})`)),
    fixes.join('; '),
    {repairs, rootCommands},
  )
}

function readRows(ctx: DoctorContext): {rows?: LayerRow[]; db?: Database} {
  try {
    const db = openReadOnly(databaseFile(ctx))
    if (!db) return {rows: []}
    return {db, rows: db.prepare('SELECT id, incomplete, owner FROM layers ORDER BY id').all() as LayerRow[]}
  } catch {
    return {}
  }
}

export const leftoverChecks: CheckGroup = {
  name: 'leftovers',
  summary: 'orphan layer dirs, rows without dirs, leftovers of dead writers, stale mounts below the graph root',
  async run(ctx) {
    const layout = layoutOf(ctx.config)
    const walk = ctx.storeWalks()[0]
    if (!walk.ok) return [warn('store contents', `not checked: ${ctx.config.graphRoot} cannot be reached (see the graph root path line)`, '')]
    if (walk.missing) return [ok('store contents', `${ctx.config.graphRoot} does not exist yet: nothing is stored`)]
    const {rows, db} = readRows(ctx)
    try {
      return [staleMounts(ctx), orphanLayers(ctx, layout, rows), missingLayerDirs(layout, rows, db), abandonedRows(rows), leftoverWorkDirs(ctx, layout)]
    } finally {
      db?.close()
    }
  },
}
