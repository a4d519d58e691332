// The process that unpacks layers inside the rootless user namespace, as its root (spawned by
// unpackLayers). Reads an UnpackWorkerJob as JSON on stdin; writes one JSON line per warning and
// per layer ({ok: true, diffID, size, entries} or {ok: false, error}) on stdout, and stops at the
// first failing layer. Exit status 0 when every layer was unpacked.
import {emitLine, readLayersJob, runWorker} from '../worker-io'
import {UnpackWorkerJob, UnpackWorkerLine, applyLayerJob} from './unpack'

function emit(line: UnpackWorkerLine): void {
  emitLine(line)
}

async function main(): Promise<number> {
  let job: UnpackWorkerJob
  try {
    job = await readLayersJob<UnpackWorkerJob>()
  } catch (err) {
    emit({ok: false, error: `invalid unpack job: ${(err as Error).message}`})
    return 1
  }
  const onWarning = (warning: string): void => emit({warning})
  for (const [i, layer] of job.layers.entries()) {
    try {
      const result = await applyLayerJob(layer, i, {ignoreChownErrors: job.ignoreChownErrors === true, onWarning})
      emit({ok: true, ...result})
    } catch (err) {
      emit({ok: false, error: (err as Error).message})
      return 1
    }
  }
  return 0
}

runWorker(main)
