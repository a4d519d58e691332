// The process that copies layers with shifted owners inside the store's user namespace, as its
// root (spawned by buildMappedLayers). Reads a MappedLayersJob as JSON on stdin; writes one JSON
// line per layer ({ok: true, entries} or {ok: false, error}) and stops at the first failure.
import type {MappedLayersJob, MappedLayersLine} from './mapped-layers-build'
import {copyLayerShifted} from './shift-copy'
import {emitLine, readLayersJob, runWorker} from '../worker-io'

function emit(line: MappedLayersLine): void {
  emitLine(line)
}

async function main(): Promise<number> {
  let job: MappedLayersJob
  try {
    job = await readLayersJob<MappedLayersJob>()
  } catch (err) {
    emit({ok: false, error: `invalid mapped-layers job: ${(err as Error).message}`})
    return 1
  }
  for (const layer of job.layers) {
    try {
      emit({ok: true, entries: copyLayerShifted(layer, job.uids, job.gids)})
    } catch (err) {
      emit({ok: false, error: (err as Error).message})
      return 1
    }
  }
  return 0
}

runWorker(main)
