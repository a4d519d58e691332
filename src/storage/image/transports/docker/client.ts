// A client for one repository of an OCI distribution registry, after containers/image's
// docker/docker_client.go: the /v2/ ping and its auth challenges, Basic auth and bearer tokens,
// manifests and blobs, with timeouts on every read and retries for passing trouble.
import {setMaxListeners} from 'node:events'
import {Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'
import {VERSION} from '../../../../package-info'
import {GetBlobOptions, ManifestBlob} from '../types'
import {BlobStream, ResumeError} from './blob-stream'
import {looksLikeDigest, validateDigest} from './digest'
import {describeErrorResponse, isManifestUnknown} from './distribution-error'
import {ManifestUnknownError, RegistryResponseError, TooManyRequestsError, UnauthorizedError} from './errors'
import {DEFAULT_TIMEOUTS, HttpResponse, NetworkError, RequestBody, Timeouts, TlsMaterial, httpRequest} from './http-request'
import {manifestMatchesDigest} from './manifest-digest'
import {RETRYABLE_STATUSES, RetryPolicy, backoffDelay, parseRetryAfter, retryPolicy, sleep} from './retry'
import {BearerToken, TokenCache, parseTokenResponse} from './token-cache'
import {AuthChallenge, parseWwwAuthenticate} from './www-authenticate'

// tsc puts this file at dist/src/storage/image/transports/docker/client.js

/** What the registry is asked for, best first: containers/image's DefaultRequestedManifestMIMETypes. */
export const MANIFEST_ACCEPT_TYPES: readonly string[] = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]

export const MAX_MANIFEST_BODY_SIZE = 4 * 1024 * 1024
const MAX_TOKEN_BODY_SIZE = 1024 * 1024
const MAX_ERROR_BODY_SIZE = 1024 * 1024
const TAG = /^[\w][\w.-]{0,127}$/

export interface RegistryCredentials {
  username: string
  password: string
}

export interface RegistryClientOptions {
  /** host[:port] as requests address it: "registry-1.docker.io", "127.0.0.1:5000" */
  registry: string
  /** "library/alpine" */
  repository: string
  /** TLS verification off, and plain http when https fails */
  insecure: boolean
  /** a cert dir's CAs and client certificate (cert-dir.ts) */
  tls?: TlsMaterial
  /** what tokens are asked for: "pull", or "pull,push" for a destination */
  actions?: 'pull' | 'pull,push'
  getCredentials?: (registry: string) => RegistryCredentials | undefined
  signal?: AbortSignal
  timeouts?: Partial<Timeouts>
  retry?: Partial<RetryPolicy>
  userAgent?: string
  /** how messages name the repository; default "<registry>/<repository>" */
  displayName?: string
}

export interface PingResult {
  scheme: 'https' | 'http'
  challenges: AuthChallenge[]
}

/** One request of a caller that speaks the distribution API itself (an upload). */
export interface SendOptions {
  method: string
  headers?: Record<string, string>
  /** a stream body makes the request a single attempt */
  body?: RequestBody
  /** more token scopes: "repository:other/repo:pull" to mount a blob from there */
  extraScopes?: string[]
}

interface Authorization {
  header: string
  /** for a bearer token: where it is cached, and whether it came from there */
  tokenKey?: string
  fromCache: boolean
}

export class RegistryClient {
  readonly registry: string
  readonly repository: string
  /** "<registry>/<repository>" unless displayName says otherwise */
  readonly name: string
  private readonly insecure: boolean
  private readonly tls: TlsMaterial | undefined
  private readonly actions: string
  private readonly lookupCredentials?: (registry: string) => RegistryCredentials | undefined
  /** aborts with options.signal; every request and blob stream listens to it */
  private readonly signal: AbortSignal
  private readonly timeouts: Timeouts
  private readonly retry: RetryPolicy
  private readonly userAgent: string
  private readonly tokens = new TokenCache()
  private readonly pendingTokens = new Map<string, Promise<BearerToken>>()
  private credentialsLookedUp = false
  private credentials: RegistryCredentials | undefined
  private pinged: Promise<PingResult> | undefined

  constructor(options: RegistryClientOptions) {
    if (!/^[^/\s]+$/.test(options.registry)) throw new TspodError(`invalid registry ${JSON.stringify(options.registry)}`)
    // An empty repository is a client for the registry as a whole (login's credential check).
    if (options.repository !== '' && !/^[a-z0-9]+(?:[._/-]+[a-z0-9]+)*$/.test(options.repository)) {
      throw new TspodError(`invalid repository name ${JSON.stringify(options.repository)}`)
    }
    this.registry = options.registry
    this.repository = options.repository
    this.name = options.displayName ?? `${options.registry}/${options.repository}`
    this.insecure = options.insecure
    this.tls = options.tls
    this.actions = options.actions ?? 'pull'
    this.lookupCredentials = options.getCredentials
    this.signal = followSignal(options.signal)
    this.timeouts = {...DEFAULT_TIMEOUTS, ...options.timeouts}
    this.retry = retryPolicy(options.retry)
    this.userAgent = options.userAgent ?? `tspod/${VERSION}`
  }

  /**
   * GET /v2/ (https, then http when insecure) to learn the scheme and the auth challenges.
   * Done once; a failure is not remembered.
   */
  ping(): Promise<PingResult> {
    if (this.pinged === undefined) {
      const pinging = this.detect()
      this.pinged = pinging
      pinging.catch(() => {
        if (this.pinged === pinging) this.pinged = undefined
      })
    }
    return this.pinged
  }

  /**
   * Check the credentials against the registry, as `podman login` does (containers/image's
   * CheckAuth): a bearer token for no particular repository, or Basic auth, on GET /v2/.
   */
  async checkAuth(): Promise<void> {
    const {scheme, challenges} = await this.ping()
    if (challenges.length === 0) return
    const headers: Record<string, string> = {'Docker-Distribution-API-Version': 'registry/2.0'}
    const bearer = challenges.find((c) => c.scheme === 'bearer')
    const credentials = this.getCredentials()
    if (bearer) headers.Authorization = `Bearer ${(await this.fetchToken(bearer, [])).token}`
    else if (credentials) headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    await this.withRetries(`${scheme}://${this.registry}/v2/`, headers, false, async (response) => {
      if (response.status === 200) return response.body.cancel()
      if (response.status === 401) {
        response.body.cancel()
        throw new UnauthorizedError('invalid username/password', {statusCode: 401})
      }
      throw await this.responseError(response, 'checking credentials')
    })
  }

  /** The manifest with this tag or digest; a digest is verified against the bytes. */
  async getManifest(reference: string): Promise<ManifestBlob> {
    if (looksLikeDigest(reference)) validateDigest(reference)
    else if (!TAG.test(reference)) throw new TspodError(`invalid tag ${JSON.stringify(reference)}`)
    const context = `reading manifest ${reference} in ${this.name}`
    const {scheme} = await this.ping()
    const url = `${scheme}://${this.registry}/v2/${this.repository}/manifests/${reference}`
    const headers = {Accept: MANIFEST_ACCEPT_TYPES.join(', ')}
    try {
      return await this.registryRequest(url, headers, undefined, async (response) => {
        if (response.status !== 200) throw await this.responseError(response, context, true)
        let bytes: Buffer
        try {
          bytes = await response.body.readAll(MAX_MANIFEST_BODY_SIZE)
        } catch (err) {
          if (err instanceof NetworkError) throw err
          throw wrap(err, context)
        }
        if (looksLikeDigest(reference) && !this.manifestMatches(bytes, reference, context)) {
          throw new TspodError(`Manifest does not match provided manifest digest ${reference}`)
        }
        return {bytes, mediaType: simplifyContentType(response.headers.get('content-type'))}
      })
    } catch (err) {
      throw err instanceof NetworkError ? wrap(err, context) : err
    }
  }

  /**
   * A request to url (absolute, or a path below the registry's root such as "/v2/…/blobs/uploads/")
   * with the registry's auth; consume gets the answer whatever its status.
   */
  async send<T>(url: string, options: SendOptions, consume: (response: HttpResponse) => Promise<T>): Promise<T> {
    const {scheme} = await this.ping()
    const absolute = new URL(url, `${scheme}://${this.registry}`).href
    return this.withRetries(absolute, {'Docker-Distribution-API-Version': 'registry/2.0', ...options.headers}, true, consume, undefined, options)
  }

  /** An error answer as an error of the class a caller can branch on: "<context>: <the registry's words>". */
  describeError(response: HttpResponse, context: string): Promise<RegistryResponseError> {
    return this.responseError(response, context)
  }

  private manifestMatches(bytes: Buffer, digest: string, context: string): boolean {
    try {
      return manifestMatchesDigest(bytes, digest)
    } catch (err) {
      throw wrap(err, context)
    }
  }

  /**
   * The blob as a stream that verifies the digest (see blob-stream.ts for what is retried), and its
   * size from Content-Length, or -1.
   */
  async getBlob(digest: string, options: GetBlobOptions = {}): Promise<{stream: Readable; size: number}> {
    validateDigest(digest)
    const context = `reading blob ${digest} in ${this.name}`
    const {scheme} = await this.ping()
    const url = `${scheme}://${this.registry}/v2/${this.repository}/blobs/${digest}`
    const stalled = (failure: NetworkError, resumeAt: number): void =>
      options.onStall?.({server: new URL(failure.url ?? url).host, silentMs: failure.silentMs ?? this.timeouts.connectMs, resumeAt})
    let first: HttpResponse
    try {
      first = await this.openBlob(url, 0, -1, context, (failure) => stalled(failure, 0))
    } catch (err) {
      throw err instanceof NetworkError ? wrap(err, context) : err
    }
    const size = parseContentLength(first.headers.get('content-length'))
    const stream = new BlobStream({
      digest,
      context,
      first,
      resumable: /^\s*bytes\s*$/i.test(first.headers.get('accept-ranges') ?? ''),
      reopen: (offset) => this.openBlob(url, offset, size, context, (failure) => stalled(failure, offset)),
      retry: this.retry,
      onStall: stalled,
      signal: this.signal,
    })
    return {stream, size}
  }

  private async openBlob(url: string, offset: number, size: number, context: string, onStall: (failure: NetworkError) => void): Promise<HttpResponse> {
    // identity: a transparently decompressed body would not match the digest
    const headers: Record<string, string> = {'Accept-Encoding': 'identity'}
    if (offset > 0) headers.Range = `bytes=${offset}-`
    return this.registryRequest(url, headers, onStall, async (response) => {
      if (offset === 0) {
        if (response.status !== 200) throw await this.responseError(response, context)
        return response
      }
      if (response.status === 206) {
        checkContentRange(response, offset, size)
        return response
      }
      if (response.status === 200) {
        response.body.cancel()
        throw new ResumeError('after reconnecting, server did not process a Range: header, status 200')
      }
      const error = await this.responseError(response, 'fetching blob')
      throw new ResumeError(`after reconnecting, ${error.message}`)
    })
  }

  private async detect(): Promise<PingResult> {
    try {
      return await this.pingScheme('https')
    } catch (httpsError) {
      if (!this.insecure || this.signal.aborted) throw wrap(httpsError, `pinging container registry ${this.registry}`)
    }
    try {
      return await this.pingScheme('http')
    } catch (httpError) {
      throw wrap(httpError, `pinging container registry ${this.registry}`)
    }
  }

  private pingScheme(scheme: 'https' | 'http'): Promise<PingResult> {
    const url = `${scheme}://${this.registry}/v2/`
    return this.withRetries(url, {'Docker-Distribution-API-Version': 'registry/2.0'}, false, async (response) => {
      if (response.status !== 200 && response.status !== 401) {
        const body = await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
        const described = describeErrorResponse({...response, body, wwwAuthenticate: response.headers.get('www-authenticate')})
        throw new RegistryResponseError(described.text, {statusCode: response.status, errorCode: described.errorCode})
      }
      const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'))
      await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
      return {scheme, challenges}
    })
  }

  /** A request to the registry itself: API version header and the ping's auth. */
  private registryRequest<T>(
    url: string,
    headers: Record<string, string>,
    onStall: ((failure: NetworkError) => void) | undefined,
    consume: (response: HttpResponse) => Promise<T>,
  ): Promise<T> {
    return this.withRetries(url, {'Docker-Distribution-API-Version': 'registry/2.0', ...headers}, true, consume, onStall)
  }

  /**
   * GET url until consume accepts an answer: network failures (also while consume reads the body)
   * and retryable statuses are tried again with backoff, a refused cached token is replaced once.
   * onStall hears of each retry after the registry went silent.
   */
  private async withRetries<T>(
    url: string,
    headers: Record<string, string>,
    authenticate: boolean,
    consume: (response: HttpResponse) => Promise<T>,
    onStall?: (failure: NetworkError) => void,
    send: {method?: string; body?: RequestBody; extraScopes?: string[]} = {},
  ): Promise<T> {
    let replacedToken = false
    // a streamed body is read once: its request cannot be sent again
    const attempts = send.body !== undefined && !Buffer.isBuffer(send.body) ? 1 : this.retry.attempts
    for (let attempt = 1; ; attempt++) {
      const authorization = authenticate ? await this.authorize(send.extraScopes ?? []) : undefined
      const requestHeaders: Record<string, string> = {...headers, 'User-Agent': this.userAgent}
      if (authorization) requestHeaders.Authorization = authorization.header
      try {
        const response = await httpRequest(url, {
          method: send.method,
          body: send.body,
          headers: requestHeaders,
          timeouts: this.timeouts,
          insecureTls: this.insecure,
          tls: this.tls,
          signal: this.signal,
        })
        if (response.status === 401 && authorization?.fromCache && !replacedToken && attempts > 1) {
          // the token expired early or was revoked: get a new one, once
          response.body.cancel()
          this.tokens.delete(authorization.tokenKey!)
          replacedToken = true
          attempt--
          continue
        }
        if (RETRYABLE_STATUSES.has(response.status) && attempt < attempts) {
          const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
          response.body.cancel()
          await sleep(Math.min(retryAfter ?? backoffDelay(this.retry, attempt), this.retry.maxDelayMs), this.signal)
          continue
        }
        return await consume(response)
      } catch (err) {
        if (err instanceof NetworkError && err.retryable && attempt < attempts && !this.signal.aborted) {
          if (err.timedOut) onStall?.(err)
          await sleep(backoffDelay(this.retry, attempt), this.signal)
          continue
        }
        throw err
      }
    }
  }

  private getCredentials(): RegistryCredentials | undefined {
    if (!this.credentialsLookedUp) {
      this.credentials = this.lookupCredentials?.(this.registry)
      this.credentialsLookedUp = true
    }
    return this.credentials
  }

  /** The Authorization header for the first challenge of the ping that tspod can answer. */
  private async authorize(extraScopes: string[]): Promise<Authorization | undefined> {
    const {challenges} = await this.ping()
    for (const challenge of challenges) {
      if (challenge.scheme === 'basic') {
        const credentials = this.getCredentials()
        if (credentials === undefined) return undefined
        const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
        return {header: `Basic ${encoded}`, fromCache: false}
      }
      if (challenge.scheme === 'bearer') {
        // a client for the whole registry (login, search) asks for no repository's scope
        const scopes = [...(this.repository === '' ? [] : [`repository:${this.repository}:${this.actions}`]), ...extraScopes]
        const key = [challenge.parameters.realm, challenge.parameters.service, ...scopes].join(' ')
        const cached = this.tokens.get(key)
        if (cached !== undefined) return {header: `Bearer ${cached}`, tokenKey: key, fromCache: true}
        let pending = this.pendingTokens.get(key)
        if (pending === undefined) {
          pending = this.fetchToken(challenge, scopes).finally(() => this.pendingTokens.delete(key))
          this.pendingTokens.set(key, pending)
        }
        const token = await pending
        this.tokens.set(key, token)
        return {header: `Bearer ${token.token}`, tokenKey: key, fromCache: false}
      }
    }
    return undefined
  }

  /** GET <realm>?account=&scope=&service= with Basic credentials when there are some. */
  private async fetchToken(challenge: AuthChallenge, scopes: string[]): Promise<BearerToken> {
    const realm = challenge.parameters.realm
    if (!realm) throw new TspodError('missing realm in bearer auth challenge')
    let url: URL
    try {
      url = new URL(realm)
    } catch {
      throw new TspodError(`invalid realm ${JSON.stringify(realm)} in bearer auth challenge`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TspodError(`invalid realm ${JSON.stringify(realm)} in bearer auth challenge`)
    }
    const credentials = this.getCredentials()
    // sorted by key, as Go's url.Values.Encode writes them
    if (credentials?.username) url.searchParams.append('account', credentials.username)
    for (const scope of scopes) url.searchParams.append('scope', scope)
    if (challenge.parameters.service) url.searchParams.append('service', challenge.parameters.service)
    const headers: Record<string, string> = {}
    if (credentials?.username && credentials.password) {
      headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    return this.withRetries(url.href, headers, false, async (response) => {
      if (response.status === 200) return parseTokenResponse(await response.body.readAll(MAX_TOKEN_BODY_SIZE), url.href)
      const body = await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
      const described = describeErrorResponse({...response, body, wwwAuthenticate: response.headers.get('www-authenticate')})
      const details = {statusCode: response.status, errorCode: described.errorCode}
      if (response.status === 401) {
        throw new UnauthorizedError(`unable to retrieve auth token: invalid username/password: ${described.text}`, details)
      }
      if (response.status === 429) throw new TooManyRequestsError('too many requests to registry', details)
      const statusText = response.statusText ? ` ${response.statusText}` : ''
      throw new RegistryResponseError(`Requesting bearer token: received unexpected HTTP status: ${response.status}${statusText}`, details)
    })
  }

  /** "<context>: <the registry's words>" as the error class a caller can branch on. */
  private async responseError(response: HttpResponse, context: string, forManifest = false): Promise<RegistryResponseError> {
    const body = await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
    const described = describeErrorResponse({...response, body, wwwAuthenticate: response.headers.get('www-authenticate')})
    const message = `${context}: ${described.text}`
    const details = {statusCode: response.status, errorCode: described.errorCode}
    if (response.status === 401) return new UnauthorizedError(message, details)
    if (response.status === 429) return new TooManyRequestsError(message, details)
    if (forManifest && isManifestUnknown(described, response.status)) return new ManifestUnknownError(message, details)
    return new RegistryResponseError(message, details)
  }
}

/**
 * A signal of the client's own that aborts with outer: the one listener on the caller's signal,
 * however many requests and streams are running.
 */
function followSignal(outer: AbortSignal | undefined): AbortSignal {
  const controller = new AbortController()
  setMaxListeners(0, controller.signal)
  if (outer?.aborted) controller.abort(outer.reason)
  else outer?.addEventListener('abort', () => controller.abort(outer.reason), {once: true})
  return controller.signal
}

/** mime.ParseMediaType's type: parameters dropped, lowercased; "" when there is none. */
function simplifyContentType(contentType: string | null): string {
  if (!contentType) return ''
  return contentType.split(';')[0].trim().toLowerCase()
}

function parseContentLength(value: string | null): number {
  if (value === null || !/^\d+$/.test(value.trim())) return -1
  return Number(value.trim())
}

/** A 206 must continue exactly at offset and run to the end of the blob (containers/image's rule). */
function checkContentRange(response: HttpResponse, offset: number, size: number): void {
  const header = response.headers.get('content-range')
  const match = header === null ? null : /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header)
  if (match === null) {
    response.body.cancel()
    const problem = header === null ? 'missing Content-Range: header' : `invalid Content-Range: ${JSON.stringify(header)}`
    throw new ResumeError(`after reconnecting, invalid Content-Range header: ${problem}`)
  }
  const first = Number(match[1])
  const last = Number(match[2])
  const complete = match[3] === '*' ? -1 : Number(match[3])
  if (first !== offset || (complete !== -1 && last + 1 !== complete) || (complete !== -1 && size !== -1 && complete !== size)) {
    response.body.cancel()
    throw new ResumeError(`after reconnecting at offset ${offset}, got unexpected Content-Range ${first}-${last}/${match[3]}`)
  }
}
