// Comparing a list of layers with their blobs, in order, until a deadline: the work of the layer
// check worker (or of this process, as real root). Kept apart from the worker's entry point so
// that both run the same code.
import * as path from 'node:path'
import {createInterface} from 'node:readline'

import {TspodError} from '../../../errors'
import {UserNamespaceMapping} from '../../../userns/idmap'
import {spawnInNamespaces} from '../../../userns/spawn'
import {collect} from '../remove-tree'
import {workerFailure} from '../worker-io'
import {LayerCompareOptions, LayerComparison, compareLayerWithBlob} from './layer-compare'

export interface LayerCheckJob {
  layers: {id: string; blob: string; diff: string}[]
  options: LayerCompareOptions
  /** epoch ms after which no layer is checked any further (undefined: no limit) */
  deadline?: number
}

/** One line of the worker's output: a layer compared, or one not checked for lack of time. */
export type LayerCheckLine = {id: string; comparison: LayerComparison} | {id: string; skipped: true} | {fatal: string}

export async function runLayerCheckJob(job: LayerCheckJob, emit: (line: LayerCheckLine) => void): Promise<void> {
  for (const layer of job.layers) {
    if (job.deadline !== undefined && Date.now() >= job.deadline) {
      emit({id: layer.id, skipped: true})
      continue
    }
    try {
      const comparison = await compareLayerWithBlob(layer.blob, layer.diff, {...job.options, deadline: job.deadline})
      emit(comparison.outOfTime ? {id: layer.id, skipped: true} : {id: layer.id, comparison})
    } catch (err) {
      const comparison: LayerComparison = {differences: [`.: cannot be checked: ${(err as Error).message}`], differenceCount: 1, entries: 0}
      emit({id: layer.id, comparison})
    }
  }
}

export const LAYER_CHECK_WORKER = path.join(__dirname, 'layer-check-worker.js')

/**
 * Run the job: in a worker inside the user namespace given a mapping (rootless), else here.
 * `onLine` sees each layer's result as it comes.
 */
export async function compareLayers(job: LayerCheckJob, mapping: UserNamespaceMapping | undefined, onLine: (line: LayerCheckLine) => void): Promise<void> {
  if (!mapping) return runLayerCheckJob(job, onLine)
  const keep = ['PATH', 'HOME', 'LANG', 'NODE_OPTIONS']
  const env = keep.filter((k) => process.env[k] !== undefined).map((k) => `${k}=${process.env[k]}`)
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping,
    command: {file: process.execPath, argv: [process.execPath, LAYER_CHECK_WORKER], env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin!.on('error', () => undefined)
  child.stdin!.end(JSON.stringify(job))
  const stderr = collect(child.stderr!)
  let fatal: string | undefined
  let answered = 0
  for await (const text of createInterface({input: child.stdout!, crlfDelay: Infinity})) {
    if (!text.trim()) continue
    let line: LayerCheckLine
    try {
      line = JSON.parse(text) as LayerCheckLine
    } catch {
      fatal ??= `unexpected output from the layer check worker: ${text}`
      continue
    }
    if ('fatal' in line) fatal ??= line.fatal
    else {
      answered++
      onLine(line)
    }
  }
  const exit = await child.exited
  if (fatal !== undefined) throw new TspodError(fatal)
  if (exit.code !== 0 || answered !== job.layers.length) {
    throw new TspodError(`checking layers: ${workerFailure(exit, await stderr)}`)
  }
}
