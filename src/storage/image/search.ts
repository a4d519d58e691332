// `search`: images in registries, as containers/common's libimage Search and containers/image's
// SearchRegistry find them. A term "REGISTRY/REST" searches that registry for REST, any other the
// unqualified-search registries, each on its own: the v1 search API when the term is not empty,
// else (or when the registry has none) /v2/_catalog, whose repository names are matched against
// the term. With listTags, the tags of the repository REGISTRY/TERM instead.
import * as http from 'node:http'

import {TspodError, UsageError, wrap} from '../../errors'
import {Credentials, getCredentials} from './config/auth-file'
import {RegistriesConfig, findRegistry} from './config/registries-conf'
import {parseNormalizedName, registryEndpoint} from './reference/docker-reference'
import {RegistryClient} from './transports/docker/client'
import type {HttpResponse} from './transports/docker/http-request'
import {registryTimeouts, registryTls} from './transports/docker/transport'

/** One line of the result: Podman's ImageSearchReport, field for field. */
export interface SearchResult {
  Index: string
  Name: string
  Description: string
  Stars: number
  /** "[OK]" or "" */
  Official: string
  /** "[OK]" or "" */
  Automated: string
  /** with listTags only */
  Tag: string
}

export interface SearchFilter {
  stars: number
  isAutomated?: boolean
  isOfficial?: boolean
}

export interface SearchOptions {
  filter?: SearchFilter
  /** results per registry (25 when 0 or unset) */
  limit?: number
  listTags?: boolean
  authFile?: string
  /** --creds: used instead of the auth file's */
  credentials?: Credentials
  tlsVerify?: boolean
  certDir?: string
  registries: RegistriesConfig
  signal?: AbortSignal
  idleTimeoutMs?: number
  env?: NodeJS.ProcessEnv
}

/** what a registry is asked for when no limit is given */
const DEFAULT_LIMIT = 25
/** registries searched at once (libimage's searchMaxParallel) */
const PARALLEL = 6
const MAX_BODY_SIZE = 16 * 1024 * 1024
const DOCKER_HUB = 'docker.io'
/** the v1 search API of Docker Hub answers there (its /v2/_catalog is closed) */
const DOCKER_HUB_V1 = 'index.docker.io'

/** libimage's ParseSearchFilter: stars=N, is-automated[=false], is-official[=false]. */
export function parseSearchFilters(filters: string[]): SearchFilter {
  const filter: SearchFilter = {stars: 0}
  for (const f of filters) {
    const eq = f.indexOf('=')
    const [key, value] = eq < 0 ? [f, undefined] : [f.slice(0, eq), f.slice(eq + 1)]
    switch (key) {
      case 'stars': {
        if (value === undefined) throw new UsageError(`invalid filter [${filters.map((x) => JSON.stringify(x)).join(' ')}], should be stars=<value>`)
        if (!/^[+-]?\d+$/.test(value)) throw new UsageError(`incorrect value type for stars filter: strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`)
        filter.stars = Number(value)
        break
      }
      case 'is-automated':
        filter.isAutomated = value !== 'false'
        break
      case 'is-official':
        filter.isOfficial = value !== 'false'
        break
      default:
        throw new UsageError(`invalid filter type ${JSON.stringify(f)}`)
    }
  }
  return filter
}

/** What a registry's search API returns for one repository (containers/image's SearchResult). */
interface RegistryHit {
  name: string
  description: string
  starCount: number
  isOfficial: boolean
  isAutomated: boolean
}

function matchesFilter(hit: RegistryHit, filter: SearchFilter): boolean {
  if (filter.isAutomated !== undefined && hit.isAutomated !== filter.isAutomated) return false
  if (filter.isOfficial !== undefined && hit.isOfficial !== filter.isOfficial) return false
  return hit.starCount >= filter.stars
}

/** The search's result, each registry's in the order of the registries; an error only when no registry gave any. */
export async function searchImages(term: string, options: SearchOptions): Promise<SearchResult[]> {
  const slash = term.indexOf('/')
  const registries = slash >= 0 ? [term.slice(0, slash)] : options.registries.unqualifiedSearchRegistries
  const query = slash >= 0 ? term.slice(slash + 1) : term
  const outcomes: ({results: SearchResult[]} | {error: Error})[] = new Array(registries.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < registries.length) {
      const i = next++
      try {
        outcomes[i] = {results: options.listTags ? await searchTags(registries[i], query, options) : await searchRegistry(registries[i], query, options)}
      } catch (err) {
        outcomes[i] = {error: err as Error}
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(PARALLEL, registries.length)}, worker))
  const results = outcomes.flatMap((o) => ('results' in o ? o.results : []))
  const errors = outcomes.flatMap((o) => ('error' in o ? [o.error] : []))
  // as libimage: one registry that answered is taken to have what the user looks for
  if (results.length > 0 || errors.length === 0) return results
  const message = `${errors.length} error${errors.length > 1 ? 's' : ''} occurred: ${errors.map((e) => e.message).join('; ')}`
  throw new TspodError(message, {cause: errors[0]})
}

function limitOf(options: SearchOptions): number {
  return options.limit !== undefined && options.limit > 0 ? options.limit : DEFAULT_LIMIT
}

function client(registry: string, repository: string, credentials: () => Credentials | undefined, options: SearchOptions): RegistryClient {
  const insecure = options.tlsVerify === undefined ? findRegistry(options.registries, registry)?.insecure ?? false : !options.tlsVerify
  return new RegistryClient({
    registry,
    repository,
    insecure,
    tls: registryTls(registry, {certDir: options.certDir, env: options.env}),
    getCredentials: credentials,
    signal: options.signal,
    timeouts: registryTimeouts(options.idleTimeoutMs),
  })
}

async function readJson(response: HttpResponse, context: string): Promise<unknown> {
  const body = await response.body.readAll(MAX_BODY_SIZE)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw wrap(err, context)
  }
}

/** containers/image's httpResponseToError: "CONTEXT: …", the registry's words for 401, else the status alone. */
async function statusError(api: RegistryClient, response: HttpResponse, context: string): Promise<Error> {
  if (response.status === 401) return api.describeError(response, context)
  response.body.cancel()
  if (response.status === 429) return new TspodError(`${context}: too many requests to registry`)
  return new TspodError(`${context}: invalid status code from registry ${response.status} (${http.STATUS_CODES[response.status] ?? ''})`)
}

/** The path and query of a Link header's next page (the registry's own host is kept). */
function nextPage(response: HttpResponse): string | undefined {
  const link = response.headers.get('link')
  if (!link) return undefined
  const target = link.split(';')[0].trim().replace(/^<|>$/g, '')
  const url = new URL(target, 'http://registry.invalid')
  return url.pathname + url.search
}

async function searchRegistry(registry: string, term: string, options: SearchOptions): Promise<SearchResult[]> {
  const limit = limitOf(options)
  const host = registry === DOCKER_HUB ? DOCKER_HUB_V1 : registryEndpoint(registry)
  const credentials = () => options.credentials ?? getCredentials(registry, undefined, {authFile: options.authFile, env: options.env})
  const api = client(host, '', credentials, options)
  const failed = `couldn't search registry ${JSON.stringify(registry)}`
  let hits: RegistryHit[] | undefined
  try {
    // once: a registry that cannot be reached is not asked a second time for the catalog
    await api.ping()
    if (term !== '') hits = await searchV1(api, term, limit).catch(() => undefined)
    hits ??= await searchCatalog(api, term, limit, failed)
  } catch (err) {
    throw err instanceof TspodError && err.message.startsWith(failed) ? err : wrap(err, failed)
  }
  const index = registry.split('.').slice(-2).join('.')
  return hits
    .slice(0, limit)
    .filter((hit) => matchesFilter(hit, options.filter ?? {stars: 0}))
    .map((hit) => ({
      Index: registry,
      Name: index === DOCKER_HUB && !hit.name.includes('/') ? `${DOCKER_HUB}/library/${hit.name}` : `${registry}/${hit.name}`,
      Description: hit.description.replace(/\n/g, ' '),
      Stars: hit.starCount,
      Official: hit.isOfficial ? '[OK]' : '',
      Automated: hit.isAutomated ? '[OK]' : '',
      Tag: '',
    }))
}

/** GET /v1/search?q=&n=: undefined when the registry has no such API. */
async function searchV1(api: RegistryClient, term: string, limit: number): Promise<RegistryHit[] | undefined> {
  const query = new URLSearchParams({n: String(limit), q: term})
  return api.send(`/v1/search?${query}`, {method: 'GET'}, async (response) => {
    if (response.status !== 200) {
      response.body.cancel()
      return undefined
    }
    const {results} = (await readJson(response, 'reading search results')) as {results?: unknown}
    if (!Array.isArray(results)) return []
    return results.map((r: Record<string, unknown>) => ({
      name: String(r.name ?? ''),
      description: String(r.description ?? ''),
      starCount: Number(r.star_count ?? 0) || 0,
      isOfficial: r.is_official === true,
      isAutomated: r.is_automated === true,
    }))
  })
}

/** /v2/_catalog, page by page, the names that contain the term (an exact match first) up to limit. */
async function searchCatalog(api: RegistryClient, term: string, limit: number, failed: string): Promise<RegistryHit[]> {
  const names: string[] = []
  let page: string | undefined = '/v2/_catalog'
  while (page !== undefined && names.length < limit) {
    page = await api.send(page, {method: 'GET'}, async (response) => {
      if (response.status !== 200) throw await statusError(api, response, failed)
      const {repositories} = (await readJson(response, 'reading the catalog')) as {repositories?: unknown}
      for (const repo of Array.isArray(repositories) ? repositories : []) {
        if (names.length === limit) break
        if (typeof repo !== 'string' || !repo.includes(term)) continue
        if (repo === term) names.unshift(repo)
        else names.push(repo)
      }
      return nextPage(response)
    })
  }
  return names.map((name) => ({name, description: '', starCount: 0, isOfficial: false, isAutomated: false}))
}

/** The repository's tags, as many as the limit (25 without one), from /v2/NAME/tags/list page by page. */
async function searchTags(registry: string, term: string, options: SearchOptions): Promise<SearchResult[]> {
  let ref
  try {
    ref = parseNormalizedName(`${registry}/${term}`)
  } catch {
    throw new TspodError(`reference ${JSON.stringify(term)} must be a docker reference`)
  }
  const credentials = () => options.credentials ?? getCredentials(ref.domain, ref.path, {authFile: options.authFile, env: options.env})
  const api = client(registryEndpoint(ref.domain), ref.path, credentials, options)
  const tags: string[] = []
  let page: string | undefined = `/v2/${ref.path}/tags/list`
  try {
    while (page !== undefined) {
      page = await api.send(page, {method: 'GET'}, async (response) => {
        if (response.status !== 200) throw await statusError(api, response, 'fetching tags list')
        const list = (await readJson(response, 'fetching tags list')) as {tags?: unknown}
        if (Array.isArray(list.tags)) tags.push(...list.tags.map(String))
        return nextPage(response)
      })
    }
  } catch (err) {
    throw wrap(err, 'getting repository tags')
  }
  const name = `${ref.domain}/${ref.path}`
  return tags.slice(0, limitOf(options)).map((tag) => ({Index: registry, Name: name, Description: '', Stars: 0, Official: '', Automated: '', Tag: tag}))
}
