// `tspod load`: every image of a docker-archive or oci-archive file (as `podman load` does),
// or of an OCI layout directory, copied into the store.
import * as fs from 'node:fs'

import {TspodError} from '../errors'
import {PullOptions, pullImage} from './pull'
import type {Image} from './store/images'
import type {Store} from './store/store'
import {TarIndex} from './transports/docker-archive/tar-index'

const MAX_INDEX_SIZE = 4 * 1024 * 1024

/** The transport an archive is in, and how many images it holds. */
async function inspectArchive(file: string): Promise<{transport: string; count: number}> {
  if (fs.statSync(file).isDirectory()) {
    const index = JSON.parse(fs.readFileSync(`${file}/index.json`, 'utf8')) as {manifests?: unknown[]}
    return {transport: 'oci', count: index.manifests?.length ?? 0}
  }
  let tar: TarIndex
  try {
    tar = await TarIndex.build(file)
  } catch {
    // Not a plain tar: a compressed docker save, which the docker-archive source decompresses.
    return {transport: 'docker-archive', count: 1}
  }
  const manifest = tar.resolve('manifest.json')
  if (manifest) return {transport: 'docker-archive', count: (JSON.parse((await tar.read(manifest, MAX_INDEX_SIZE)).toString()) as unknown[]).length}
  const index = tar.resolve('index.json')
  if (index) return {transport: 'oci-archive', count: ((JSON.parse((await tar.read(index, MAX_INDEX_SIZE)).toString()) as {manifests?: unknown[]}).manifests ?? []).length}
  throw new TspodError(`payload does not match any of the supported image formats: ${file} is neither a docker-archive (no manifest.json) nor an oci-archive (no index.json)`)
}

export async function loadImages(store: Store, file: string, opts: PullOptions): Promise<Image[]> {
  if (!fs.existsSync(file)) throw new TspodError(`open ${file}: no such file or directory`, {code: 'ENOENT', path: file})
  const {transport, count} = await inspectArchive(file)
  if (count === 0) throw new TspodError(`${file} holds no image`)
  const images: Image[] = []
  for (let i = 0; i < count; i++) {
    const ref = count === 1 ? `${transport}:${file}` : `${transport}:${file}:@${i}`
    images.push(await pullImage(store, ref, opts))
  }
  return images
}
