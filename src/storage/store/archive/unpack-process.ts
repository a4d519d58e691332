// One unpack worker process for many layers (all those of a pull): spawned into the store's user
// namespace at the first job and kept until close, so that a pull pays one namespace set-up and
// one Node start-up instead of one per layer. Jobs are sent as they come and run at once in the
// worker; each is answered on its own (see unpack-worker.ts for the protocol).
import * as path from 'node:path'
import {createInterface} from 'node:readline'

import {TspodError} from '../../../errors'
import type {UserNamespaceMapping} from '../../../userns/idmap'
import {spawnNodeWorker} from '../../../userns/node-worker'
import type {NamespacedChild} from '../../../userns/spawn'
import {collect} from '../remove-tree'
import {workerFailure} from '../worker-io'
import type {UnpackWorkerJob, UnpackedLayer} from './unpack'

export const UNPACK_WORKER = path.join(__dirname, 'unpack-worker.js')

/** One line of the worker's stdin. */
export interface UnpackProcessRequest {
  id: number
  job: UnpackWorkerJob
}

/** One line of the worker's stdout. */
export type UnpackProcessLine =
  | {id: number; warning: string}
  | {id: number; ok: true; layers: UnpackedLayer[]}
  | {id: number; ok: false; error: string}

export interface UnpackDone {
  layers: UnpackedLayer[]
  warnings: string[]
}

interface Pending {
  /** warnings kept for the answer, when no onWarning takes them as they come */
  warnings: string[]
  onWarning?: (message: string) => void
  resolve: (done: UnpackDone) => void
  reject: (err: Error) => void
}

export class UnpackProcess {
  private child?: Promise<NamespacedChild>
  private ended?: Promise<void>
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  /** why the worker is gone, once it is (every later job fails with it) */
  private failure?: Error

  constructor(readonly mapping: UserNamespaceMapping) {}

  /**
   * Unpack `job`'s layers in the worker: their results, and the warnings they gave unless
   * `onWarning` took each as it came.
   */
  readonly unpack = async (job: UnpackWorkerJob, onWarning?: (message: string) => void): Promise<UnpackDone> => {
    const child = await (this.child ??= this.spawn())
    if (this.failure) throw this.failure
    const id = this.nextId++
    const done = new Promise<UnpackDone>((resolve, reject) => this.pending.set(id, {warnings: [], onWarning, resolve, reject}))
    child.stdin!.write(`${JSON.stringify({id, job} satisfies UnpackProcessRequest)}\n`)
    return await done
  }

  /** End the worker once its jobs are answered (stdin closed); nothing when it never started. */
  async close(): Promise<void> {
    const spawned = this.child
    this.child = undefined
    if (!spawned) return
    const child = await spawned.catch(() => undefined)
    if (!child) return
    child.stdin!.end()
    await this.ended
  }

  private async spawn(): Promise<NamespacedChild> {
    const child = await spawnNodeWorker(UNPACK_WORKER, this.mapping)
    this.ended = this.readAnswers(child)
    return child
  }

  private async readAnswers(child: NamespacedChild): Promise<void> {
    const stderr = collect(child.stderr!)
    for await (const text of createInterface({input: child.stdout!, crlfDelay: Infinity})) {
      if (!text.trim()) continue
      let line: UnpackProcessLine
      try {
        line = JSON.parse(text) as UnpackProcessLine
      } catch {
        this.failure ??= new TspodError(`unexpected output from the unpack worker: ${text}`)
        continue
      }
      this.answer(line)
    }
    const exit = await child.exited.catch((err: Error) => err)
    const why = exit instanceof Error ? exit.message : workerFailure(exit, await stderr)
    this.failure ??= new TspodError(`unpacking layers: ${why}`)
    for (const waiting of this.pending.values()) waiting.reject(this.failure)
    this.pending.clear()
  }

  private answer(line: UnpackProcessLine): void {
    const waiting = this.pending.get(line.id)
    if (!waiting) {
      if ('error' in line) this.failure ??= new TspodError(line.error)
      return
    }
    if ('warning' in line) {
      if (waiting.onWarning) waiting.onWarning(line.warning)
      else waiting.warnings.push(line.warning)
      return
    }
    this.pending.delete(line.id)
    if (line.ok) waiting.resolve({layers: line.layers, warnings: waiting.warnings})
    else waiting.reject(new TspodError(line.error))
  }
}
