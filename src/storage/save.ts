// `tspod save`: one image from the store into a docker-archive, oci-archive or OCI layout dir.
import * as fs from 'node:fs'

import {UsageError} from '../errors'
import {CopyEvent, copyImage} from './copy/copy'
import {isImageId} from './reference/docker-reference'
import type {RegistriesConfig} from './config/registries-conf'
import {resolveLocalImage} from './image/lookup'
import type {Store} from './store/store'
import {parseImageName} from './transports/registry'
import {StoreImageReference} from './transports/local/source'

export const SAVE_FORMATS = ['docker-archive', 'oci-archive', 'oci-dir'] as const
export type SaveFormat = (typeof SAVE_FORMATS)[number]

export async function saveImage(
  store: Store,
  name: string,
  output: string,
  opts: {format: SaveFormat; registries: RegistriesConfig; signal?: AbortSignal; onEvent?: (e: CopyEvent) => void},
): Promise<void> {
  const match = resolveLocalImage(store, name, opts.registries)
  if (!match) throw new UsageError(`${name}: image not known`)
  // The archive names the image as the user named it (none when saved by ID).
  const imageName = isImageId(name) ? undefined : (match.name ?? match.image.names[0])
  const transport = opts.format === 'oci-dir' ? 'oci' : opts.format
  const work = store.newWorkDir('tmp')
  try {
    const dest = parseImageName(`${transport}:${output}${imageName ? `:${imageName}` : ''}`, {tmpDir: work})
    const source = await new StoreImageReference(store, match.image).newSource()
    const destination = await dest.newDestination({signal: opts.signal})
    try {
      await copyImage(source, destination, {onEvent: opts.onEvent})
    } finally {
      await destination.close()
      await source.close()
    }
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}
