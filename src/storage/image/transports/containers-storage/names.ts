// The names an image loaded from an archive or layout gets, as Podman gives them: a
// docker-archive's RepoTags, or an OCI layout's ref name annotation when it is an image name
// ("localhost/app:1", "docker.io/library/alpine:latest", or "app:1" → "localhost/app:1").
import {ANNOTATION_REF_NAME} from '../../manifest/media-types'
import {isRegistryDomain, parseNormalizedName, parseReferenceParts} from '../../reference/docker-reference'
import {DockerArchiveSource} from '../docker-archive/source'
import {OciLayoutSource} from '../oci-layout/source'
import type {ImageSource} from '../types'

function qualify(name: string): string | undefined {
  try {
    const parts = parseReferenceParts(name)
    if (parts.domain === undefined && parts.tag === undefined && parts.digest === undefined && !parts.path.includes('/')) return undefined // a bare tag
    const full = isRegistryDomain(parts.domain) || name.startsWith('docker.io/') ? name : `localhost/${name}`
    return parseNormalizedName(full).withDefaultTag().toString()
  } catch {
    return undefined
  }
}

export function sourceImageNames(source: ImageSource): string[] {
  const given =
    source instanceof DockerArchiveSource
      ? source.repoTags
      : source instanceof OciLayoutSource
        ? [source.entry.annotations?.[ANNOTATION_REF_NAME]].filter((n): n is string => n !== undefined)
        : []
  return [...new Set(given.map(qualify).filter((n): n is string => n !== undefined))]
}
