// Unpacking layer blobs into their directories as the mapped root of the rootless user namespace
// (so image owners land on subordinate ids), and removing such trees again.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {TspodError, wrap} from '../../../errors'
import {UserNamespaceMapping} from '../../../userns/idmap'
import {copyTree} from '../copy-tree'
import {AppliedLayer, applyLayer} from './apply-layer'
import {UnpackProcess} from './unpack-process'

export interface LayerUnpackJob {
  /** the (compressed) layer blob file */
  blob: string
  /** an existing, empty directory to unpack into */
  dest: string
  /** the config's DiffID for this layer; a mismatch fails the layer */
  expectedDiffID?: string
  /** the DiffID the blob's writer computed as it wrote it (ApplyLayerOptions): not hashed again */
  knownDiffID?: string
  /** the blob's digest and the layer's index in the image, for messages */
  digest?: string
  index?: number
  /**
   * A full-tree driver's layer (vfs): the parent layer's tree, copied into dest first (when the
   * layer has a parent), and whiteouts that remove rather than mark.
   */
  fullTree?: {parent?: string}
}

export interface UnpackOptions {
  /** the rootless user namespace mapping; undefined runs in this process (as real root) */
  mapping: UserNamespaceMapping | undefined
  ignoreChownErrors: boolean
  onWarning?: (message: string) => void
  /**
   * a worker already running in `mapping`'s namespace, used instead of spawning one; it hands
   * warnings to `onWarning` as they come, or returns them
   */
  unpackWith?: (job: UnpackWorkerJob, onWarning?: (message: string) => void) => Promise<{layers: UnpackedLayer[]; warnings: string[]}>
}

export interface UnpackedLayer {
  diffID: string
  size: number
  entries: number
}

/** A job of the unpack worker: layers unpacked in order. */
export interface UnpackWorkerJob {
  layers: LayerUnpackJob[]
  ignoreChownErrors: boolean
}

/**
 * Reads of the blob file: 1 MB rather than the stream default of 64 KB, so that a plain tar's
 * file contents reach their files in a sixteenth of the writes (and chunks through the streams).
 */
const BLOB_READ_CHUNK = 1 << 20

/**
 * A blob file as a stream read synchronously, a chunk each time the unpack asks for one: the
 * unpack writes its files synchronously, and a read stream's round trips through the thread
 * pool would leave it waiting on each chunk.
 */
function blobStream(file: string): Readable {
  // opened on the first read: a stream never read holds no fd
  function* chunks(): Generator<Buffer> {
    const fd = fs.openSync(file, 'r')
    try {
      for (;;) {
        const chunk = Buffer.allocUnsafe(BLOB_READ_CHUNK)
        const n = fs.readSync(fd, chunk, 0, chunk.length, null)
        if (n === 0) return
        yield n < chunk.length ? chunk.subarray(0, n) : chunk
      }
    } finally {
      fs.closeSync(fd)
    }
  }
  return Readable.from(chunks(), {objectMode: false})
}

function layerLabel(job: LayerUnpackJob, position: number): string {
  return `layer ${job.index ?? position} (blob ${job.digest ?? job.blob})`
}

/** Apply one job's blob to its dest in this process and check its DiffID. */
export async function applyLayerJob(
  job: LayerUnpackJob,
  position: number,
  opts: {ignoreChownErrors: boolean; onWarning?: (message: string) => void},
): Promise<UnpackedLayer> {
  let applied: AppliedLayer
  try {
    if (job.fullTree?.parent !== undefined) {
      copyTree(job.fullTree.parent, job.dest)
      // the copy took the parent's root mode (0555 once registered): the staged dir must stay
      // writable until it is moved into place, where it is given that mode again
      fs.chmodSync(job.dest, 0o700)
    }
    applied = await applyLayer(blobStream(job.blob), job.dest, {...opts, whiteouts: job.fullTree ? 'remove' : 'markers', knownDiffID: job.knownDiffID})
  } catch (err) {
    throw wrap(err, layerLabel(job, position))
  }
  if (job.expectedDiffID !== undefined && applied.diffID !== job.expectedDiffID)
    throw new TspodError(
      `${layerLabel(job, position)} does not match config's DiffID ${JSON.stringify(job.expectedDiffID)}`,
    )
  return {diffID: applied.diffID, size: applied.size, entries: applied.entries}
}

/**
 * Unpack each job's blob into its dest, in order, stopping at the first failure (its error is
 * thrown; earlier layers stay unpacked). With a mapping this runs in a worker process inside a
 * new user namespace, as its root (`unpackWith`'s, or one started for these jobs).
 */
export async function unpackLayers(jobs: LayerUnpackJob[], opts: UnpackOptions): Promise<UnpackedLayer[]> {
  if (!opts.mapping) {
    const results: UnpackedLayer[] = []
    for (const [i, job] of jobs.entries()) results.push(await applyLayerJob(job, i, opts))
    return results
  }
  const job: UnpackWorkerJob = {
    layers: jobs.map((j) => ({
      ...j,
      blob: path.resolve(j.blob),
      dest: path.resolve(j.dest),
      ...(j.fullTree ? {fullTree: {parent: j.fullTree.parent === undefined ? undefined : path.resolve(j.fullTree.parent)}} : {}),
    })),
    ignoreChownErrors: opts.ignoreChownErrors,
  }
  const onWarning = (warning: string): void => opts.onWarning?.(warning)
  if (opts.unpackWith) {
    const done = await opts.unpackWith(job, onWarning)
    done.warnings.forEach(onWarning)
    return done.layers
  }
  const worker = new UnpackProcess(opts.mapping)
  try {
    return (await worker.unpack(job, onWarning)).layers
  } finally {
    await worker.close()
  }
}
