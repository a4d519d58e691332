// Every layer against its kept blob (overlay/<id>/blob): the blob must still be the one pulled
// (its digest and DiffID), and overlay/<id>/diff must be what unpacking it made. A damaged diff
// is rebuilt from the blob with no network, the way a pull unpacks it; a layer whose blob is
// gone or corrupt cannot be, and the images using it are removed instead (images.ts).
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import {ignoreChownErrors} from '../../config/storage-conf'
import {unpackLayers} from '../archive/unpack'
import {mappedLayersRoot} from '../mapped-layers/mapped-layers'
import type {Layer} from '../layers'
import type {Store} from '../store'
import {LAYER_ROOT_MODE} from '../../image/transports/containers-storage/destination'
import {imageLabel, listed, shortId} from './describe'
import {Finding} from './finding'
import {ImageCheckOptions, removeDamagedImages} from './images'
import {LayerCheckJob, LayerCheckLine, compareLayers} from './layer-check-job'
import {LayerComparison} from './layer-compare'

export interface LayerCheckOptions extends ImageCheckOptions {
  /** types, sizes, modes, owners and presence only; without it, every file's bytes too */
  quick?: boolean
  /** stop checking after this many milliseconds; the layers left are named as not checked */
  maxMs?: number
  /**
   * Whether a container is running (the runtime's state, which storage cannot read). A layer that
   * a running container uses is not rebuilt: its overlay mount still reads the damaged dir.
   */
  containerIsRunning?: (id: string) => boolean
}

type Verdict =
  | {state: 'clean'}
  | {state: 'damaged'; summary: string}
  | {state: 'unrebuildable'; summary: string}
  | {state: 'skipped'}

function describeDifferences(c: LayerComparison): string {
  const more = c.differenceCount - c.differences.length
  return c.differences.join('; ') + (more > 0 ? `; and ${more} more` : '')
}

function verdict(layer: Layer, c: LayerComparison): Verdict {
  if (layer.compressedDigest && c.blobDigest !== undefined && c.blobDigest !== layer.compressedDigest)
    return {state: 'unrebuildable', summary: `blob corrupt: its digest is ${c.blobDigest}, expected ${layer.compressedDigest}`}
  if (c.blobError !== undefined) return {state: 'unrebuildable', summary: c.blobError}
  if (c.diffID !== layer.diffDigest) return {state: 'unrebuildable', summary: `blob corrupt: its DiffID is ${c.diffID}, expected ${layer.diffDigest}`}
  if (c.differenceCount > 0) return {state: 'damaged', summary: describeDifferences(c)}
  return {state: 'clean'}
}

/** Compare the layers with their blobs (in the user namespace when rootless). */
async function compare(store: Store, layers: Layer[], opts: {quick?: boolean; deadline?: number}): Promise<Map<string, LayerComparison | 'skipped'>> {
  const rootless = store.mapping !== undefined
  const job: LayerCheckJob = {
    layers: layers.map((l) => ({id: l.id, blob: store.layout.blobFile(l.id), diff: store.layout.diffDir(l.id)})),
    options: {
      full: !opts.quick,
      ignoreChownErrors: ignoreChownErrors(store.config),
      devicesAllowed: !rootless,
      opaqueXattr: store.layout.driver.opaqueXattr(rootless),
      fullTree: store.layout.driver.fullCopies,
    },
    deadline: opts.deadline,
  }
  const results = new Map<string, LayerComparison | 'skipped'>()
  await compareLayers(job, store.mapping, (line: LayerCheckLine) => {
    if ('skipped' in line) results.set(line.id, 'skipped')
    else if ('comparison' in line) results.set(line.id, line.comparison)
  })
  return results
}

/**
 * Unpack the layer's blob again into a staging dir, as a pull does (inside the user namespace),
 * then swap it for the damaged diff under the layers lock, held exclusively as for a deletion.
 */
export async function rebuildLayer(store: Store, layer: Layer): Promise<void> {
  const staging = store.newWorkDir('staging')
  try {
    const fresh = store.layout.driver.stagedContentsDir(staging)
    fs.mkdirSync(fresh)
    await unpackLayers(
      [
        {
          blob: store.layout.blobFile(layer.id),
          dest: fresh,
          expectedDiffID: layer.diffDigest,
          digest: layer.compressedDigest ?? undefined,
          fullTree: store.layout.driver.fullCopies ? {parent: layer.parent === null ? undefined : store.layout.diffDir(layer.parent)} : undefined,
        },
      ],
      {mapping: store.mapping, ignoreChownErrors: ignoreChownErrors(store.config)},
    )
    await store.withLayersLock('exclusive', async () => {
      if (!store.layers.has(layer.id)) throw new TspodError(`layer ${layer.id} was removed while it was being rebuilt`)
      const diff = store.layout.diffDir(layer.id)
      if (fs.existsSync(diff)) {
        fs.chmodSync(diff, 0o700) // moving a dir to another parent needs write access to it
        fs.renameSync(diff, path.join(staging, 'damaged'))
      }
      fs.renameSync(fresh, diff)
      fs.chmodSync(diff, LAYER_ROOT_MODE)
      // keep-id copies were made from the damaged layer: the next start makes them anew
      await store.removeTrees(mappedCopiesOf(store, layer.id))
    })
  } finally {
    await store.removeTrees([staging])
  }
}

/** mapped-layers/<top>-<hash> copies of the images that have the layer (mapped-layers.ts). */
function mappedCopiesOf(store: Store, layerId: string): string[] {
  const tops = new Set(imagesUsing(store, layerId).flatMap((id) => store.images.get(id)?.layers.slice(-1) ?? []))
  const root = mappedLayersRoot(store)
  let names: string[] = []
  try {
    names = fs.readdirSync(root)
  } catch {
    return []
  }
  return names.filter((name) => tops.has(name.replace(/-[0-9a-f]{16}$/, ''))).map((name) => path.join(root, name))
}

function imagesUsing(store: Store, layerId: string): string[] {
  return store.images.list().filter((i) => i.layers.includes(layerId)).map((i) => i.id)
}

/** Names of the running containers whose image has the layer. */
function runningUsers(store: Store, layerId: string, isRunning: ((id: string) => boolean) | undefined): string[] {
  if (!isRunning) return []
  const images = new Set(imagesUsing(store, layerId))
  return store.containers
    .list()
    .filter((c) => images.has(c.imageId) && isRunning(c.id))
    .map((c) => c.name)
}

/**
 * Check every complete layer whose dir is there (a layer dir gone altogether is an image's
 * missing layer: checkImages). With `repair`, rebuild the damaged ones and check them again,
 * and remove the images whose layers cannot be rebuilt.
 */
export async function checkLayers(store: Store, opts: LayerCheckOptions = {}): Promise<Finding[]> {
  const started = Date.now()
  const layers = store.layers.list().filter((l) => !l.incomplete && fs.existsSync(store.layout.layerDir(l.id)))
  const deadline = opts.maxMs !== undefined ? started + opts.maxMs : undefined
  const results = await compare(store, layers, {quick: opts.quick, deadline})
  const findings: Finding[] = []
  const skipped: string[] = []
  const toRebuild: Layer[] = []
  const unrebuildable = new Map<string, string>()
  /** damaged beyond repair, and no image uses them */
  const unused: string[] = []
  for (const layer of layers) {
    const c = results.get(layer.id)
    // a layer removed while it was compared (an rmi) is no damage: the check holds no lock
    if (!store.layers.has(layer.id) || !fs.existsSync(store.layout.layerDir(layer.id))) continue
    const v: Verdict = c === undefined || c === 'skipped' ? {state: 'skipped'} : verdict(layer, c)
    if (v.state === 'skipped') skipped.push(layer.id)
    if (v.state !== 'damaged' && v.state !== 'unrebuildable') continue
    const users = imagesUsing(store, layer.id)
    const labels = users.flatMap((id) => {
      const image = store.images.get(id)
      return image ? [imageLabel(image)] : []
    })
    const usedBy = labels.length > 0 ? `; used by ${listed(labels)}` : ''
    if (v.state === 'damaged') {
      findings.push({kind: 'layer', subject: layer.id, message: `layer ${shortId(layer.id)}: ${v.summary}${usedBy}`})
      toRebuild.push(layer)
    } else {
      const cannot = v.summary.startsWith('blob corrupt') ? 'it cannot be rebuilt' : 'it cannot be checked or rebuilt'
      findings.push({kind: 'layer', subject: layer.id, message: `layer ${shortId(layer.id)}: ${v.summary}: ${cannot}${usedBy}`})
      for (const id of users) unrebuildable.set(id, unrebuildable.has(id) ? unrebuildable.get(id)! : `its layer ${shortId(layer.id)} cannot be rebuilt (${v.summary})`)
      if (users.length === 0) unused.push(layer.id)
    }
  }
  if (skipped.length > 0)
    findings.push({
      kind: 'not-checked',
      subject: skipped.join(' '),
      message: `${skipped.length} of ${layers.length} layers not checked: the limit of ${opts.maxMs} ms was reached: ${listed(skipped.map(shortId))}`,
    })
  if (!opts.repair) return findings

  for (const layer of toRebuild) {
    const running = runningUsers(store, layer.id, opts.containerIsRunning)
    if (running.length > 0) {
      findings.push({
        kind: 'layer',
        subject: layer.id,
        message: `layer ${shortId(layer.id)}: not rebuilt`,
        error: `running ${running.length === 1 ? 'container' : 'containers'} ${listed(running)} ${running.length === 1 ? 'uses' : 'use'} it: stop ${running.length === 1 ? 'it' : 'them'} and repair again`,
      })
      continue
    }
    try {
      await rebuildLayer(store, layer)
      const again = (await compare(store, [layer], {quick: opts.quick})).get(layer.id)
      const v = again === undefined || again === 'skipped' ? undefined : verdict(layer, again)
      if (v?.state !== 'clean') throw new TspodError(`still damaged after the rebuild: ${v && 'summary' in v ? v.summary : 'not checked'}`)
      findings.push({kind: 'layer', subject: layer.id, message: `layer ${shortId(layer.id)}: rebuilt from its blob`, repaired: true})
    } catch (err) {
      findings.push({kind: 'layer', subject: layer.id, message: `layer ${shortId(layer.id)}: not rebuilt`, error: (err as Error).message})
    }
  }
  if (unrebuildable.size > 0) findings.push(...(await removeDamagedImages(store, unrebuildable, opts)))
  if (unused.length > 0) {
    // what rmi would remove anyway: layers no image uses, that are no other layer's parent
    await store.withLayersLock('exclusive', () => store.removeUnreferencedLayers())
    for (const id of unused)
      findings.push(
        store.layers.get(id) === undefined
          ? {kind: 'layer', subject: id, message: `layer ${shortId(id)}: removed: no image uses it`, repaired: true}
          : {kind: 'layer', subject: id, message: `layer ${shortId(id)}: not removed`, error: 'a pull is reusing it, or it is the parent of another layer'},
      )
  }
  return findings
}
