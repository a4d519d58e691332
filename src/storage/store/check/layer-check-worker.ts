// The process that compares layers with their blobs inside the rootless user namespace, as its
// root (spawned by compareLayers), where every file of a layer can be read and shows its image
// owner. Reads a LayerCheckJob as JSON on stdin; writes one JSON line per layer on stdout.
import {emitLine, readLayersJob, runWorker} from '../worker-io'
import {LayerCheckJob, runLayerCheckJob} from './layer-check-job'

async function main(): Promise<number> {
  let job: LayerCheckJob
  try {
    job = await readLayersJob<LayerCheckJob>()
  } catch (err) {
    emitLine({fatal: `invalid layer check job: ${(err as Error).message}`})
    return 1
  }
  await runLayerCheckJob(job, emitLine)
  return 0
}

runWorker(main)
