// The process that tars a container's read-write layer inside the container's user namespace, as
// its root (spawned by diffLayer). Reads a LayerTarJob as JSON on stdin; writes one JSON line
// ({ok: true, diffID, size} or {ok: false, error}) on stdout.
import {emitLine, runWorker} from '../storage/store/worker-io'
import {LayerTarJob, writeLayerTar} from './layer-tar'

async function main(): Promise<number> {
  try {
    let text = ''
    for await (const chunk of process.stdin) text += chunk
    const job = JSON.parse(text) as LayerTarJob
    emitLine({ok: true, ...(await writeLayerTar(job))})
    return 0
  } catch (err) {
    emitLine({ok: false, error: (err as Error).message})
    return 1
  }
}

runWorker(main)
