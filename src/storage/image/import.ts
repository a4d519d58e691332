// `tspod import`: a tarball of a root file system (what `export` writes, gzip or plain) made into
// a one-layer image: the layer is the uncompressed tar, the config carries the --change
// instructions and a history entry with the --message, as Podman's import writes them. The image
// is written as an OCI layout in a work dir and copied into the store like any other.
import {createHash} from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {wrap} from '../../errors'
import {createLayerDecompressor} from '../store/archive/decompress'
import type {Image} from '../store/images/images'
import type {Store} from '../store/store'
import {ChangedConfig, applyChange} from './config-changes'
import {MEDIA_TYPE_OCI_CONFIG, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_LAYER, MEDIA_TYPE_OCI_MANIFEST} from './manifest/media-types'
import {goArchitecture} from './manifest/platform'
import {PullOptions, copyLocalImage} from './pull'

export interface ImportOptions extends PullOptions {
  /** the name to give the image (normalized already); none leaves it untagged */
  name?: string
  changes: string[]
  message?: string
}

function hashing(hash: ReturnType<typeof createHash>, counter: {size: number}): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      counter.size += chunk.length
      done(null, chunk)
    },
  })
}

function writeBlob(dir: string, bytes: Buffer | string): {digest: string; size: number} {
  const buffer = Buffer.from(bytes)
  const hex = createHash('sha256').update(buffer).digest('hex')
  fs.writeFileSync(path.join(dir, 'blobs', 'sha256', hex), buffer)
  return {digest: `sha256:${hex}`, size: buffer.length}
}

export async function importTarball(store: Store, file: string, opts: ImportOptions): Promise<Image> {
  // the changes are checked before anything is read or written
  const changed = opts.changes.reduce<ChangedConfig>((config, change) => applyChange(config, change), {})
  const work = store.newWorkDir('tmp')
  try {
    const layout = path.join(work, 'layout')
    fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), {recursive: true})
    const layerFile = path.join(layout, 'layer.tar')
    const hash = createHash('sha256')
    const counter = {size: 0}
    try {
      await pipeline(fs.createReadStream(file), createLayerDecompressor(), hashing(hash, counter), fs.createWriteStream(layerFile), {signal: opts.ctx.signal})
    } catch (err) {
      throw wrap(err, 'reading the tarball')
    }
    const layerHex = hash.digest('hex')
    fs.renameSync(layerFile, path.join(layout, 'blobs', 'sha256', layerHex))
    const created = new Date().toISOString()
    const history: Record<string, string> = {created, created_by: `/bin/sh -c #(nop) ADD file:${layerHex} in /`}
    if (opts.message) history.comment = opts.message
    const config = writeBlob(
      layout,
      JSON.stringify({
        created,
        architecture: goArchitecture(),
        os: 'linux',
        config: changed,
        rootfs: {type: 'layers', diff_ids: [`sha256:${layerHex}`]},
        history: [history],
      }),
    )
    const manifest = writeBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE_OCI_MANIFEST,
        config: {mediaType: MEDIA_TYPE_OCI_CONFIG, ...config},
        layers: [{mediaType: MEDIA_TYPE_OCI_LAYER, digest: `sha256:${layerHex}`, size: counter.size}],
      }),
    )
    fs.writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({imageLayoutVersion: '1.0.0'}))
    fs.writeFileSync(path.join(layout, 'index.json'), JSON.stringify({schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX, manifests: [{mediaType: MEDIA_TYPE_OCI_MANIFEST, ...manifest}]}))
    return (await copyLocalImage(store, `oci:${layout}`, opts.name ? [opts.name] : [], opts)).image
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}
