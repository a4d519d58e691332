// The "dir:" transport (containers/image's directory/): an image as plain files in a directory,
// "dir:PATH": manifest.json, each blob named by its hex digest, and a version file.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {TspodError, UsageError} from '../../../../errors'
import {guessManifestMediaType} from '../../manifest/manifest'
import {BlobInfo, ImageContext, ImageReference, ImageSource, ManifestBlob, Transport} from '../types'
import {DirDestination} from './destination'

export const DIR_VERSION_FILE = 'version'
export const DIR_VERSION = 'Directory Transport Version: 1.1\n'
export const DIR_MANIFEST_FILE = 'manifest.json'

/** Where a blob lives: "<hex>" for sha256, "<algorithm>-<hex>" for others. */
export function dirBlobPath(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':')
  if (!hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[0-9a-f]+$/.test(hex)) throw new TspodError(`invalid digest ${JSON.stringify(digest)}`)
  return path.join(dir, algorithm === 'sha256' ? hex : `${algorithm}-${hex}`)
}

export class DirReference implements ImageReference {
  readonly transport = dirTransport

  /** dir: absolute */
  constructor(readonly dir: string) {}

  toString(): string {
    return this.dir
  }

  dockerReference(): undefined {
    return undefined
  }

  async newSource(): Promise<ImageSource> {
    return new DirSource(this)
  }

  newDestination(ctx: ImageContext): Promise<DirDestination> {
    return DirDestination.open(this, ctx)
  }
}

class DirSource implements ImageSource {
  constructor(readonly reference: DirReference) {}

  async getManifest(instanceDigest?: string): Promise<ManifestBlob> {
    const file = instanceDigest === undefined ? path.join(this.reference.dir, DIR_MANIFEST_FILE) : `${dirBlobPath(this.reference.dir, instanceDigest)}.manifest.json`
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(file)
    } catch (err) {
      throw new TspodError(`reading manifest ${file}: ${(err as Error).message}`, {cause: err})
    }
    return {bytes, mediaType: guessManifestMediaType(bytes) ?? ''}
  }

  async getBlob(info: BlobInfo): Promise<{stream: Readable; size: number}> {
    const file = dirBlobPath(this.reference.dir, info.digest)
    let size: number
    try {
      size = fs.statSync(file).size
    } catch (err) {
      throw new TspodError(`reading blob ${info.digest} in ${this.reference.dir}: ${(err as Error).message}`, {cause: err})
    }
    return {stream: fs.createReadStream(file), size}
  }

  async close(): Promise<void> {}
}

export const dirTransport: Transport = {
  name: 'dir',
  parseReference(text: string): DirReference {
    if (text === '') throw new UsageError('dir: an empty path is not a valid directory reference')
    if (text.includes(':')) throw new UsageError(`Invalid path ${JSON.stringify(text)}: the dir: transport takes a path without ":"`)
    return new DirReference(path.resolve(text))
  },
}
