// Names given by `tag` (and `untag`), normalized as Podman does: a name without a registry is
// a local one, "localhost/NAME", and a name without a tag gets "latest".
import {UsageError} from '../../../errors'
import {isRegistryDomain, parseNormalizedName, parseReferenceParts} from '../../image/reference/docker-reference'

export function normalizeTagName(text: string): string {
  const parts = parseReferenceParts(text)
  const qualified = isRegistryDomain(parts.domain) ? text : `localhost/${text}`
  const ref = parseNormalizedName(qualified)
  if (ref.digest) throw new UsageError(`${text}: tag by digest not supported`)
  return ref.withDefaultTag().toString()
}
