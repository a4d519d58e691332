// What dead tspod processes left behind: tmp/ and staging/ entries whose owner is gone, mounts
// below the graph root or the run root, and run-root dirs (with their lock files) of containers
// that no longer exist. Repair removes (or unmounts) each, re-checking under the owner's terms first.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {currentUser, isRootless} from '../../../userns/user'
import {tryLock} from '../lockfile'
import {mountsBelow, readMountInfo} from '../preflight/mountinfo'
import {isOwnerAlive} from '../owner'
import type {Store} from '../store'
import {shortId} from './describe'
import {Finding} from './finding'
import {unmount, unmountableBy} from './leftover-mounts'

export interface LeftoverCheckOptions {
  repair?: boolean
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort()
  } catch {
    return []
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p)
  } catch {
    return p
  }
}

async function repaired(subject: string, message: string, action: () => Promise<unknown> | unknown): Promise<Finding> {
  try {
    await action()
    return {kind: 'leftover', subject, message, repaired: true}
  } catch (err) {
    return {kind: 'leftover', subject, message: message.replace(/^removed/, 'not removed').replace(/^unmounted/, 'not unmounted'), error: (err as Error).message}
  }
}

/**
 * tmp/ and staging/ entries, and incomplete layers, of processes that are gone. The repair is
 * Store.cleanAbandoned, what every store opening does (the incomplete layers only when the
 * layers lock is free at once).
 */
async function abandoned(store: Store, opts: LeftoverCheckOptions): Promise<Finding[]> {
  const found: {subject: string; what: string; gone: () => boolean}[] = []
  for (const parent of [store.layout.tmpDir, store.layout.stagingDir]) {
    for (const name of listDir(parent)) {
      if (isOwnerAlive(name)) continue
      const dir = path.join(parent, name)
      found.push({subject: dir, what: path.relative(store.layout.graphRoot, dir), gone: () => !fs.existsSync(dir)})
    }
  }
  for (const layer of store.layers.abandoned())
    found.push({subject: layer.id, what: `incomplete layer ${shortId(layer.id)}`, gone: () => store.layers.get(layer.id) === undefined})
  const findings: Finding[] = found.map((f) => ({kind: 'leftover', subject: f.subject, message: `${f.what}: left by a tspod process that is gone`}))
  if (!opts.repair || found.length === 0) return findings
  let error: string | undefined
  try {
    await store.cleanAbandoned()
  } catch (err) {
    error = (err as Error).message
  }
  for (const f of found) {
    if (f.gone()) findings.push({kind: 'leftover', subject: f.subject, message: `${f.what}: removed`, repaired: true})
    else findings.push({kind: 'leftover', subject: f.subject, message: `${f.what}: not removed`, error: error ?? 'the layers lock is held by another tspod process: run the repair again'})
  }
  return findings
}

/**
 * Mounts below the graph root and the run root. A container's own mounts live in its mount
 * namespace, so any mount seen here outlived the tspod process that made it.
 */
async function mounts(store: Store, opts: LeftoverCheckOptions): Promise<Finding[]> {
  const user = currentUser()
  const rootless = isRootless(user)
  const all = readMountInfo()
  const below = [store.config.graphRoot, store.config.runRoot].flatMap((dir) => mountsBelow(realPath(dir), all))
  const findings: Finding[] = []
  for (const m of below) {
    const mine = unmountableBy(rootless ? user.uid : undefined, m)
    findings.push({
      kind: 'leftover',
      subject: m.mountPoint,
      message: `${m.mountPoint}: a ${m.fsType} mount left behind${mine ? '' : ` (only root can unmount it: umount ${m.mountPoint})`}`,
    })
    if (opts.repair && mine) findings.push(await repaired(m.mountPoint, `${m.mountPoint}: unmounted`, () => unmount(m, rootless)))
  }
  return findings
}

/** The graph root a bundle's container belongs to: its config.json's root.path is below it. */
function bundleBelongsTo(bundle: string, graphRoot: string): boolean {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8')) as {root?: {path?: string}}
    const root = config.root?.path
    return typeof root === 'string' && root.startsWith(`${realPath(graphRoot)}/`)
  } catch {
    return false // being written, or not tspod's: not ours to judge
  }
}

/**
 * <runRoot>/containers/<id> (and its lock file) of this store's containers without a row. Stores
 * of other graph roots may share the run root, so only bundles whose rootfs lies in this graph
 * root count. Removed under the container's lock, taken only if free.
 */
async function runRootEntries(store: Store, opts: LeftoverCheckOptions): Promise<Finding[]> {
  const findings: Finding[] = []
  const known = (id: string): boolean => store.containers.get(id) !== undefined
  const lockFile = (id: string): string => path.join(store.config.runRoot, 'locks', `container-${id}.lock`)
  const bundles = path.join(store.config.runRoot, 'containers')
  const graphRoot = store.layout.graphRoot
  for (const id of listDir(bundles)) {
    const bundle = path.join(bundles, id)
    if (known(id) || !bundleBelongsTo(bundle, graphRoot)) continue
    findings.push({kind: 'leftover', subject: bundle, message: `${bundle}: the run-root dir of a container that no longer exists`})
    if (!opts.repair) continue
    findings.push(
      await repaired(bundle, `${bundle}: removed`, () => {
        const held = tryLock(lockFile(id), 'exclusive')
        if (!held) throw new Error('its lock is held: a container with this id is being made')
        if (known(id)) return held.release()
        fs.rmSync(bundle, {recursive: true, force: true})
        held.releaseAndRemove()
      }),
    )
  }
  return findings
}

export async function checkLeftovers(store: Store, opts: LeftoverCheckOptions = {}): Promise<Finding[]> {
  return [...(await abandoned(store, opts)), ...(await mounts(store, opts)), ...(await runRootEntries(store, opts))]
}
