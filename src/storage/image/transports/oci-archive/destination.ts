// Writing an image as an oci-archive: an OCI layout is assembled in a temporary directory (under
// the reference's tmpDir), and commit() packs it into a temporary file next to FILE and renames
// that over FILE. close() without commit leaves FILE as it was.
import {mkdtemp, open, rename, rm, unlink} from 'node:fs/promises'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'
import {OciLayoutDestination} from '../oci-layout/destination'
import {tempPathNextTo} from '../oci-layout/file-writes'
import {BlobInfo, ImageContext, ImageDestination, ManifestBlob} from '../types'
import {tarDirectory} from './tar-directory'
import type {OciArchiveReference} from './transport'

export class OciArchiveDestination implements ImageDestination {
  readonly reference: OciArchiveReference
  readonly supportedManifestTypes: string[]
  private readonly layout: OciLayoutDestination
  private readonly dir: string
  private readonly ctx: ImageContext
  private closed = false

  private constructor(reference: OciArchiveReference, layout: OciLayoutDestination, dir: string, ctx: ImageContext) {
    this.reference = reference
    this.layout = layout
    this.dir = dir
    this.ctx = ctx
    this.supportedManifestTypes = layout.supportedManifestTypes
  }

  static async open(reference: OciArchiveReference, ctx: ImageContext): Promise<OciArchiveDestination> {
    let dir: string
    try {
      dir = await mkdtemp(path.join(reference.tmpDir, 'oci-archive-'))
    } catch (err) {
      throw wrap(err, 'creating temp directory')
    }
    try {
      const layout = await OciLayoutDestination.open({reference, dir, image: reference.image, ctx})
      return new OciArchiveDestination(reference, layout, dir, ctx)
    } catch (err) {
      await rm(dir, {recursive: true, force: true})
      throw err
    }
  }

  tryReusingBlob(info: BlobInfo): Promise<BlobInfo | undefined> {
    return this.layout.tryReusingBlob(info)
  }

  putBlob(stream: Readable, info: BlobInfo, options?: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo> {
    return this.layout.putBlob(stream, info, options)
  }

  putManifest(manifest: ManifestBlob): Promise<void> {
    return this.layout.putManifest(manifest)
  }

  async commit(): Promise<void> {
    if (this.closed) throw new TspodError(`image destination oci-archive:${this.reference.toString()} is closed`)
    await this.layout.commit()
    const file = this.reference.file
    const temp = tempPathNextTo(file)
    try {
      const handle = await open(temp, 'wx', 0o644)
      try {
        await tarDirectory(this.dir, handle, this.ctx.signal)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, file)
    } catch (err) {
      await unlink(temp).catch(() => undefined)
      throw wrap(err, `writing oci-archive ${file}`)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.layout.close()
    await rm(this.dir, {recursive: true, force: true})
  }
}
