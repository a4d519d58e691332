// Short-name resolution ("alpine" → registries to try), after containers/image's pkg/shortnames
// Resolve and ResolveLocally, with registries.conf's aliases, search registries and mode.
import {TspodError, UsageError} from '../../../errors'
import type {RegistriesConfig} from '../config/registries-conf'
import {DockerReference, ReferenceParts, isRegistryDomain, parseNormalizedName, parseReferenceParts} from './docker-reference'

export interface ShortNameResolution {
  /** fully qualified references to try in order, each with a tag or digest */
  candidates: DockerReference[]
  /** the single candidate came from a short-name alias */
  alias: boolean
  /** what Podman prints before pulling, e.g. `Resolved "alpine" as an alias (/etc/…/shortnames.conf)` */
  description?: string
  /**
   * Several search registries and a terminal: Podman asks the user to pick one candidate
   * (and records the choice as an alias) instead of trying them all.
   */
  needsUserChoice: boolean
}

const quote = JSON.stringify

function rethrow(err: unknown, context: string): never {
  const message = `${context}: ${(err as Error).message}`
  throw err instanceof UsageError ? new UsageError(message, {cause: err}) : new TspodError(message, {cause: err})
}

/** parseUnnormalizedShortName: the name as written if it is short, else the normalized reference. */
function parseUserInput(name: string): {short: ReferenceParts} | {qualified: DockerReference} {
  let parts: ReferenceParts
  try {
    parts = parseReferenceParts(name)
  } catch (err) {
    rethrow(err, `cannot parse input: ${quote(name)}`)
  }
  if (!isRegistryDomain(parts.domain)) return {short: parts}
  try {
    return {qualified: parseNormalizedName(name)}
  } catch (err) {
    rethrow(err, `cannot normalize input: ${quote(name)}`)
  }
}

function repositoryAsWritten(parts: ReferenceParts): string {
  return parts.domain === undefined ? parts.path : `${parts.domain}/${parts.path}`
}

/** The alias for a short name, carrying over the tag and digest the user gave. */
function aliasCandidate(parts: ReferenceParts, config: RegistriesConfig): {ref: DockerReference; origin: string} | undefined {
  const alias = config.aliases.get(repositoryAsWritten(parts))
  if (alias?.value === undefined) return undefined
  let ref = alias.value
  if (parts.tag !== undefined) ref = ref.withTag(parts.tag)
  if (parts.digest !== undefined) ref = ref.withDigest(parts.digest)
  return {ref: ref.withDefaultTag(), origin: alias.origin}
}

function qualifyWith(registry: string, name: string): DockerReference {
  try {
    return parseNormalizedName(`${registry}/${name}`).withDefaultTag()
  } catch (err) {
    rethrow(err, `creating reference with unqualified-search registry ${quote(registry)}`)
  }
}

/**
 * The references a pull of name tries. A fully qualified name is itself (tagged "latest" when it
 * has no tag or digest); a short name resolves to its alias, else to each unqualified-search
 * registry. Without a terminal, "enforcing" refuses to guess between several registries.
 */
export function resolveShortName(name: string, config: RegistriesConfig, options: {isTerminal: boolean}): ShortNameResolution {
  const input = parseUserInput(name)
  if ('qualified' in input) return {candidates: [input.qualified.withDefaultTag()], alias: false, needsUserChoice: false}
  const shortRepo = repositoryAsWritten(input.short)

  const alias = aliasCandidate(input.short, config)
  if (alias) {
    return {
      candidates: [alias.ref],
      alias: true,
      description: `Resolved ${quote(shortRepo)} as an alias (${alias.origin})`,
      needsUserChoice: false,
    }
  }

  const registries = config.unqualifiedSearchRegistries
  const origin = config.unqualifiedSearchRegistriesOrigin
  if (registries.length === 0) {
    throw new UsageError(
      origin
        ? `short-name ${quote(name)} did not resolve to an alias and no unqualified-search registries are defined in ${quote(origin)}`
        : `short-name ${quote(name)} did not resolve to an alias and no containers-registries.conf(5) was found`,
    )
  }
  const resolution: ShortNameResolution = {
    candidates: registries.map((registry) => qualifyWith(registry, name)),
    alias: false,
    description: `Resolving ${quote(shortRepo)} using unqualified-search registries (${origin})`,
    needsUserChoice: false,
  }
  if (config.shortNameMode === 'disabled' || resolution.candidates.length === 1) return resolution
  if (options.isTerminal) return {...resolution, needsUserChoice: true}
  if (config.shortNameMode === 'enforcing') {
    throw new UsageError('short-name resolution enforced but cannot prompt without a TTY')
  }
  return resolution
}

/**
 * The local names a (short) name may refer to, in order: its alias, "localhost/<name>", then
 * each unqualified-search registry (c/image's ResolveLocally). A qualified name is itself.
 */
export function localCandidates(name: string, config: RegistriesConfig): DockerReference[] {
  const input = parseUserInput(name)
  if ('qualified' in input) return [input.qualified.withDefaultTag()]
  const candidates: DockerReference[] = []
  const alias = aliasCandidate(input.short, config)
  if (alias) candidates.push(alias.ref)
  for (const registry of ['localhost', ...config.unqualifiedSearchRegistries]) candidates.push(qualifyWith(registry, name))
  return candidates
}
