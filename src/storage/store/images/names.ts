// Names given by `tag` (and `untag`), normalized as Podman does: a name without a registry is
// a local one, "localhost/NAME", and a name without a tag gets "latest".
import {UsageError} from '../../../errors'
import {DockerReference, isRegistryDomain, parseNormalizedName, parseReferenceParts} from '../../image/reference/docker-reference'

function normalizeName(text: string): DockerReference {
  const parts = parseReferenceParts(text)
  const qualified = isRegistryDomain(parts.domain) ? text : `localhost/${text}`
  return parseNormalizedName(qualified)
}

export function normalizeTagName(text: string): string {
  const ref = normalizeName(text)
  if (ref.digest) throw new UsageError(`${text}: tag by digest not supported`)
  return ref.withDefaultTag().toString()
}

/** A name to take off an image: a digested one ("repo@sha256:…", a pull by digest gave it) included, its tag dropped. */
export function normalizeUntagName(text: string): string {
  return normalizeName(text).withoutTagIfDigested().withDefaultTag().toString()
}
