// A layer's changes (changes.ts) read as the user when the user can read every dir of it, else
// as root of the rootless user namespace (changes-worker.ts): a container's files belong to
// subordinate ids, and a dir one of them owns with mode 0700 is closed to the host user.
import * as path from 'node:path'

import {TspodError} from '../../errors'
import type {UserNamespaceMapping} from '../../userns/idmap'
import {spawnNodeWorker} from '../../userns/node-worker'
import {layerChanges, type Change} from './changes'
import {collect} from './remove-tree'
import {workerFailure} from './worker-io'

export const CHANGES_WORKER = path.join(__dirname, 'changes-worker.js')

const PERMISSION_ERRORS = new Set(['EACCES', 'EPERM'])

/** The changes of `upper` over `lowers` (top first); inside `mapping`'s namespace when the host user may not read them. */
export async function layerChangesAsMappedRoot(upper: string, lowers: string[], mapping: UserNamespaceMapping | undefined): Promise<Change[]> {
  try {
    return layerChanges(upper, lowers)
  } catch (err) {
    if (!mapping || !PERMISSION_ERRORS.has((err as NodeJS.ErrnoException).code ?? '')) throw err
  }
  const child = await spawnNodeWorker(CHANGES_WORKER, mapping)
  child.stdin!.end(JSON.stringify({layers: [upper, ...lowers].map((d) => path.resolve(d))}))
  const [stdout, stderr] = [collect(child.stdout!), collect(child.stderr!)]
  const exit = await child.exited
  const line = (await stdout).trim().split('\n').at(-1) ?? ''
  let result: {changes?: Change[]; fatal?: string} | undefined
  try {
    result = JSON.parse(line) as typeof result
  } catch {
    result = undefined
  }
  if (result?.changes) return result.changes
  throw new TspodError(`reading the layer's changes: ${result?.fatal ?? `changes ${workerFailure(exit, await stderr)}`}`)
}
