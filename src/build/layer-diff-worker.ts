// The process that writes layer tars inside a user namespace, as its root (spawned by
// layer-diff.ts): a container's read-write layer (commit, RUN) or a COPY/ADD layer. Reads the job
// as JSON on stdin; writes one JSON line ({ok: true, …result} or {ok: false, error}) on stdout.
import {emitLine, runWorker} from '../storage/store/worker-io'
import {CopyLayerJob, copySourcesDigest, writeCopyLayer} from './copy-layer'
import {LayerTarJob, writeLayerTar} from './layer-tar'

export type LayerWorkerJob = ({kind: 'diff'} & LayerTarJob) | ({kind: 'copy'} & CopyLayerJob) | ({kind: 'digest'} & CopyLayerJob)

async function main(): Promise<number> {
  try {
    let text = ''
    for await (const chunk of process.stdin) text += chunk
    const job = JSON.parse(text) as LayerWorkerJob
    const result = job.kind === 'copy' ? await writeCopyLayer(job) : job.kind === 'digest' ? {digest: await copySourcesDigest(job)} : await writeLayerTar(job)
    emitLine({ok: true, ...result})
    return 0
  } catch (err) {
    emitLine({ok: false, error: (err as Error).message})
    return 1
  }
}

runWorker(main)
