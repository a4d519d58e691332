// The "oci-archive:" transport: an OCI image layout packed in one tar file,
// "oci-archive:FILE[:REF]" or "oci-archive:FILE:@N".
import * as os from 'node:os'

import {TspodError} from '../../../../errors'
import {formatOciReferenceText, ociReferenceParts, parseOciReferenceText} from '../oci-layout/reference-text'
import {ImageContext, ImageReference, Transport} from '../types'
import {OciArchiveDestination} from './destination'
import {openOciArchiveSource} from './source'
import type {OciLayoutSource} from '../oci-layout/source'

export const OCI_ARCHIVE_TRANSPORT_NAME = 'oci-archive'

export interface ArchiveReferenceOptions {
  /**
   * Where to unpack or assemble archives (big files: the store passes a directory inside its graph
   * root); os.tmpdir() when not given.
   */
  tmpDir?: string
}

export class OciArchiveReference implements ImageReference {
  readonly transport: OciArchiveTransport = ociArchiveTransport
  /** absolute path of the archive */
  readonly file: string
  /** the org.opencontainers.image.ref.name of the image, "" for none */
  readonly image: string
  /** the index.json entry to read, or -1 */
  readonly sourceIndex: number
  readonly tmpDir: string

  constructor(file: string, image = '', sourceIndex = -1, options: ArchiveReferenceOptions = {}) {
    const parts = ociReferenceParts(file, image, sourceIndex, OCI_ARCHIVE_TRANSPORT_NAME)
    this.file = parts.path
    this.image = parts.image
    this.sourceIndex = parts.sourceIndex
    this.tmpDir = options.tmpDir ?? os.tmpdir()
  }

  toString(): string {
    return formatOciReferenceText({path: this.file, image: this.image, sourceIndex: this.sourceIndex})
  }

  dockerReference(): string | undefined {
    return undefined
  }

  newSource(ctx: ImageContext): Promise<OciLayoutSource> {
    return openOciArchiveSource(this, ctx)
  }

  async newDestination(ctx: ImageContext): Promise<OciArchiveDestination> {
    if (this.sourceIndex !== -1) throw new TspodError(`Destination reference must not contain a manifest index @${this.sourceIndex}`)
    return OciArchiveDestination.open(this, ctx)
  }
}

export interface OciArchiveTransport extends Transport {
  parseReference(text: string, options?: ArchiveReferenceOptions): OciArchiveReference
}

export const ociArchiveTransport: OciArchiveTransport = {
  name: OCI_ARCHIVE_TRANSPORT_NAME,
  parseReference(text: string, options: ArchiveReferenceOptions = {}): OciArchiveReference {
    const parts = parseOciReferenceText(text, OCI_ARCHIVE_TRANSPORT_NAME)
    return new OciArchiveReference(parts.path, parts.image, parts.sourceIndex, options)
  },
}
