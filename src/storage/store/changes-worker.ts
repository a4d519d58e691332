// The process that reads a read-write layer's changes inside the rootless user namespace, as its
// root (spawned by changes-as-root.ts), where dirs owned by subordinate ids can be read too.
// Reads {layers: [upper, ...lowers (top first)]} as JSON on stdin; writes one JSON line,
// {changes} or {fatal}.
import {layerChanges} from './changes'
import {emitLine, readLayersJob, runWorker} from './worker-io'

async function main(): Promise<number> {
  try {
    const [upper, ...lowers] = (await readLayersJob<{layers: string[]}>()).layers
    emitLine({changes: layerChanges(upper, lowers)})
    return 0
  } catch (err) {
    emitLine({fatal: (err as Error).message})
    return 1
  }
}

runWorker(main)
