// Writing an image into a dir: directory. An existing directory is taken over only when it is
// empty or was written by this transport (its version file says so); its old contents go first.
import {createHash, randomBytes} from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {TspodError, wrap} from '../../../../errors'
import {BlobInfo, ImageContext, ImageDestination, ManifestBlob} from '../types'
import {DIR_MANIFEST_FILE, DIR_VERSION, DIR_VERSION_FILE, DirReference, dirBlobPath} from './transport'

export class DirDestination implements ImageDestination {
  /** every format: the manifest is written as the source has it */
  readonly supportedManifestTypes = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json']

  private constructor(readonly reference: DirReference) {}

  static async open(reference: DirReference, _ctx: ImageContext): Promise<DirDestination> {
    const dir = reference.dir
    let entries: string[] | undefined
    try {
      entries = fs.readdirSync(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw wrap(err, `reading directory ${dir}`)
    }
    try {
      if (entries === undefined) {
        fs.mkdirSync(dir, {recursive: true, mode: 0o755})
      } else if (entries.length > 0) {
        let version = ''
        try {
          version = fs.readFileSync(path.join(dir, DIR_VERSION_FILE), 'utf8')
        } catch {
          // no version file: not ours
        }
        if (version !== DIR_VERSION) throw new TspodError(`non-empty directory ${JSON.stringify(dir)} that doesn't look like a dir: destination`)
        for (const entry of entries) fs.rmSync(path.join(dir, entry), {recursive: true, force: true})
      }
      fs.writeFileSync(path.join(dir, DIR_VERSION_FILE), DIR_VERSION, {mode: 0o644})
    } catch (err) {
      throw err instanceof TspodError ? err : wrap(err, `creating dir: destination ${dir}`)
    }
    return new DirDestination(reference)
  }

  async tryReusingBlob(info: BlobInfo): Promise<BlobInfo | undefined> {
    try {
      const size = fs.statSync(dirBlobPath(this.reference.dir, info.digest)).size
      return {...info, size}
    } catch {
      return undefined
    }
  }

  /** Written to a temporary file, hashed as it flows, then renamed to its digest's name. */
  async putBlob(stream: Readable, info: BlobInfo): Promise<BlobInfo> {
    const temp = path.join(this.reference.dir, `.blob-${randomBytes(6).toString('hex')}.tmp`)
    const hash = createHash('sha256')
    let size = 0
    try {
      await pipeline(
        stream,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk)
            size += chunk.length
            yield chunk
          }
        },
        fs.createWriteStream(temp, {mode: 0o644}),
      )
      const digest = `sha256:${hash.digest('hex')}`
      if (info.digest && info.digest.startsWith('sha256:') && info.digest !== digest) {
        throw new TspodError(`writing blob: digest mismatch: expected ${info.digest}, got ${digest}`)
      }
      fs.renameSync(temp, dirBlobPath(this.reference.dir, info.digest || digest))
      return {...info, digest: info.digest || digest, size}
    } catch (err) {
      fs.rmSync(temp, {force: true})
      throw err instanceof TspodError ? err : wrap(err, `writing blob to ${this.reference.dir}`)
    }
  }

  async putManifest(manifest: ManifestBlob): Promise<void> {
    try {
      fs.writeFileSync(path.join(this.reference.dir, DIR_MANIFEST_FILE), manifest.bytes, {mode: 0o644})
    } catch (err) {
      throw wrap(err, `writing manifest to ${this.reference.dir}`)
    }
  }

  /** Every file is in place as it is written. */
  async commit(): Promise<void> {}

  async close(): Promise<void> {}
}
