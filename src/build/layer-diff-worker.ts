// The process that writes layer tars inside a user namespace, as its root (spawned by
// layer-diff.ts): a container's read-write layer (commit, RUN) or a COPY/ADD layer; it also
// unpacks a build step's new layer into the store and gives a new cache mount dir its owner.
// Reads jobs as JSON lines on stdin, one at a time, until stdin ends (a build keeps one worker for
// all its steps); writes one JSON line per job ({ok: true, …result} or {ok: false, error}) on stdout.
import * as fs from 'node:fs'
import {createInterface} from 'node:readline'

import {emitLine, runWorker} from '../storage/store/worker-io'
import {UnpackWorkerJob, applyLayerJob} from '../storage/store/archive/unpack'
import {CopyLayerJob, copySourcesDigest, writeCopyLayer} from './copy-layer'
import {LayerTarJob, writeLayerTar} from './layer-tar'

export type LayerWorkerJob =
  | ({kind: 'diff'} & LayerTarJob)
  | ({kind: 'copy'} & CopyLayerJob)
  | ({kind: 'digest'} & CopyLayerJob)
  | ({kind: 'unpack'} & UnpackWorkerJob)
  | {kind: 'chown'; dir: string; uid: number; gid: number}

async function runJob(job: LayerWorkerJob): Promise<object> {
  if (job.kind === 'copy') return await writeCopyLayer(job)
  if (job.kind === 'digest') return {digest: await copySourcesDigest(job)}
  if (job.kind === 'chown') {
    // a new cache dir, owned by ids of the namespace (as `RUN --mount=type=cache,uid=…` asks)
    fs.lchownSync(job.dir, job.uid, job.gid)
    return {}
  }
  if (job.kind === 'unpack') {
    // the step's new layer into the store, as the store's unpack worker would
    const warnings: string[] = []
    const layers = []
    for (const [i, layer] of job.layers.entries()) layers.push(await applyLayerJob(layer, i, {ignoreChownErrors: job.ignoreChownErrors, onWarning: (w) => warnings.push(w)}))
    return {layers, warnings}
  }
  return await writeLayerTar(job)
}

async function main(): Promise<number> {
  let code = 0
  for await (const line of createInterface({input: process.stdin, crlfDelay: Infinity})) {
    if (!line.trim()) continue
    try {
      emitLine({ok: true, ...(await runJob(JSON.parse(line) as LayerWorkerJob))})
    } catch (err) {
      emitLine({ok: false, error: (err as Error).message})
      code = 1
    }
  }
  return code
}

runWorker(main)
