// The process that copies layers with shifted owners inside the store's user namespace, as its
// root (spawned by buildMappedLayers). Reads a MappedLayersJob as JSON on stdin; writes one JSON
// line per layer ({ok: true, entries} or {ok: false, error}) and stops at the first failure.
import type {MappedLayersJob, MappedLayersLine} from './mapped-layers-build'
import {copyLayerShifted} from './shift-copy'

function emit(line: MappedLayersLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text
}

async function main(): Promise<number> {
  let job: MappedLayersJob
  try {
    job = JSON.parse(await readStdin()) as MappedLayersJob
    if (!Array.isArray(job.layers)) throw new Error('"layers" must be an array')
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

void main().then((code) => {
  process.exitCode = code
})
