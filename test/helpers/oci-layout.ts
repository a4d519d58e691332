// Built images on disk: an OCI image layout directory, the same layout as a tar (oci-archive), and
// the `docker save` format (docker-archive).
import {mkdir, writeFile} from 'node:fs/promises'
import * as path from 'node:path'

import type {BuiltImage, BuiltIndex} from './oci-image'
import {buildLayerTar, layerTar, type LayerEntry} from './oci-layer'

export interface LayoutImage {
  image: BuiltImage | BuiltIndex
  /** becomes the org.opencontainers.image.ref.name annotation of its index.json entry */
  ref?: string
}

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name'

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':')
  return `blobs/${algorithm}/${hex}`
}

function addImageBlobs(blobs: Map<string, Buffer>, image: BuiltImage | BuiltIndex): void {
  blobs.set(blobPath(image.manifestDigest), image.manifest)
  if ('images' in image) {
    for (const child of image.images) addImageBlobs(blobs, child)
    return
  }
  blobs.set(blobPath(image.configDigest), image.config)
  for (const layer of image.layers) blobs.set(blobPath(layer.digest), layer.data)
}

/** The files of an OCI image layout holding `images`, by relative path, in a stable order. */
export function ociLayoutFiles(images: LayoutImage[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>()
  for (const {image} of images) addImageBlobs(blobs, image)
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: images.map(({image, ref}) => ({
      mediaType: image.mediaType,
      digest: image.manifestDigest,
      size: image.manifest.length,
      ...(ref === undefined ? {} : {annotations: {[REF_NAME_ANNOTATION]: ref}}),
    })),
  }
  const files = new Map<string, Buffer>([
    ['oci-layout', Buffer.from(JSON.stringify({imageLayoutVersion: '1.0.0'}))],
    ['index.json', Buffer.from(JSON.stringify(index))],
  ])
  for (const blob of [...blobs.keys()].sort()) files.set(blob, blobs.get(blob)!)
  return files
}

async function writeFiles(dir: string, files: Map<string, Buffer>): Promise<void> {
  for (const [name, data] of files) {
    const file = path.join(dir, name)
    await mkdir(path.dirname(file), {recursive: true})
    await writeFile(file, data)
  }
}

/** A tar of `files`, with an entry for each directory before its contents. */
async function tarOfFiles(files: Map<string, Buffer>): Promise<Buffer> {
  const entries: LayerEntry[] = []
  const dirs = new Set<string>()
  for (const [name, content] of files) {
    const parts = name.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`
      if (!dirs.has(dir)) entries.push({path: dir, type: 'dir'})
      dirs.add(dir)
    }
    entries.push({path: name, content})
  }
  return buildLayerTar(entries)
}

/** Write an OCI image layout into `dir` (created if needed; an existing index.json is replaced). */
export async function writeOciLayout(dir: string, images: LayoutImage[]): Promise<void> {
  await writeFiles(dir, ociLayoutFiles(images))
}

/** Write an OCI image layout as one tar file (what `oci-archive:` reads). */
export async function writeOciArchive(file: string, images: LayoutImage[]): Promise<void> {
  await writeFile(file, await tarOfFiles(ociLayoutFiles(images)))
}

/** The files of a `docker save` archive of one image: manifest.json, the config, uncompressed layer tars. */
export function dockerArchiveFiles(image: BuiltImage, repoTags: string[]): Map<string, Buffer> {
  const configName = `${image.configDigest.split(':')[1]}.json`
  const layerNames = image.layers.map((layer) => `${layer.diffID.split(':')[1]}/layer.tar`)
  const manifest = [{Config: configName, RepoTags: repoTags, Layers: layerNames}]
  const files = new Map<string, Buffer>([
    ['manifest.json', Buffer.from(JSON.stringify(manifest))],
    [configName, image.config],
  ])
  image.layers.forEach((layer, i) => files.set(layerNames[i], layerTar(layer)))
  return files
}

/** Write `image` in the `docker save` format (what `docker-archive:` reads). */
export async function writeDockerArchive(file: string, image: BuiltImage, repoTags: string[]): Promise<void> {
  await writeFile(file, await tarOfFiles(dockerArchiveFiles(image, repoTags)))
}
