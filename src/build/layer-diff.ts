// A container's changes as one layer tar: its upper dir tarred once, inside a user namespace with
// the container's own id mapping (so the tar holds the ids the container saw, mapped back from the
// host's subordinate ids), or in this process when there is no user namespace (real root).
import * as fs from 'node:fs'
import * as path from 'node:path'
import {createInterface} from 'node:readline'

import {TspodError} from '../errors'
import type {OciSpec} from '../runtime/oci-spec'
import type {UnpackWorkerJob, UnpackedLayer} from '../storage/store/archive/unpack'
import {collect} from '../storage/store/remove-tree'
import {workerFailure} from '../storage/store/worker-io'
import type {UserNamespaceMapping} from '../userns/idmap'
import {spawnNodeWorker} from '../userns/node-worker'
import type {NamespacedChild} from '../userns/spawn'
import {CopyLayerJob, copySourcesDigest, writeCopyLayer} from './copy-layer'
import type {FileSums} from './file-sums'
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

/** Tar `source` into `output` as root of `mapping`'s namespace (in this process without one). */
export async function diffLayer(source: string, output: string, mapping: UserNamespaceMapping | undefined, skip?: string[], worker?: LayerWorker): Promise<LayerTar> {
  const job = {source: path.resolve(source), output: path.resolve(output), skip}
  if (!mapping) return await writeLayerTar(job)
  return await inWorker<LayerTar>({kind: 'diff', ...job}, mapping, worker)
}

/** A COPY/ADD layer, written as root of the store's namespace (in this process without one). */
export async function copyLayer(job: CopyLayerJob, mapping: UserNamespaceMapping | undefined, worker?: LayerWorker): Promise<LayerTar> {
  if (!mapping) return await writeCopyLayer(job)
  return await inWorker<LayerTar>({kind: 'copy', ...job}, mapping, worker)
}

/**
 * A COPY/ADD's cache key (copy-layer.ts). Sources the user owns (the context) are read in this
 * process, sparing a worker; an image's layers, or a context file only the namespace's root can
 * read, as root of the store's namespace.
 */
export async function copyDigest(job: CopyLayerJob, mapping: UserNamespaceMapping | undefined, ownSources: boolean, worker?: LayerWorker, sums?: FileSums): Promise<string> {
  if (!mapping) return await copySourcesDigest(job, sums)
  if (ownSources) {
    try {
      return await copySourcesDigest(job, sums)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EACCES' && code !== 'EPERM') throw err
    }
  }
  return (await inWorker<{digest: string}>({kind: 'digest', ...job}, mapping, worker)).digest
}

/** `dir` (the user's own) owned by uid:gid of the store's namespace (in this process without one). */
export async function chownInNamespace(dir: string, uid: number, gid: number, mapping: UserNamespaceMapping | undefined, worker?: LayerWorker): Promise<void> {
  if (!mapping) return fs.lchownSync(dir, uid, gid)
  await inWorker<object>({kind: 'chown', dir, uid, gid}, mapping, worker)
}

/**
 * A layer worker kept for several jobs (a build's steps), spawned on the first: one namespace
 * set-up and one Node start for the whole build instead of one per step. Jobs run one at a time.
 */
export class LayerWorker {
  private child?: Promise<{child: NamespacedChild; lines: AsyncIterator<string>; stderr: Promise<string>}>
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly mapping: UserNamespaceMapping) {}

  /** Whether this worker's namespace is `mapping` (a container of the build may have its own). */
  serves(mapping: UserNamespaceMapping | undefined): boolean {
    return mapping !== undefined && JSON.stringify([mapping.uidMap, mapping.gidMap]) === JSON.stringify([this.mapping.uidMap, this.mapping.gidMap])
  }

  run<T>(job: LayerWorkerJob): Promise<T> {
    const next = this.queue.then(() => this.exchange<T>(job))
    this.queue = next.catch(() => undefined)
    return next
  }

  private async exchange<T>(job: LayerWorkerJob): Promise<T> {
    if (!this.child) {
      this.child = spawnNodeWorker(LAYER_DIFF_WORKER, this.mapping).then((child) => ({
        child,
        lines: createInterface({input: child.stdout!, crlfDelay: Infinity})[Symbol.asyncIterator](),
        stderr: collect(child.stderr!),
      }))
      this.child.catch(() => (this.child = undefined))
    }
    const {child, lines, stderr} = await this.child
    child.stdin!.write(`${JSON.stringify(job)}\n`)
    for (;;) {
      const next = await lines.next()
      if (next.done) {
        this.child = undefined
        const exit = await child.exited
        throw new TspodError(`${job.kind === 'diff' ? "reading the container's changes: " : ''}layer ${workerFailure(exit, await stderr)}`)
      }
      if (next.value.trim()) return parseResult<T>(next.value, job)
    }
  }

  /** The store's unpack, in this worker (its namespace is the store's). */
  readonly unpack = (job: UnpackWorkerJob) => this.run<{layers: UnpackedLayer[]; warnings: string[]}>({kind: 'unpack', ...job})

  /** End the worker (stdin closed: it exits when its job is done). */
  async close(): Promise<void> {
    const spawned = this.child
    this.child = undefined
    if (!spawned) return
    const {child} = await spawned.catch(() => ({child: undefined}))
    if (!child) return
    child.stdin!.end()
    await child.exited.catch(() => undefined)
  }
}

function parseResult<T>(line: string, job: LayerWorkerJob): T {
  const what = job.kind === 'diff' ? "reading the container's changes: " : ''
  let parsed: ({ok: true} & T) | {ok: false; error: string}
  try {
    parsed = JSON.parse(line) as typeof parsed
  } catch {
    throw new TspodError(`${what}unexpected output from the layer worker: ${line}`)
  }
  if (!parsed.ok) throw new TspodError(`${what}${parsed.error}`)
  const {ok: _ok, ...rest} = parsed
  return rest as unknown as T
}

async function inWorker<T>(job: LayerWorkerJob, mapping: UserNamespaceMapping, worker?: LayerWorker): Promise<T> {
  if (worker?.serves(mapping)) return await worker.run<T>(job)
  const once = new LayerWorker(mapping)
  try {
    return await once.run<T>(job)
  } finally {
    await once.close()
  }
}
