// The "oci:" transport: an image in an OCI image layout directory, "oci:DIR[:REF]" or "oci:DIR:@N".
import {TspodError} from '../../../../errors'
import {ImageContext, ImageReference, Transport} from '../types'
import {OciLayoutDestination} from './destination'
import {formatOciReferenceText, ociReferenceParts, parseOciReferenceText} from './reference-text'
import {OciLayoutSource} from './source'

export const OCI_TRANSPORT_NAME = 'oci'

export class OciLayoutReference implements ImageReference {
  readonly transport: OciLayoutTransport = ociLayoutTransport
  /** absolute path of the layout directory */
  readonly dir: string
  /** the org.opencontainers.image.ref.name of the image, "" for none */
  readonly image: string
  /** the index.json entry to read, or -1 */
  readonly sourceIndex: number

  constructor(dir: string, image = '', sourceIndex = -1) {
    const parts = ociReferenceParts(dir, image, sourceIndex, OCI_TRANSPORT_NAME)
    this.dir = parts.path
    this.image = parts.image
    this.sourceIndex = parts.sourceIndex
  }

  toString(): string {
    return formatOciReferenceText({path: this.dir, image: this.image, sourceIndex: this.sourceIndex})
  }

  dockerReference(): string | undefined {
    return undefined
  }

  newSource(ctx: ImageContext): Promise<OciLayoutSource> {
    return OciLayoutSource.open({reference: this, dir: this.dir, image: this.image, sourceIndex: this.sourceIndex, ctx})
  }

  async newDestination(ctx: ImageContext): Promise<OciLayoutDestination> {
    if (this.sourceIndex !== -1) throw new TspodError(`Destination reference must not contain a manifest index @${this.sourceIndex}`)
    return OciLayoutDestination.open({reference: this, dir: this.dir, image: this.image, ctx})
  }
}

export interface OciLayoutTransport extends Transport {
  parseReference(text: string): OciLayoutReference
}

export const ociLayoutTransport: OciLayoutTransport = {
  name: OCI_TRANSPORT_NAME,
  parseReference(text: string): OciLayoutReference {
    const parts = parseOciReferenceText(text, OCI_TRANSPORT_NAME)
    return new OciLayoutReference(parts.path, parts.image, parts.sourceIndex)
  },
}
