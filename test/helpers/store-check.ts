// A test-only entry point to the store checks of `system check` (src/storage/store/check/), run as the
// rootless user: `node store-check.js '{"quick":true,"repair":true}'`. Prints one JSON Finding a
// line, then {"done": true, "ms": <wall time>}. Not a tspod command: the command itself lives in
// src/commands/system/check.ts and calls the same functions.
import {storeCheckRuntime} from '../../src/runtime/container/store-check-hooks'
import {checkContainers} from '../../src/storage/store/check/containers'
import {Finding} from '../../src/storage/store/check/finding'
import {checkImages} from '../../src/storage/store/check/images'
import {checkLayers} from '../../src/storage/store/check/layers'
import {checkLeftovers} from '../../src/storage/store/check/leftovers'
import {loadStorageConfig} from '../../src/storage/config/storage-conf'
import {Store} from '../../src/storage/store/store'

export interface StoreCheckRequest {
  quick?: boolean
  repair?: boolean
  force?: boolean
  maxMs?: number
  /** which checks, in this order; default all */
  checks?: ('leftovers' | 'layers' | 'images' | 'containers')[]
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as StoreCheckRequest
  const started = Date.now()
  const store = await Store.open(loadStorageConfig(), undefined, {keepAbandoned: true})
  const removeContainers = (ids: string[]) => storeCheckRuntime.removeContainers(store, ids)
  const containerIsRunning = (id: string) => storeCheckRuntime.containerIsRunning(store, id)
  const opts = {...request, removeContainers, containerIsRunning}
  const findings: Finding[] = []
  for (const check of request.checks ?? ['leftovers', 'layers', 'images', 'containers']) {
    if (check === 'leftovers') findings.push(...(await checkLeftovers(store, opts)))
    if (check === 'layers') findings.push(...(await checkLayers(store, opts)))
    if (check === 'images') findings.push(...(await checkImages(store, opts)))
    if (check === 'containers') findings.push(...(await checkContainers(store, opts)))
  }
  store.close()
  for (const f of findings) process.stdout.write(`${JSON.stringify(f)}\n`)
  process.stdout.write(`${JSON.stringify({done: true, ms: Date.now() - started})}\n`)
}

if (require.main === module)
  main().catch((err) => {
    process.stderr.write(`Error: ${(err as Error).message}\n`)
    process.exitCode = 125
  })
