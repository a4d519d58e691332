// Making the layer copy a container's id mapping needs (see mapped-layers.ts): built in a
// staging dir of this process, as root of the store's user namespace, then renamed into
// mapped-layers/. A build killed half way leaves only its staging dir, which the next Store.open
// removes; two builds of the same copy race harmlessly, the second one's copy is dropped.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {createInterface} from 'node:readline'

import {TspodError} from '../../../errors'
import {spawnNodeWorker} from '../../../userns/node-worker'
import {spawnInNamespaces} from '../../../userns/spawn'
import {IdShift, shiftId} from './id-shift'
import {ContainerIdMaps, MappedLayersPlan, mappedLayerDir, mappedLayersPlan, mappedLayersRoot} from './mapped-layers'
import {collect} from '../remove-tree'
import {workerFailure} from '../worker-io'
import {ShiftedCopyJob, copyLayerShifted} from './shift-copy'
import type {Image} from '../images/images'
import type {Store} from '../store'

/** What the worker reads on stdin. */
export interface MappedLayersJob {
  layers: ShiftedCopyJob[]
  uids: IdShift
  gids: IdShift
}

/** One line of the worker's stdout. */
export type MappedLayersLine = {ok: true; entries: number} | {ok: false; error: string}

export const MAPPED_LAYERS_WORKER = path.join(__dirname, 'mapped-layers-worker.js')

async function copyInNamespace(store: Store, job: MappedLayersJob): Promise<void> {
  const child = await spawnNodeWorker(MAPPED_LAYERS_WORKER, store.mapping!)
  child.stdin!.end(JSON.stringify(job))
  const stderr = collect(child.stderr!)
  let copied = 0
  let failure: string | undefined
  for await (const line of createInterface({input: child.stdout!, crlfDelay: Infinity})) {
    if (!line.trim()) continue
    try {
      const parsed = JSON.parse(line) as MappedLayersLine
      if (parsed.ok) copied++
      else failure ??= parsed.error
    } catch {
      failure ??= `unexpected output from the mapped-layers worker: ${line}`
    }
  }
  const exit = await child.exited
  if (failure !== undefined) throw new TspodError(failure)
  if (exit.code !== 0 || copied !== job.layers.length) {
    throw new TspodError(`copying layers for a container's id mapping: ${workerFailure(exit, await stderr)}`)
  }
}

async function build(store: Store, image: Image, plan: MappedLayersPlan): Promise<void> {
  const root = mappedLayersRoot(store)
  fs.mkdirSync(root, {recursive: true, mode: 0o700})
  const work = store.newWorkDir('staging')
  try {
    const built = path.join(work, 'layers')
    fs.mkdirSync(built, {mode: 0o700})
    const layers = image.layers.map((layer, i) => ({src: store.layout.diffDir(layer), dest: mappedLayerDir(built, i)}))
    const job: MappedLayersJob = {layers, uids: plan.uids, gids: plan.gids}
    if (store.mapping) await copyInNamespace(store, job)
    else for (const layer of layers) copyLayerShifted(layer, plan.uids, plan.gids)
    // under the layers lock: rmi removes copies whose top layer is gone under it (exclusively),
    // so a copy put in place here is never one of a layer deleted meanwhile
    await store.withLayersLock('shared', () => {
      const top = image.layers.at(-1)!
      if (!store.layers.has(top)) throw new TspodError(`the layers of image ${image.id} were removed from the store while a copy of them was made`)
      try {
        fs.renameSync(built, plan.dir)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        // another process made the same copy meanwhile: use that one, drop this one
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw new TspodError(`${plan.dir}: ${(err as Error).message}`, {cause: err})
      }
    })
  } finally {
    await store.removeTrees([work])
  }
}

/**
 * Make sure the layer copy for the container's mapping exists (nothing to do for a container on
 * the original layers); called when a container is created and again before it starts.
 */
export async function ensureMappedLayers(store: Store, image: Image, maps: ContainerIdMaps | undefined): Promise<void> {
  const plan = mappedLayersPlan(store, image, maps)
  if (!plan || fs.existsSync(plan.dir)) return
  await build(store, image, plan)
}

/**
 * Give a container's upper dir (its /) and the files tspod binds into it (/etc/hosts and the
 * like) to the container's root, as containers-storage creates a layer for its own id mapping and
 * Podman chowns those files: created by the user, they would show as the user's otherwise.
 */
export async function chownToContainerRoot(store: Store, image: Image, maps: ContainerIdMaps | undefined, paths: string[]): Promise<void> {
  const plan = mappedLayersPlan(store, image, maps)
  if (!plan || paths.length === 0) return
  const owner = `${shiftId(plan.uids, 0, 'uid', paths[0])}:${shiftId(plan.gids, 0, 'gid', paths[0])}`
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping: store.mapping!,
    command: {file: '/bin/chown', argv: ['chown', '-h', owner, '--', ...paths.map((p) => path.resolve(p))], env: ['PATH=/usr/bin:/bin', 'LC_ALL=C']},
    stdio: ['inherit', 'inherit', 'pipe'],
  })
  const stderr = collect(child.stderr!)
  const exit = await child.exited
  if (exit.code !== 0) throw new TspodError(`${paths.join(', ')}: changing owner to the container's root: ${(await stderr).trim().split('\n')[0] || `chown exit status ${exit.code}`}`)
}
