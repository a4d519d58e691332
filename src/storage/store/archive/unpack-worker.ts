// The process that unpacks layers inside the rootless user namespace, as its root (spawned by
// unpackLayers). Reads an UnpackWorkerJob as JSON on stdin; writes one JSON line per warning and
// per layer ({ok: true, diffID, size, entries} or {ok: false, error}) on stdout, and stops at the
// first failing layer. Exit status 0 when every layer was unpacked. A job whose one layer's blob
// is STDIN_BLOB is a line of JSON followed by that blob's bytes.
import {emitLine, readJobLine, runWorker} from '../worker-io'
import {STDIN_BLOB, UnpackWorkerJob, UnpackWorkerLine, applyLayerJob} from './unpack'

function emit(line: UnpackWorkerLine): void {
  emitLine(line)
}

async function main(): Promise<number> {
  let job: UnpackWorkerJob
  try {
    job = await readJobLine<UnpackWorkerJob>()
    if (job.layers.some((l) => l.blob === STDIN_BLOB) && job.layers.length !== 1) throw new Error('a blob on stdin is the only layer')
  } catch (err) {
    emit({ok: false, error: `invalid unpack job: ${(err as Error).message}`})
    return 1
  }
  const onWarning = (warning: string): void => emit({warning})
  for (const [i, layer] of job.layers.entries()) {
    try {
      const input = layer.blob === STDIN_BLOB ? process.stdin : undefined
      const result = await applyLayerJob(layer, i, {ignoreChownErrors: job.ignoreChownErrors === true, onWarning, input})
      emit({ok: true, ...result})
    } catch (err) {
      emit({ok: false, error: (err as Error).message})
      return 1
    }
  }
  return 0
}

runWorker(main)
