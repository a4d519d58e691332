// The process that unpacks layers inside the rootless user namespace, as its root (spawned by
// UnpackProcess; one for all the layers of a pull). Reads jobs as JSON lines on stdin,
// {id, job: UnpackWorkerJob}, and starts each as it arrives, so that a layer whose blob is in
// unpacks while another one still does. Writes JSON lines on stdout: {id, warning} for each
// warning, then one {id, ok: true, layers} or {id, ok: false, error} per job (a job's layers
// go in order and it stops at its first failing layer). Exits once stdin ends and every job is
// answered: status 0 when every job succeeded.
import {createInterface} from 'node:readline'

import {emitLine, runWorker} from '../worker-io'
import {UnpackWorkerJob, UnpackedLayer, applyLayerJob} from './unpack'
import type {UnpackProcessLine, UnpackProcessRequest} from './unpack-process'

function emit(line: UnpackProcessLine): void {
  emitLine(line)
}

async function runJob(id: number, job: UnpackWorkerJob): Promise<boolean> {
  const onWarning = (warning: string): void => emit({id, warning})
  const layers: UnpackedLayer[] = []
  try {
    if (!Array.isArray(job?.layers)) throw new Error('invalid unpack job: "layers" must be an array')
    for (const [i, layer] of job.layers.entries()) layers.push(await applyLayerJob(layer, i, {ignoreChownErrors: job.ignoreChownErrors === true, onWarning}))
  } catch (err) {
    emit({id, ok: false, error: (err as Error).message})
    return false
  }
  emit({id, ok: true, layers})
  return true
}

async function main(): Promise<number> {
  const running: Promise<boolean>[] = []
  for await (const line of createInterface({input: process.stdin, crlfDelay: Infinity})) {
    if (!line.trim()) continue
    let request: UnpackProcessRequest
    try {
      request = JSON.parse(line) as UnpackProcessRequest
    } catch (err) {
      emit({id: -1, ok: false, error: `invalid unpack job: ${(err as Error).message}`})
      running.push(Promise.resolve(false))
      continue
    }
    running.push(runJob(request.id, request.job))
  }
  return (await Promise.all(running)).every(Boolean) ? 0 : 1
}

runWorker(main)
