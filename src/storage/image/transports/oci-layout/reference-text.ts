// The text after "oci:" and "oci-archive:", split as containers/image's oci/internal does: PATH,
// then after the first ":" either an image name (the org.opencontainers.image.ref.name annotation)
// or "@N", the N-th entry of index.json.
import * as path from 'node:path'

import {UsageError} from '../../../../errors'

// image-spec annotations.md: ref ::= component ("/" component)*, component ::= alphanum (separator alphanum)*
const REF_NAME = /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/

export interface OciReferenceParts {
  /** absolute path of the layout directory or archive file */
  path: string
  /** the ref name, "" for none */
  image: string
  /** a zero-based index.json entry, or -1 */
  sourceIndex: number
}

/** True for a valid org.opencontainers.image.ref.name value. */
export function isValidRefName(name: string): boolean {
  return REF_NAME.test(name)
}

/** Checks the parts of an oci: / oci-archive: reference and resolves the path against the working directory. */
export function ociReferenceParts(location: string, image: string, sourceIndex: number, transportName: string): OciReferenceParts {
  const resolved = path.resolve(location)
  if (resolved.includes(':')) throw new UsageError(`Invalid OCI reference: path ${resolved} contains a colon`)
  if (image !== '' && !isValidRefName(image)) throw new UsageError(`Invalid image ${image}`)
  if (sourceIndex !== -1 && (!Number.isSafeInteger(sourceIndex) || sourceIndex < 0)) {
    throw new UsageError(`Invalid ${transportName}: reference: index @${sourceIndex} must not be negative`)
  }
  if (sourceIndex !== -1 && image !== '') {
    throw new UsageError(`Invalid ${transportName}: reference: cannot use both an image ${image} and a source index @${sourceIndex}`)
  }
  return {path: resolved, image, sourceIndex}
}

/** Parses "PATH[:IMAGE]" or "PATH:@N". */
export function parseOciReferenceText(text: string, transportName: string): OciReferenceParts {
  const colon = text.indexOf(':')
  const location = colon === -1 ? text : text.slice(0, colon)
  const rest = colon === -1 ? '' : text.slice(colon + 1)
  let image = rest
  let sourceIndex = -1
  if (rest.startsWith('@')) {
    const digits = rest.slice(1)
    if (!/^-?[0-9]+$/.test(digits)) throw new UsageError(`Invalid source index @${digits}: not an integer`)
    sourceIndex = Number(digits)
    if (sourceIndex < 0) throw new UsageError(`Invalid source index @${sourceIndex}: must not be negative`)
    if (!Number.isSafeInteger(sourceIndex)) throw new UsageError(`Invalid source index @${digits}: out of range`)
    image = ''
  }
  return ociReferenceParts(location, image, sourceIndex, transportName)
}

/** The text parseOciReferenceText reads back into the same parts. */
export function formatOciReferenceText(parts: OciReferenceParts): string {
  if (parts.sourceIndex !== -1) return `${parts.path}:@${parts.sourceIndex}`
  return parts.image === '' ? parts.path : `${parts.path}:${parts.image}`
}
