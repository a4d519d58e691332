// `tspod save`: images from the store into a docker-archive (one image, possibly under several
// names, or several images with multiImage), an oci-archive or an OCI layout dir.
import * as fs from 'node:fs'

import {UsageError} from '../../errors'
import {CopyEvent, copyImage} from './copy/copy'
import {isImageId} from './reference/docker-reference'
import type {RegistriesConfig} from './config/registries-conf'
import {resolveLocalImage} from '../store/images/lookup'
import type {Store} from '../store/store'
import {parseImageName} from './transports/registry'
import {StoreImageReference} from './transports/containers-storage/transport'
import {DockerArchiveReference, dockerArchiveTransport, parseArchiveTag} from './transports/docker-archive/transport'
import type {DockerArchiveDestination} from './transports/docker-archive/destination'

export const SAVE_FORMATS = ['docker-archive', 'oci-archive', 'oci-dir'] as const
export type SaveFormat = (typeof SAVE_FORMATS)[number]

export interface SaveOptions {
  format: SaveFormat
  /** NAMES are several images (docker-archive only); without it, the names after the first are more tags for the first */
  multiImage?: boolean
  /** OCI formats: compressed layers are written as their tar streams */
  uncompressed?: boolean
  registries: RegistriesConfig
  signal?: AbortSignal
  onEvent?: (e: CopyEvent) => void
}

function lookup(store: Store, name: string, registries: RegistriesConfig) {
  const match = resolveLocalImage(store, name, registries)
  if (!match) throw new UsageError(`${name}: image not known`)
  // The archive names the image as the user named it; none when it was named by (a prefix of) its ID.
  const hex = name.startsWith('sha256:') ? name.slice('sha256:'.length) : name
  const byId = isImageId(name) || (/^[0-9a-f]+$/.test(hex) && match.image.id.startsWith(hex))
  return {image: match.image, name: byId ? undefined : (match.name ?? match.image.names[0])}
}

export async function saveImage(store: Store, names: string[], output: string, opts: SaveOptions): Promise<void> {
  if (names.length === 0) throw new UsageError('requires at least 1 arg(s), only received 0')
  if (opts.multiImage && opts.format !== 'docker-archive') {
    throw new UsageError(`unsupported format ${JSON.stringify(opts.format)} for saving multiple images (only docker-archive)`)
  }
  const images = (opts.multiImage ? names : names.slice(0, 1)).map((name) => lookup(store, name, opts.registries))
  const work = store.newWorkDir('tmp')
  try {
    if (opts.multiImage) {
      await saveMultiImageArchive(store, images, output, opts)
      return
    }
    const [{image, name}] = images
    const transport = opts.format === 'oci-dir' ? 'oci' : opts.format
    const text = `${transport}:${output}${name ? `:${name}` : ''}`
    // only a docker-archive records more names (RepoTags); other formats save the first image as it is named
    const dest = transport === 'docker-archive' ? dockerArchiveTransport.parseReference(text.slice(transport.length + 1), {tmpDir: work, additionalTags: names.slice(1)}) : parseImageName(text, {tmpDir: work})
    const source = await StoreImageReference.ofImage(store, image).newSource()
    const destination = await dest.newDestination({signal: opts.signal})
    try {
      await copyImage(source, destination, {onEvent: opts.onEvent, uncompressedLayers: opts.uncompressed && transport !== 'docker-archive'})
    } finally {
      await destination.close()
      await source.close()
    }
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}

async function saveMultiImageArchive(store: Store, images: ReturnType<typeof lookup>[], output: string, opts: SaveOptions): Promise<void> {
  const destination = (await new DockerArchiveReference(output).newDestination({signal: opts.signal})) as DockerArchiveDestination
  try {
    for (const {image, name} of images) {
      const source = await StoreImageReference.ofImage(store, image).newSource()
      try {
        await copyImage(source, destination.imageDestination(name ? [parseArchiveTag(name)] : []), {onEvent: opts.onEvent})
      } finally {
        await source.close()
      }
    }
    await destination.finish()
  } finally {
    await destination.close()
  }
}
