// The pull target: an ImageDestination that writes into tspod's store. Blobs land in a private
// tmp dir; commit() unpacks the new layers in staging dirs (inside the rootless user
// namespace), moves each into overlay/ under its ChainID, and registers the image in one
// transaction. A failure or a kill at any point leaves nothing visible and nothing that the
// next start does not clean.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import {TspodError, wrap} from '../../../errors'
import {LayerUnpackJob, unpackLayers} from '../../archive/unpack'
import {sha256Digest} from '../../digest'
import {ImageConfig, parseImageConfig} from '../../manifest/image-config'
import {parseImageManifest} from '../../manifest/manifest'
import {IMAGE_MANIFEST_TYPES} from '../../manifest/media-types'
import {chainIds, hexOf} from '../../image/chain-id'
import type {Store} from '../../store/store'
import {BlobInfo, ImageDestination, ImageReference, ManifestBlob} from '../types'


const BUSY_LAYER_WAIT_MS = 10 * 60_000

export interface StoreDestinationOptions {
  /** fully qualified names to give the image ("docker.io/library/alpine:latest") */
  names: string[]
  onWarning?: (message: string) => void
}

export class StoreDestination implements ImageDestination {
  readonly supportedManifestTypes = [...IMAGE_MANIFEST_TYPES]
  private readonly tmp: string
  private readonly blobFiles = new Map<string, string>()
  private config?: {bytes: Buffer; digest: string; diffIDs: string[]; created?: string}
  private manifest?: ManifestBlob & {digest: string; listDigest?: string}

  constructor(
    readonly reference: ImageReference,
    private readonly store: Store,
    private readonly options: StoreDestinationOptions,
  ) {
    this.tmp = store.newWorkDir('tmp')
  }

  private layerIds(): string[] {
    if (!this.config) throw new TspodError('the image config must be written before its layers')
    return chainIds(this.config.diffIDs).map(hexOf)
  }

  async tryReusingBlob(info: BlobInfo, options: {layerIndex?: number} = {}): Promise<BlobInfo | undefined> {
    if (options.layerIndex === undefined || !this.config) return undefined
    const id = this.layerIds()[options.layerIndex]
    return id !== undefined && this.store.layers.has(id) ? info : undefined
  }

  async putBlob(stream: Readable, info: BlobInfo, options: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo> {
    const file = path.join(this.tmp, hexOf(info.digest))
    try {
      await pipeline(stream, fs.createWriteStream(file, {mode: 0o600}))
    } catch (err) {
      fs.rmSync(file, {force: true})
      throw wrap(err, `writing blob ${info.digest}`)
    }
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
    }
    return {...info, size: fs.statSync(file).size}
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

    const claimed: {id: string; staging: string; job: LayerUnpackJob}[] = []
    const completed = new Set<string>()
    try {
      for (const [i, layer] of layers.entries()) {
        const id = ids[i]
        if (await this.waitUntilClaimable(id, i)) continue
        const blob = this.blobFiles.get(layer.digest)
        if (!blob) throw new TspodError(`layer ${i} (blob ${layer.digest}) was not downloaded`)
        const staging = this.store.newWorkDir('staging')
        fs.mkdirSync(path.join(staging, 'diff'))
        claimed.push({id, staging, job: {blob, dest: path.join(staging, 'diff'), expectedDiffID: this.config.diffIDs[i], digest: layer.digest, index: i}})
      }
      const unpacked = await unpackLayers(
        claimed.map((c) => c.job),
        {mapping: this.store.mapping, ignoreChownErrors: this.store.config.overlay.ignoreChownErrors, onWarning: this.options.onWarning},
      )
      for (const [i, c] of claimed.entries()) {
        fs.mkdirSync(this.store.layout.layerDir(c.id), {mode: 0o700})
        fs.renameSync(path.join(c.staging, 'diff'), this.store.layout.diffDir(c.id))
        this.store.layers.complete(c.id, unpacked[i].size)
        completed.add(c.id)
        fs.rmdirSync(c.staging)
      }
    } catch (err) {
      const abandoned = claimed.filter((c) => !completed.has(c.id))
      const trees = abandoned.flatMap((c) => [c.staging, this.store.layout.layerDir(c.id)]).filter((d) => fs.existsSync(d))
      await this.store.removeTrees(trees)
      this.store.layers.delete(abandoned.map((c) => c.id))
      throw err
    }

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
  }

  /**
   * Claim layer `id` for this process. Returns true when the layer already exists (or another
   * pull finished it meanwhile), false when we now own it.
   */
  private async waitUntilClaimable(id: string, index: number): Promise<boolean> {
    const deadline = Date.now() + BUSY_LAYER_WAIT_MS
    for (;;) {
      const claim = this.store.layers.claim({id, parent: index > 0 ? this.layerIds()[index - 1] : null, diffDigest: this.config!.diffIDs[index]})
      if (claim !== 'busy') return claim === 'exists'
      if (Date.now() > deadline) throw new TspodError(`layer ${id}: still being written by another tspod process`)
      await sleep(200)
    }
  }

  async close(): Promise<void> {
    fs.rmSync(this.tmp, {recursive: true, force: true})
  }
}
