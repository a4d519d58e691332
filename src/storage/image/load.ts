// `tspod load`: every image of a docker-archive or oci-archive file (as `podman load` does),
// or of an OCI layout directory, copied into the store.
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import {detectCompression} from '../store/archive/decompress'
import {CopiedImage, PullOptions, pullLocalImage} from './pull'
import type {Store} from '../store/store'
import {TarIndex} from './transports/docker-archive/tar-index'

const MAX_INDEX_SIZE = 4 * 1024 * 1024

/** The transport an archive is in, and how many images it holds. */
async function inspectArchive(file: string, label: string): Promise<{transport: string; count: number}> {
  const unsupported = (why: string) => new TspodError(`payload does not match any of the supported image formats: ${label} ${why}`)
  if (fs.statSync(file).isDirectory()) {
    const index = JSON.parse(fs.readFileSync(`${file}/index.json`, 'utf8')) as {manifests?: unknown[]}
    return {transport: 'oci', count: index.manifests?.length ?? 0}
  }
  let tar: TarIndex
  try {
    tar = await TarIndex.build(file)
  } catch {
    // Not a plain tar: a compressed docker save, which the docker-archive source decompresses, or garbage.
    if (isCompressed(file)) return {transport: 'docker-archive', count: 1}
    throw unsupported('is neither a tar archive nor a compressed one')
  }
  const manifest = tar.resolve('manifest.json')
  if (manifest) return {transport: 'docker-archive', count: (JSON.parse((await tar.read(manifest, MAX_INDEX_SIZE)).toString()) as unknown[]).length}
  const index = tar.resolve('index.json')
  if (index) return {transport: 'oci-archive', count: ((JSON.parse((await tar.read(index, MAX_INDEX_SIZE)).toString()) as {manifests?: unknown[]}).manifests ?? []).length}
  throw unsupported('is neither a docker-archive (no manifest.json) nor an oci-archive (no index.json)')
}

function isCompressed(file: string): boolean {
  const head = Buffer.alloc(4)
  const fd = fs.openSync(file, 'r')
  try {
    const n = fs.readSync(fd, head, 0, head.length, 0)
    const compression = detectCompression(head.subarray(0, n))
    return compression !== 'none'
  } catch {
    return false
  } finally {
    fs.closeSync(fd)
  }
}

/** LABEL names the input in errors ("stdin" when it was piped in), FILE by default. */
export async function loadImages(store: Store, file: string, opts: PullOptions, label = file): Promise<CopiedImage[]> {
  if (!fs.existsSync(file)) throw new TspodError(`open ${file}: no such file or directory`, {code: 'ENOENT', path: file})
  const {transport, count} = await inspectArchive(file, label)
  if (count === 0) throw new TspodError(`${label} holds no image`)
  const images: CopiedImage[] = []
  for (let i = 0; i < count; i++) {
    const ref = count === 1 ? `${transport}:${file}` : `${transport}:${file}:@${i}`
    images.push(await pullLocalImage(store, ref, opts))
  }
  return images
}
