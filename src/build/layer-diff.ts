// A container's changes as one layer tar: its upper dir tarred once, inside a user namespace with
// the container's own id mapping (so the tar holds the ids the container saw, mapped back from the
// host's subordinate ids), or in this process when there is no user namespace (real root).
import * as path from 'node:path'
import {createInterface} from 'node:readline'

import {TspodError} from '../errors'
import type {OciSpec} from '../runtime/oci-spec'
import {collect} from '../storage/store/remove-tree'
import type {UserNamespaceMapping} from '../userns/idmap'
import {spawnInNamespaces} from '../userns/spawn'
import {CopyLayerJob, copySourcesDigest, writeCopyLayer} from './copy-layer'
import {LayerTar, writeLayerTar} from './layer-tar'
import type {LayerWorkerJob} from './layer-diff-worker'

export const LAYER_DIFF_WORKER = path.join(__dirname, 'layer-diff-worker.js')

/** The user namespace the container ran in, from its spec; undefined without one. */
export function containerMapping(spec: OciSpec, storeMapping: UserNamespaceMapping | undefined): UserNamespaceMapping | undefined {
  if (!storeMapping) return undefined
  const uidMap = spec.linux?.uidMappings ?? []
  const gidMap = spec.linux?.gidMappings ?? []
  if (uidMap.length === 0 || gidMap.length === 0) return storeMapping
  const single = uidMap.length === 1 && uidMap[0].size === 1 && gidMap.length === 1 && gidMap[0].size === 1
  return {mode: single ? 'single' : 'subid', uidMap, gidMap, setgroups: single ? 'deny' : 'allow'}
}

function workerEnv(): string[] {
  const keep = ['PATH', 'HOME', 'LANG', 'NODE_OPTIONS']
  return keep.filter((k) => process.env[k] !== undefined).map((k) => `${k}=${process.env[k]}`)
}

/** Tar `source` into `output` as root of `mapping`'s namespace (in this process without one). */
export async function diffLayer(source: string, output: string, mapping: UserNamespaceMapping | undefined, skip?: string[]): Promise<LayerTar> {
  const job = {source: path.resolve(source), output: path.resolve(output), skip}
  if (!mapping) return await writeLayerTar(job)
  return await inWorker<LayerTar>({kind: 'diff', ...job}, mapping)
}

/** A COPY/ADD layer, written as root of the store's namespace (in this process without one). */
export async function copyLayer(job: CopyLayerJob, mapping: UserNamespaceMapping | undefined): Promise<LayerTar> {
  if (!mapping) return await writeCopyLayer(job)
  return await inWorker<LayerTar>({kind: 'copy', ...job}, mapping)
}

/**
 * A COPY/ADD's cache key (copy-layer.ts). Sources the user owns (the context) are read in this
 * process, sparing a worker; an image's layers, or a context file only the namespace's root can
 * read, as root of the store's namespace.
 */
export async function copyDigest(job: CopyLayerJob, mapping: UserNamespaceMapping | undefined, ownSources: boolean): Promise<string> {
  if (!mapping) return await copySourcesDigest(job)
  if (ownSources) {
    try {
      return await copySourcesDigest(job)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EACCES' && code !== 'EPERM') throw err
    }
  }
  return (await inWorker<{digest: string}>({kind: 'digest', ...job}, mapping)).digest
}

async function inWorker<T>(job: LayerWorkerJob, mapping: UserNamespaceMapping): Promise<T> {
  const child = await spawnInNamespaces({
    namespaces: ['user'],
    mapping,
    command: {file: process.execPath, argv: [process.execPath, LAYER_DIFF_WORKER], env: workerEnv()},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin!.on('error', () => undefined) // a worker that died early shows in its exit status
  child.stdin!.end(JSON.stringify(job))
  const stderr = collect(child.stderr!)
  let result: T | undefined
  let failure: string | undefined
  for await (const line of createInterface({input: child.stdout!, crlfDelay: Infinity})) {
    if (!line.trim()) continue
    try {
      const parsed = JSON.parse(line) as ({ok: true} & T) | {ok: false; error: string}
      if (parsed.ok) {
        const {ok: _ok, ...rest} = parsed
        result = rest as unknown as T
      } else failure ??= parsed.error
    } catch {
      failure ??= `unexpected output from the layer worker: ${line}`
    }
  }
  const exit = await child.exited
  const what = job.kind === 'diff' ? "reading the container's changes: " : ''
  if (failure !== undefined) throw new TspodError(`${what}${failure}`)
  if (exit.code !== 0 || !result) {
    const how = exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`
    const output = (await stderr).trim()
    throw new TspodError(`${what}layer worker failed (${how})${output ? `: ${output}` : ''}`)
  }
  return result
}
