// Image names as containers/image's docker/reference (the distribution/reference grammar) parses
// and normalizes them: "alpine" is docker.io/library/alpine, "quay.io/a/b:1" stays as written.
import {UsageError} from '../../../errors'

const NAME_TOTAL_LENGTH_MAX = 255
const DEFAULT_DOMAIN = 'docker.io'
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
const DEFAULT_DOMAIN_ENDPOINT = 'registry-1.docker.io'
const OFFICIAL_REPO_NAME = 'library'
const DEFAULT_TAG = 'latest'

const alphaNumeric = '[a-z0-9]+'
// distribution writes the separator `(?:[._]|__|[-]*)`; its empty alternative only splits an
// alphanumeric run in two, so `-+` accepts the same names without V8's exponential backtracking.
const separator = '(?:[._]|__|-+)'
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const tagPattern = '[\\w][\\w.-]{0,127}'
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}'
const nameComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`
const domainPattern = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`
const pathPattern = `${nameComponent}(?:/${nameComponent})*`
const namePattern = `(?:${domainPattern}/)?${pathPattern}`

const referenceRegexp = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`)
const anchoredNameRegexp = new RegExp(`^(?:(${domainPattern})/)?(${pathPattern})$`)
const anchoredDomainRegexp = new RegExp(`^${domainPattern}$`)
const anchoredPathRegexp = new RegExp(`^${pathPattern}$`)
const anchoredTagRegexp = new RegExp(`^${tagPattern}$`)
const anchoredDigestRegexp = new RegExp(`^${digestPattern}$`)
const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/
// go-digest's DigestRegexpAnchored, used to tell a malformed digest from an unknown algorithm
const goDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
const digestHexLength = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
])

/** A reference split as written, without normalization (distribution's reference.Parse). */
export interface ReferenceParts {
  /** the first path component, when the name grammar reads it as a host[:port] */
  domain?: string
  path: string
  tag?: string
  digest?: string
}

/** go-digest's Digest.Validate: the message, or undefined for a valid digest. */
function digestProblem(digest: string): string | undefined {
  const i = digest.indexOf(':')
  if (i <= 0 || i + 1 === digest.length) return 'invalid checksum digest format'
  const algorithm = digest.slice(0, i)
  const encoded = digest.slice(i + 1)
  const hexLength = digestHexLength.get(algorithm)
  if (hexLength === undefined) {
    return goDigestRegexp.test(digest) ? 'unsupported digest algorithm' : 'invalid checksum digest format'
  }
  if (encoded.length !== hexLength) return 'invalid checksum digest length'
  if (!/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest format'
  return undefined
}

/** Parses any reference without normalizing it: "alpine" has no domain, "a/b" has domain "a". */
export function parseReferenceParts(text: string): ReferenceParts {
  const match = referenceRegexp.exec(text)
  if (!match) {
    if (text === '') throw new UsageError('repository name must have at least one component')
    if (referenceRegexp.test(text.toLowerCase())) throw new UsageError('repository name must be lowercase')
    throw new UsageError('invalid reference format')
  }
  const [, name, tag, digest] = match
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new UsageError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`)
  }
  if (digest !== undefined) {
    const problem = digestProblem(digest)
    if (problem) throw new UsageError(problem)
  }
  const nameMatch = anchoredNameRegexp.exec(name)!
  return {domain: nameMatch[1], path: nameMatch[2], tag, digest}
}

/** The first path component names a registry: it has a "." or ":", or is "localhost". */
export function isRegistryDomain(domain: string | undefined): boolean {
  return domain !== undefined && (domain.includes('.') || domain.includes(':') || domain === 'localhost')
}

/** A fully qualified image reference: a domain, a repository path and an optional tag and digest. */
export class DockerReference {
  readonly domain: string
  readonly path: string
  readonly tag?: string
  readonly digest?: string

  constructor(parts: {domain: string; path: string; tag?: string; digest?: string}) {
    if (!anchoredDomainRegexp.test(parts.domain) || !anchoredPathRegexp.test(parts.path)) {
      throw new UsageError('invalid reference format')
    }
    if (parts.domain.length + 1 + parts.path.length > NAME_TOTAL_LENGTH_MAX) {
      throw new UsageError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`)
    }
    if (parts.tag !== undefined && !anchoredTagRegexp.test(parts.tag)) throw new UsageError('invalid tag format')
    if (parts.digest !== undefined) {
      if (!anchoredDigestRegexp.test(parts.digest)) throw new UsageError('invalid digest format')
      const problem = digestProblem(parts.digest)
      if (problem) throw new UsageError(problem)
    }
    this.domain = parts.domain
    this.path = parts.path
    if (parts.tag !== undefined) this.tag = parts.tag
    if (parts.digest !== undefined) this.digest = parts.digest
  }

  /** "docker.io/library/alpine" */
  repository(): string {
    return `${this.domain}/${this.path}`
  }

  /** "docker.io/library/alpine:latest", "quay.io/x/y@sha256:…", "host/x:tag@sha256:…" */
  toString(): string {
    return this.repository() + suffix(this.tag, this.digest)
  }

  /** The short form Docker prints: "alpine:latest", "user/app", "quay.io/x/y:1". */
  familiar(): string {
    let name = this.repository()
    if (this.domain === DEFAULT_DOMAIN) {
      const components = this.path.split('/')
      name = components.length === 2 && components[0] === OFFICIAL_REPO_NAME ? components[1] : this.path
    }
    return name + suffix(this.tag, this.digest)
  }

  /** The same reference with tag "latest" when it has neither a tag nor a digest. */
  withDefaultTag(): DockerReference {
    if (this.tag !== undefined || this.digest !== undefined) return this
    return this.withTag(DEFAULT_TAG)
  }

  /** The same repository with this tag (a digest stays). */
  withTag(tag: string): DockerReference {
    return new DockerReference({domain: this.domain, path: this.path, tag, digest: this.digest})
  }

  /** The same repository with this digest (a tag stays). */
  withDigest(digest: string): DockerReference {
    return new DockerReference({domain: this.domain, path: this.path, tag: this.tag, digest})
  }

  /** "repo:tag@digest" as "repo@digest": the digest alone names the image (containers/common's normalizeTaggedDigestedNamed). */
  withoutTagIfDigested(): DockerReference {
    if (this.tag === undefined || this.digest === undefined) return this
    return new DockerReference({domain: this.domain, path: this.path, digest: this.digest})
  }

  /** The repository alone, without tag or digest. */
  withoutTagOrDigest(): DockerReference {
    return new DockerReference({domain: this.domain, path: this.path})
  }
}

function suffix(tag: string | undefined, digest: string | undefined): string {
  return (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '')
}

function splitDockerDomain(name: string): [string, string] {
  const i = name.indexOf('/')
  let domain: string
  let remainder: string
  if (i === -1 || !isRegistryDomain(name.slice(0, i))) {
    domain = DEFAULT_DOMAIN
    remainder = name
  } else {
    domain = name.slice(0, i)
    remainder = name.slice(i + 1)
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `${OFFICIAL_REPO_NAME}/${remainder}`
  return [domain, remainder]
}

/**
 * ParseNormalizedNamed: a name whose first component is not a registry (no "." or ":", not
 * "localhost") is on docker.io, and a single-component docker.io name is under "library/".
 */
export function parseNormalizedName(text: string): DockerReference {
  if (anchoredIdentifierRegexp.test(text)) {
    throw new UsageError(`invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`)
  }
  const [domain, remainder] = splitDockerDomain(text)
  const tagSeparator = remainder.indexOf(':')
  const remoteName = tagSeparator > -1 ? remainder.slice(0, tagSeparator) : remainder
  if (remoteName.toLowerCase() !== remoteName) {
    throw new UsageError('invalid reference format: repository name must be lowercase')
  }
  const parts = parseReferenceParts(`${domain}/${remainder}`)
  // containers/image would return a domain-less name here ("foo_bar.com/x": "_" is not allowed
  // in a host name); such a name cannot be pulled from anywhere, so it is refused up front.
  if (parts.domain === undefined) throw new UsageError('invalid reference format')
  return new DockerReference({domain: parts.domain, path: parts.path, tag: parts.tag, digest: parts.digest})
}

/** An image ID ("<64 hex>" or "sha256:<64 hex>"), which names a local image rather than a repository. */
export function isImageId(text: string): boolean {
  return anchoredIdentifierRegexp.test(text.startsWith('sha256:') ? text.slice('sha256:'.length) : text)
}

/**
 * A name without a registry ("alpine", "library/alpine:3.20", "app@sha256:…") that short-name
 * resolution completes; image IDs and unparseable text are not short names.
 */
export function isShortName(text: string): boolean {
  if (isImageId(text)) return false
  let parts: ReferenceParts
  try {
    parts = parseReferenceParts(text)
  } catch {
    return false
  }
  return !isRegistryDomain(parts.domain)
}

/** The host to contact for a reference's domain: Docker Hub's registry API lives on registry-1.docker.io. */
export function registryEndpoint(domain: string): string {
  return domain === DEFAULT_DOMAIN ? DEFAULT_DOMAIN_ENDPOINT : domain
}
