// The pull target: an ImageDestination that writes into tspod's store. Each layer blob lands in
// a private tmp dir and is unpacked at once, while other blobs still download, into a staging
// dir (inside the rootless user namespace); commit() moves each into overlay/ under its ChainID
// and registers the image in one transaction. A failure or a kill at any point leaves nothing visible and nothing that the
// next start does not clean. A layer that exists already is pinned for this pull under the
// store's layers lock (shared), so that rmi and prune, which delete under it exclusively, keep
// it until the image that reuses it is registered (docs/design/locking.md).
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import {TspodError, wrap} from '../../../../errors'
import {ignoreChownErrors} from '../../../config/storage-conf'
import {UnpackOptions, unpackLayers} from '../../../store/archive/unpack'
import {UnpackProcess} from '../../../store/archive/unpack-process'
import {sha256Digest} from '../../../digest'
import {ImageConfig, parseImageConfig} from '../../manifest/image-config'
import {parseImageManifest} from '../../manifest/manifest'
import {IMAGE_MANIFEST_TYPES} from '../../manifest/media-types'
import {chainIds, hexOf} from '../../../store/images/chain-id'
import type {Store} from '../../../store/store'
import {BlobInfo, ImageDestination, ImageReference, ManifestBlob} from '../types'
import {tracePhase} from '../../../../trace'


const BUSY_LAYER_WAIT_MS = 10 * 60_000
/** The mode of every layer's root dir (containers-storage's defaultPerms for overlay layers). */
export const LAYER_ROOT_MODE = 0o555

export interface StoreDestinationOptions {
  /** fully qualified names to give the image ("docker.io/library/alpine:latest") */
  names: string[]
  onWarning?: (message: string) => void
  /** a worker already running in the store's namespace that unpacks layers (a build's) */
  unpackWith?: UnpackOptions['unpackWith']
}

/** A layer this pull unpacked into a staging dir, waiting for commit to move it into place. */
interface StagedLayer {
  id: string
  staging: string
  size: number
}

export class StoreDestination implements ImageDestination {
  readonly supportedManifestTypes = [...IMAGE_MANIFEST_TYPES]
  private readonly tmp: string
  private config?: {bytes: Buffer; digest: string; diffIDs: string[]; created?: string}
  private manifest?: ManifestBlob & {digest: string; listDigest?: string}
  /** per layer index: its unpack, started as soon as its blob is stored (undefined: it existed) */
  private readonly unpacks = new Map<number, Promise<StagedLayer | undefined>>()
  private readonly blobFiles = new Map<string, string>()
  /** blobs putBlobFile was given with their digest computed by their writer */
  private readonly digestsComputed = new Set<string>()
  /** existing layers this pull reuses, pinned until commit registers the image (or close) */
  private readonly pinned = new Set<string>()
  /** the worker that unpacks all of this pull's layers in the store's namespace (unless given one) */
  private readonly unpackProcess: UnpackProcess | undefined

  constructor(
    readonly reference: ImageReference,
    private readonly store: Store,
    private readonly options: StoreDestinationOptions,
  ) {
    this.tmp = store.newWorkDir('tmp')
    this.unpackProcess = store.mapping && !options.unpackWith ? new UnpackProcess(store.mapping) : undefined
  }

  private layerIds(): string[] {
    if (!this.config) throw new TspodError('the image config must be written before its layers')
    return chainIds(this.config.diffIDs).map(hexOf)
  }

  async tryReusingBlob(info: BlobInfo, options: {layerIndex?: number} = {}): Promise<BlobInfo | undefined> {
    if (options.layerIndex === undefined || !this.config) return undefined
    const id = this.layerIds()[options.layerIndex]
    if (id === undefined) return undefined
    return (await this.store.withLayersLock('shared', () => this.pin(id))) ? info : undefined
  }

  /** Keep an existing layer for this pull; false when it does not exist (complete). */
  private pin(id: string): boolean {
    if (this.pinned.has(id)) return true
    if (!this.store.layers.pin(id)) return false
    this.pinned.add(id)
    return true
  }

  async putBlob(stream: Readable, info: BlobInfo, options: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo> {
    const file = path.join(this.tmp, hexOf(info.digest))
    try {
      await pipeline(stream, fs.createWriteStream(file, {mode: 0o600}))
    } catch (err) {
      fs.rmSync(file, {force: true})
      throw wrap(err, `writing blob ${info.digest}`)
    }
    return this.stored(file, info, options)
  }

  /**
   * A layer blob this process wrote itself (a build's), moved into the store rather than copied
   * when it is on the store's filesystem; `source` is gone afterwards. `digestComputed`: an
   * uncompressed tar whose digest (its DiffID) the writer computed from the bytes it wrote, so
   * the unpack need not hash it again.
   */
  async putBlobFile(source: string, info: BlobInfo, options: {layerIndex?: number; digestComputed?: boolean}): Promise<BlobInfo> {
    if (options.digestComputed) this.digestsComputed.add(info.digest)
    const file = path.join(this.tmp, hexOf(info.digest))
    try {
      fs.renameSync(source, file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw wrap(err, `writing blob ${info.digest}`)
      const stored = await this.putBlob(fs.createReadStream(source), info, {isConfig: false, ...options})
      fs.rmSync(source, {force: true})
      return stored
    }
    return this.stored(file, info, {isConfig: false, ...options})
  }

  private stored(file: string, info: BlobInfo, options: {isConfig: boolean; layerIndex?: number}): BlobInfo {
    if (options.isConfig) {
      const bytes = fs.readFileSync(file)
      let parsed: ImageConfig
      try {
        parsed = parseImageConfig(bytes)
      } catch (err) {
        throw wrap(err, `image config ${info.digest}`)
      }
      this.config = {bytes, digest: info.digest, diffIDs: parsed.rootfs.diff_ids, created: parsed.created}
    } else {
      this.blobFiles.set(info.digest, file)
      // Unpack while the other blobs are still downloading (a full-tree driver's layer needs
      // its parent's tree first: those are unpacked in order at commit).
      if (options.layerIndex !== undefined && this.config && !this.store.layout.driver.fullCopies) this.startUnpack(options.layerIndex, {...info, size: fs.statSync(file).size}, file)
    }
    return {...info, size: fs.statSync(file).size}
  }

  private startUnpack(index: number, info: BlobInfo, blob: string): Promise<StagedLayer | undefined> {
    let unpack = this.unpacks.get(index)
    if (!unpack) {
      unpack = this.unpackLayer(index, info, blob)
      unpack.catch(() => undefined) // awaited by commit or close
      this.unpacks.set(index, unpack)
    }
    return unpack
  }

  /**
   * Claim layer `index` and unpack its blob into a staging dir, keeping the blob beside it (so
   * that save writes the very bytes pulled); undefined when the layer already exists.
   */
  private async unpackLayer(index: number, info: BlobInfo, blob: string): Promise<StagedLayer | undefined> {
    const digest = info.digest
    const id = this.layerIds()[index]
    if (id === undefined) throw new TspodError(`layer ${index} (blob ${digest}) has no DiffID in the image config`)
    if (await this.waitUntilClaimable(id, index, info)) return undefined
    const fullTree = this.store.layout.driver.fullCopies ? {parent: await this.parentTree(index)} : undefined
    const staging = this.store.newWorkDir('staging')
    try {
      const contents = this.store.layout.driver.stagedContentsDir(staging)
      fs.mkdirSync(contents)
      const [unpacked] = await unpackLayers(
        [{blob, dest: contents, expectedDiffID: this.config!.diffIDs[index], knownDiffID: this.digestsComputed.has(digest) ? digest : undefined, digest, index, fullTree}],
        {mapping: this.store.mapping, ignoreChownErrors: ignoreChownErrors(this.store.config), onWarning: this.options.onWarning, unpackWith: this.options.unpackWith ?? this.unpackProcess?.unpack},
      )
      fs.renameSync(blob, path.join(staging, 'blob'))
      return {id, staging, size: unpacked.size}
    } catch (err) {
      await this.store.removeTrees([staging])
      this.store.layers.delete([id])
      throw err
    }
  }

  /**
   * A full-tree driver's parent of layer `index`: the previous layer's staged tree when this
   * copy unpacks it (commit starts them in order), else its tree in the store (pinned by now).
   */
  private async parentTree(index: number): Promise<string | undefined> {
    if (index === 0) return undefined
    const previous = this.unpacks.get(index - 1)
    const staged = previous ? await previous : undefined
    return staged ? this.store.layout.driver.stagedContentsDir(staged.staging) : this.store.layout.diffDir(this.layerIds()[index - 1])
  }

  async putManifest(manifest: ManifestBlob, options: {listDigest?: string} = {}): Promise<void> {
    this.manifest = {...manifest, digest: sha256Digest(manifest.bytes), listDigest: options.listDigest}
  }

  async commit(): Promise<void> {
    if (!this.config || !this.manifest) throw new TspodError('commit before the config and the manifest were written')
    const {layers} = parseImageManifest(this.manifest.bytes, this.manifest.mediaType)
    const ids = this.layerIds()
    if (layers.length !== ids.length)
      throw new TspodError(`the manifest has ${layers.length} layers but the config has ${ids.length} DiffIDs`)
    for (const [i, layer] of layers.entries()) {
      if (this.unpacks.has(i)) continue
      const blob = this.blobFiles.get(layer.digest)
      if (blob) this.startUnpack(i, layer, blob)
      else if (!this.store.layers.has(ids[i])) throw new TspodError(`layer ${i} (blob ${layer.digest}) was not downloaded`)
    }
    const staged = await this.settleUnpacks()
    await this.unpackProcess?.close()
    tracePhase('unpacks')
    await this.store.withLayersLock('shared', () => this.register(ids, staged))
  }

  /** Move the unpacked layers into place and register the image: under the layers lock (shared). */
  private register(ids: string[], staged: StagedLayer[]): void {
    if (!this.config || !this.manifest) throw new TspodError('commit before the config and the manifest were written')
    for (const layer of staged) {
      fs.mkdirSync(this.store.layout.layerDir(layer.id), {mode: 0o700})
      fs.renameSync(this.store.layout.driver.stagedContentsDir(layer.staging), this.store.layout.diffDir(layer.id))
      // a layer's root keeps its own metadata, 0555 as containers-storage makes it (a container's /
      // shows it); set once in place, since moving a dir needs write access to it
      fs.chmodSync(this.store.layout.diffDir(layer.id), LAYER_ROOT_MODE)
      fs.renameSync(path.join(layer.staging, 'blob'), this.store.layout.blobFile(layer.id))
      this.store.layers.complete(layer.id, layer.size)
      fs.rmdirSync(layer.staging)
    }
    this.unpacks.clear()
    const stagedIds = new Set(staged.map((l) => l.id))
    const missing = ids.find((id) => !stagedIds.has(id) && !this.pinned.has(id) && !this.store.layers.has(id))
    if (missing !== undefined) throw new TspodError(`layer ${missing} is missing from the store; pull the image again`)

    const size = ids.reduce((sum, id) => sum + (this.store.layers.get(id)?.diffSize ?? 0), 0)
    this.store.images.put({
      id: hexOf(this.config.digest),
      digest: this.manifest.digest,
      manifest: this.manifest.bytes,
      manifestType: this.manifest.mediaType,
      config: this.config.bytes,
      created: this.config.created ?? null,
      size,
      layers: ids,
      names: this.options.names,
      digests: this.manifest.listDigest ? [this.manifest.listDigest] : [],
    })
    this.unpinAll()
  }

  private unpinAll(): void {
    if (this.pinned.size === 0) return
    this.store.layers.unpin([...this.pinned])
    this.pinned.clear()
  }

  /**
   * Wait for every unpack; if any failed, undo the others (staging dirs and claims) and throw
   * the first failure.
   */
  private async settleUnpacks(): Promise<StagedLayer[]> {
    const results = await Promise.allSettled(this.unpacks.values())
    const staged = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (!failed) return staged
    this.unpacks.clear()
    await this.store.removeTrees(staged.map((l) => l.staging))
    this.store.layers.delete(staged.map((l) => l.id))
    throw failed.reason
  }

  /**
   * Claim layer `id` for this process. Returns true when the layer already exists (or another
   * pull finished it meanwhile), false when we now own it.
   */
  private async waitUntilClaimable(id: string, index: number, blob: BlobInfo): Promise<boolean> {
    const deadline = Date.now() + BUSY_LAYER_WAIT_MS
    for (;;) {
      // under the lock: the layer we find complete is pinned before a deletion can decide on it,
      // and a dead pull's claim we take over is not the one Store.cleanAbandoned removes
      const claim = await this.store.withLayersLock('shared', () => {
        const result = this.store.layers.claim({
          id,
          parent: index > 0 ? this.layerIds()[index - 1] : null,
          diffDigest: this.config!.diffIDs[index],
          compressedDigest: blob.digest,
          compressedSize: blob.size,
          compressedMediaType: blob.mediaType,
        })
        if (result === 'exists') this.pin(id)
        return result
      })
      if (claim !== 'busy') return claim === 'exists'
      if (Date.now() > deadline) throw new TspodError(`layer ${id}: still being written by another tspod process`)
      await sleep(200)
    }
  }

  /** Without a commit, undoes everything: unpacked layers, their claims, downloaded blobs. */
  async close(): Promise<void> {
    try {
      if (this.unpacks.size > 0) await this.settleUnpacks().then((staged) => this.settleAbandoned(staged))
    } catch {
      // settleUnpacks already undid the layers of a failed unpack
    } finally {
      await this.unpackProcess?.close()
      this.unpinAll()
      fs.rmSync(this.tmp, {recursive: true, force: true})
    }
  }

  private async settleAbandoned(staged: StagedLayer[]): Promise<void> {
    this.unpacks.clear()
    await this.store.removeTrees(staged.map((l) => l.staging))
    this.store.layers.delete(staged.map((l) => l.id))
  }
}
