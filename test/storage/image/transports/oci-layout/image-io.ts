// Shared by the oci, oci-archive and docker-archive transport tests: writing a built image through
// a destination, reading an image back through a source with every digest checked, a minimal copy
// between any source and destination, and running skopeo.
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {promisify} from 'node:util'

import type {ExecutionContext} from 'ava'

import {DigestVerifier} from '../../../../../src/storage/digest'
import {parseImageConfig} from '../../../../../src/storage/image/manifest/image-config'
import {convertManifest, parseManifest, serializeManifest} from '../../../../../src/storage/image/manifest/manifest'
import {chooseInstance} from '../../../../../src/storage/image/manifest/platform'
import {ImageManifest, isManifestList} from '../../../../../src/storage/image/manifest/types'
import {ImageDestination, ImageSource} from '../../../../../src/storage/image/transports/types'
import type {BuiltImage, BuiltIndex} from '../../../../helpers/oci-image'

export function tempDir(t: ExecutionContext, prefix = 'tspod-transport-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** A blob of a source, read through a DigestVerifier: fails unless it has its digest. */
export async function readBlob(source: ImageSource, digest: string): Promise<{data: Buffer; size: number}> {
  const {stream, size} = await source.getBlob({digest, size: -1})
  const data = await readStream(stream.pipe(new DigestVerifier(digest)))
  return {data, size}
}

/** Puts a built image (config, layers, manifest) into a destination and commits it. */
export async function putBuiltImage(dest: ImageDestination, image: BuiltImage): Promise<void> {
  try {
    await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true})
    for (const [i, layer] of image.layers.entries()) {
      await dest.putBlob(Readable.from([layer.data]), {digest: layer.digest, size: layer.size, mediaType: layer.mediaType}, {isConfig: false, layerIndex: i})
    }
    await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
    await dest.commit()
  } finally {
    await dest.close()
  }
}

/** Puts an index and all its images' blobs (child manifests as blobs), then the index as the manifest. */
export async function putBuiltIndex(dest: ImageDestination, index: BuiltIndex): Promise<void> {
  try {
    for (const image of index.images) {
      await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true})
      for (const layer of image.layers) {
        if (await dest.tryReusingBlob({digest: layer.digest, size: layer.size})) continue
        await dest.putBlob(Readable.from([layer.data]), {digest: layer.digest, size: layer.size}, {isConfig: false})
      }
      await dest.putBlob(Readable.from([image.manifest]), {digest: image.manifestDigest, size: image.manifest.length}, {isConfig: false})
    }
    await dest.putManifest({bytes: index.manifest, mediaType: index.mediaType})
    await dest.commit()
  } finally {
    await dest.close()
  }
}

export interface ReadImage {
  manifest: ImageManifest
  manifestBytes: Buffer
  config: Buffer
  /** layer blobs as stored, bottom first */
  layers: Buffer[]
  /** sizes getBlob reported for them */
  layerSizes: number[]
}

/** Reads an image (choosing the host's instance of a list) with every blob checked against its digest. */
export async function readImage(source: ImageSource): Promise<ReadImage> {
  let {bytes, mediaType} = await source.getManifest()
  let parsed = parseManifest(bytes, mediaType)
  if (isManifestList(parsed)) {
    const instance = chooseInstance(parsed)
    ;({bytes, mediaType} = await source.getManifest(instance.digest))
    parsed = parseManifest(bytes, mediaType)
    if (isManifestList(parsed)) throw new Error('nested index')
  }
  const config = (await readBlob(source, parsed.config.digest)).data
  const layers: Buffer[] = []
  const layerSizes: number[] = []
  for (const layer of parsed.layers) {
    const blob = await readBlob(source, layer.digest)
    layers.push(blob.data)
    layerSizes.push(blob.size)
  }
  return {manifest: parsed, manifestBytes: bytes, config, layers, layerSizes}
}

/**
 * A single-image copy as the copy pipeline does it: the host's instance of a list, the manifest
 * converted to the destination's first type when it takes a different one, every blob verified on
 * the way, and layer digests the destination changed (docker-archive decompresses) put back into
 * the manifest.
 */
export async function copyImage(source: ImageSource, dest: ImageDestination): Promise<void> {
  try {
    let {bytes, mediaType} = await source.getManifest()
    let parsed = parseManifest(bytes, mediaType)
    if (isManifestList(parsed)) {
      ;({bytes, mediaType} = await source.getManifest(chooseInstance(parsed).digest))
      parsed = parseManifest(bytes, mediaType)
    }
    if (isManifestList(parsed)) throw new Error('nested index')
    let manifest: ImageManifest = dest.supportedManifestTypes.includes(parsed.mediaType) ? parsed : convertManifest(parsed, dest.supportedManifestTypes[0])
    const put = async (digest: string, size: number, isConfig: boolean) => {
      const reused = await dest.tryReusingBlob({digest, size})
      if (reused) return reused
      const blob = await source.getBlob({digest, size})
      return dest.putBlob(blob.stream.pipe(new DigestVerifier(digest)), {digest, size}, {isConfig})
    }
    await put(manifest.config.digest, manifest.config.size, true)
    const layers = []
    for (const layer of manifest.layers) {
      const stored = await put(layer.digest, layer.size, false)
      layers.push({...layer, digest: stored.digest, size: stored.size, mediaType: stored.mediaType ?? layer.mediaType})
    }
    manifest = {...manifest, layers}
    const out = manifest === parsed ? {bytes, mediaType} : serializeManifest(manifest)
    await dest.putManifest(out)
    await dest.commit()
  } finally {
    await dest.close()
    await source.close()
  }
}

/** The diffIDs recorded in an image config. */
export function diffIds(config: Buffer): string[] {
  return parseImageConfig(config).rootfs.diff_ids
}

const execFileAsync = promisify(execFile)

/** Runs skopeo; rejects with its stderr on failure. */
export async function skopeo(args: string[]): Promise<string> {
  try {
    const {stdout} = await execFileAsync('skopeo', ['--insecure-policy', ...args], {maxBuffer: 64 * 1024 * 1024, timeout: 60_000})
    return stdout
  } catch (err) {
    const e = err as {stderr?: string; message: string}
    throw new Error(`skopeo ${args.join(' ')}: ${e.stderr || e.message}`)
  }
}
