// An image in tspod's store as an ImageSource, for `save`: the stored manifest and config, and
// each layer's blob exactly as it was pulled (kept beside the layer), so digests and the image
// ID survive a save and a load elsewhere.
import * as fs from 'node:fs'
import {Readable} from 'node:stream'

import {TspodError} from '../../../../errors'
import {ImageManifest, parseImageManifest, serializeManifest} from '../../manifest/manifest'
import type {Image} from '../../../store/images/images'
import type {Store} from '../../../store/store'
import {BlobInfo, ImageReference, ImageSource, ManifestBlob} from '../types'

export class StoreImageSource implements ImageSource {
  constructor(
    readonly reference: ImageReference,
    private readonly store: Store,
    private readonly image: Image,
  ) {}

  /**
   * The stored manifest, each layer described by the blob the store kept for it: the same one,
   * unless that layer was first pulled for another image in another compression.
   */
  async getManifest(instanceDigest?: string): Promise<ManifestBlob> {
    if (instanceDigest !== undefined) throw new TspodError(`image ${this.image.id} is a single image, not a list`)
    const manifest = parseImageManifest(this.image.manifest, this.image.manifestType)
    let changed = false
    const layers = manifest.layers.map((descriptor, i) => {
      const kept = this.store.layers.get(this.image.layers[i])
      if (!kept?.compressedDigest) throw new TspodError(`layer ${this.image.layers[i]} of image ${this.image.id} has no stored blob`)
      if (kept.compressedDigest === descriptor.digest) return descriptor
      changed = true
      return {...descriptor, digest: kept.compressedDigest, size: kept.compressedSize ?? -1, mediaType: kept.compressedMediaType ?? descriptor.mediaType}
    })
    if (!changed) return {bytes: this.image.manifest, mediaType: this.image.manifestType}
    return serializeManifest({...manifest, layers} as ImageManifest)
  }

  async getBlob(info: BlobInfo): Promise<{stream: Readable; size: number}> {
    if (info.digest === `sha256:${this.image.id}`) return {stream: Readable.from([this.image.config]), size: this.image.config.length}
    const id = this.image.layers.find((layer) => this.store.layers.get(layer)?.compressedDigest === info.digest)
    if (!id) throw new TspodError(`blob ${info.digest} is not part of image ${this.image.id}`)
    const file = this.store.layout.blobFile(id)
    return {stream: fs.createReadStream(file, {highWaterMark: 1024 * 1024}), size: fs.statSync(file).size}
  }

  async close(): Promise<void> {}
}
