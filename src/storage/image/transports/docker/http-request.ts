// One HTTP request with fetch: redirects followed by hand for GET and HEAD (Authorization never
// crosses origins), a deadline for the response headers, an idle deadline for every body chunk
// read or sent, TLS verification off or with a cert dir's CAs and client certificate, and network
// failures worded as Go's net/http words them.
import * as tls from 'node:tls'

import {ErrorDetails, TspodError} from '../../../../errors'
import {goDuration} from '../../../../runtime/top/go-format'
import {abortError} from './retry'

export interface Timeouts {
  /** from sending the request to receiving the response headers (connect and TLS included) */
  connectMs: number
  /** longest wait for the next body bytes */
  idleMs: number
}

/**
 * A connected registry that sends nothing for 10 s is stalled, not slow: the request is abandoned
 * and tried again (resumed with Range for a blob) rather than waited on.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000

export const DEFAULT_TIMEOUTS: Timeouts = {connectMs: DEFAULT_IDLE_TIMEOUT_MS, idleMs: DEFAULT_IDLE_TIMEOUT_MS}

export interface NetworkErrorDetails extends ErrorDetails {
  /** a new connection may well succeed: refused, reset, timed out, cut short */
  retryable?: boolean
  /** the request was abandoned after the registry sent nothing for this long */
  silentMs?: number
  /** the URL that failed (after redirects) */
  url?: string
}

/** The connection failed, timed out or broke; no HTTP answer (or not all of it) arrived. */
export class NetworkError extends TspodError {
  readonly retryable: boolean
  readonly silentMs: number | undefined
  readonly url: string | undefined

  constructor(message: string, details: NetworkErrorDetails = {}) {
    super(message, details)
    const cause = details.cause instanceof NetworkError ? details.cause : undefined
    this.retryable = details.retryable ?? cause?.retryable ?? false
    this.silentMs = details.silentMs ?? cause?.silentMs
    this.url = details.url ?? cause?.url
  }

  /** The registry went silent (no connection, no headers or no body bytes in time) rather than failing. */
  get timedOut(): boolean {
    return this.silentMs !== undefined || (this.code !== undefined && TIMEOUT_CODES.has(this.code))
  }
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** 10000 → "10s", 400 → "400ms": how Go prints a time.Duration. */
export function formatDuration(ms: number): string {
  return goDuration(BigInt(Math.round(ms)) * 1_000_000n)
}

/** A cert dir's contents (containers-certs.d(5)): CAs trusted besides the system's, a client certificate. */
export interface TlsMaterial {
  /** PEM texts of the *.crt files */
  ca: string[]
  /** PEM of a *.cert file and of its *.key */
  cert?: string
  key?: string
}

/** A request body: bytes, or a stream sent as it is read (never retried). */
export type RequestBody = Buffer | AsyncIterable<Buffer>

export interface RequestOptions {
  headers: Record<string, string>
  timeouts: Timeouts
  /** skip TLS certificate verification (https only) */
  insecureTls: boolean
  /** CAs and client certificate for https */
  tls?: TlsMaterial
  signal?: AbortSignal
  /** GET unless given */
  method?: string
  body?: RequestBody
}

export interface HttpResponse {
  status: number
  statusText: string
  headers: Headers
  /** the URL that answered, after redirects */
  url: string
  body: BodyReader
}

const MAX_REDIRECTS = 10 // Go's http.Client default
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** GET url, following redirects; the caller must read the body to its end or cancel it. */
export function httpGet(url: string, options: RequestOptions): Promise<HttpResponse> {
  return httpRequest(url, {...options, method: 'GET'})
}

/** Go's verb in messages: "Get", "Put", "Patch". */
function verbOf(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase()
}

/**
 * One request; redirects are followed for GET and HEAD only (an upload's Location is the next
 * step of the upload, the caller's business). The caller reads the body to its end or cancels it.
 */
export async function httpRequest(url: string, options: RequestOptions): Promise<HttpResponse> {
  const method = options.method ?? 'GET'
  const verb = verbOf(method)
  let current = url
  let headers = {...options.headers}
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(current, headers, options, method)
    const location = response.headers.get('location')
    if ((method !== 'GET' && method !== 'HEAD') || !REDIRECT_STATUSES.has(response.status) || location === null) return response
    response.body.cancel()
    if (redirects === MAX_REDIRECTS) throw new NetworkError(`${verb} "${current}": stopped after ${MAX_REDIRECTS} redirects`)
    let next: URL
    try {
      next = new URL(location, current)
    } catch {
      throw new NetworkError(`${verb} "${current}": invalid redirect location ${JSON.stringify(location)}`)
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new NetworkError(`${verb} "${current}": redirect to unsupported URL ${JSON.stringify(next.href)}`)
    }
    if (next.origin !== new URL(current).origin) headers = withoutHeader(headers, 'authorization')
    current = next.href
  }
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name))
}

async function requestOnce(url: string, headers: Record<string, string>, options: RequestOptions, method: string): Promise<HttpResponse> {
  const outer = options.signal
  if (outer?.aborted) throw abortError(outer)
  const verb = verbOf(method)
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(abortError(outer!))
  outer?.addEventListener('abort', onAbort, {once: true})
  const release = (): void => outer?.removeEventListener('abort', onAbort)

  const {connectMs, idleMs} = options.timeouts
  let timer: NodeJS.Timeout | undefined
  const arm = (ms: number, what: string): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const message = `${verb} "${url}": ${what} for ${formatDuration(ms)}`
      controller.abort(new NetworkError(message, {code: 'ETIMEDOUT', retryable: true, silentMs: ms, url}))
    }, ms)
  }
  arm(connectMs, 'timeout awaiting response headers: no answer')
  let response: Response
  try {
    const init: RequestInit & {duplex?: 'half'} = {method, headers, redirect: 'manual', signal: controller.signal}
    if (options.body !== undefined) {
      if (Buffer.isBuffer(options.body)) {
        init.body = new Uint8Array(options.body.buffer, options.body.byteOffset, options.body.byteLength)
      } else {
        // a registry that stops taking the upload is as stalled as one that stops sending
        init.body = watchedBody(options.body, () => arm(idleMs, 'idle timeout: could not send data'), () => arm(connectMs, 'timeout awaiting response headers: no answer')) as unknown as RequestInit['body']
        init.duplex = 'half'
      }
    }
    if (url.startsWith('https:') && (options.insecureTls || options.tls)) init.dispatcher = tlsDispatcher(options.insecureTls, options.tls)
    response = await fetch(url, init)
  } catch (err) {
    release()
    throw describeFailure(err, url, 'connect', controller.signal, verb)
  } finally {
    clearTimeout(timer)
  }
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    url,
    body: new BodyReader(response, url, controller, idleMs, release, verb),
  }
}

/** The body's chunks, re-arming the send deadline before each and the answer's deadline after the last. */
async function* watchedBody(body: AsyncIterable<Buffer>, sending: () => void, sent: () => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    sending()
    yield chunk
  }
  sent()
}

/** A response body read chunk by chunk, each read bounded by the idle timeout. */
export class BodyReader {
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  private finished = false

  constructor(
    private readonly response: Response,
    private readonly url: string,
    private readonly controller: AbortController,
    private readonly idleMs: number,
    private readonly release: () => void,
    private readonly verb = 'Get',
  ) {}

  /** The next chunk, or undefined at the end; throws NetworkError. */
  async read(): Promise<Buffer | undefined> {
    if (this.finished) return undefined
    if (this.response.body === null) {
      this.finish()
      return undefined
    }
    this.reader ??= this.response.body.getReader()
    const timer = setTimeout(() => {
      const message = `${this.verb} "${this.url}": idle timeout: no data received for ${formatDuration(this.idleMs)}`
      this.controller.abort(new NetworkError(message, {code: 'ETIMEDOUT', retryable: true, silentMs: this.idleMs, url: this.url}))
    }, this.idleMs)
    try {
      const {done, value} = await this.reader.read()
      if (done) {
        this.finish()
        return undefined
      }
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    } catch (err) {
      const failure = describeFailure(err, this.url, 'body', this.controller.signal, this.verb)
      this.cancel()
      throw failure
    } finally {
      clearTimeout(timer)
    }
  }

  /** The whole body; more than limit bytes → `exceeded maximum allowed size of <limit> bytes`. */
  async readAll(limit: number): Promise<Buffer> {
    const chunks: Buffer[] = []
    let total = 0
    for (let chunk = await this.read(); chunk !== undefined; chunk = await this.read()) {
      total += chunk.length
      if (total > limit) {
        this.cancel()
        throw new TspodError(`exceeded maximum allowed size of ${limit} bytes`)
      }
      chunks.push(chunk)
    }
    return Buffer.concat(chunks, total)
  }

  /** Reads what remains up to limit bytes, never failing: for error answers. */
  async readBestEffort(limit: number): Promise<Buffer> {
    const chunks: Buffer[] = []
    let total = 0
    try {
      for (let chunk = await this.read(); chunk !== undefined && total < limit; chunk = await this.read()) {
        chunks.push(chunk)
        total += chunk.length
      }
    } catch {
      // a broken error body still leaves the status to report
    }
    this.cancel()
    return Buffer.concat(chunks).subarray(0, limit)
  }

  /** Drops the rest of the body and the connection. */
  cancel(): void {
    if (this.finished) return
    this.finished = true
    this.controller.abort()
    this.release()
  }

  private finish(): void {
    this.finished = true
    this.release()
  }
}

type Dispatcher = NonNullable<RequestInit['dispatcher']>

const tlsAgents = new Map<string, Dispatcher>()

/**
 * An undici Agent that skips certificate verification, or trusts a cert dir's CAs besides the
 * system's and presents its client certificate. Node bundles undici without exporting it; fetch
 * publishes its global Agent under this documented interop symbol, so its class is at hand.
 */
function tlsDispatcher(insecure: boolean, material: TlsMaterial | undefined): Dispatcher {
  const key = JSON.stringify([insecure, material ?? null])
  let agent = tlsAgents.get(key)
  if (agent === undefined) {
    const symbol = Symbol.for('undici.globalDispatcher.1')
    const registry = globalThis as unknown as Record<symbol, {constructor: new (options: object) => Dispatcher} | undefined>
    if (registry[symbol] === undefined) {
      // the first fetch call installs the global dispatcher synchronously
      fetch('data:,').catch(() => undefined)
    }
    const global = registry[symbol]
    if (global === undefined || global.constructor.name !== 'Agent') {
      throw new TspodError('cannot configure TLS: fetch has no undici Agent as its global dispatcher')
    }
    const connect: tls.ConnectionOptions = {}
    if (insecure) connect.rejectUnauthorized = false
    if (material?.ca.length) connect.ca = [...tls.rootCertificates, ...material.ca]
    if (material?.cert && material.key) {
      connect.cert = material.cert
      connect.key = material.key
    }
    agent = new global.constructor({connect})
    tlsAgents.set(key, agent)
  }
  return agent
}

interface SystemErrorLike {
  code?: unknown
  message?: unknown
  address?: unknown
  port?: unknown
  hostname?: unknown
  reason?: unknown
  errors?: unknown
}

const UNKNOWN_AUTHORITY = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
])

/** A fetch failure as a NetworkError with Go's wording: `Get "<url>": dial tcp …: connect: connection refused`. */
function describeFailure(err: unknown, url: string, phase: 'connect' | 'body', signal: AbortSignal, verb: string): TspodError {
  if (err instanceof TspodError) return err
  if (signal.aborted && signal.reason instanceof TspodError) return signal.reason
  let cause = (err as {cause?: unknown} | null)?.cause as SystemErrorLike | undefined
  if (cause && Array.isArray(cause.errors) && cause.errors.length > 0) cause = cause.errors[0] as SystemErrorLike
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  const {text, retryable} = describeCause(cause, code, new URL(url), phase, err)
  return new NetworkError(`${verb} "${url}": ${text}`, {code, retryable, cause: err, url})
}

function describeCause(
  cause: SystemErrorLike | undefined,
  code: string | undefined,
  url: URL,
  phase: 'connect' | 'body',
  err: unknown,
): {text: string; retryable: boolean} {
  const defaultPort = url.protocol === 'https:' ? '443' : '80'
  const host = typeof cause?.address === 'string' ? cause.address : url.hostname.replace(/^\[|\]$/g, '')
  const port = typeof cause?.port === 'number' || typeof cause?.port === 'string' ? String(cause.port) : url.port || defaultPort
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  const lookupName = typeof cause?.hostname === 'string' ? cause.hostname : url.hostname
  switch (code) {
    case 'ECONNREFUSED':
      return {text: `dial tcp ${address}: connect: connection refused`, retryable: true}
    case 'EHOSTUNREACH':
      return {text: `dial tcp ${address}: connect: no route to host`, retryable: true}
    case 'ENETUNREACH':
      return {text: `dial tcp ${address}: connect: network is unreachable`, retryable: true}
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return {text: `dial tcp ${address}: i/o timeout`, retryable: true}
    case 'ENOTFOUND':
      return {text: `dial tcp: lookup ${lookupName}: no such host`, retryable: false}
    case 'EAI_AGAIN':
      return {text: `dial tcp: lookup ${lookupName}: Temporary failure in name resolution`, retryable: true}
    case 'ECONNRESET':
      return {text: 'read: connection reset by peer', retryable: true}
    case 'EPIPE':
      return {text: 'write: broken pipe', retryable: true}
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return {text: phase === 'connect' ? 'EOF' : 'unexpected EOF', retryable: true}
    case 'UND_ERR_HEADERS_TIMEOUT':
      return {text: 'timeout awaiting response headers', retryable: true}
    case 'UND_ERR_BODY_TIMEOUT':
      return {text: 'idle timeout reading the body', retryable: true}
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return {text: 'http: server gave HTTP response to HTTPS client', retryable: false}
    // Podman 4.3.1 is built with Go 1.19, whose crypto/tls words these without "tls: failed to verify certificate: "
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return {text: 'x509: certificate has expired or is not yet valid', retryable: false}
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {text: `x509: ${String(cause?.reason ?? cause?.message)}`, retryable: false}
  }
  if (code !== undefined && UNKNOWN_AUTHORITY.has(code)) {
    return {text: 'x509: certificate signed by unknown authority', retryable: false}
  }
  // undici ends a body cut short with TypeError("terminated")
  if (phase === 'body' && err instanceof TypeError && err.message === 'terminated') {
    return {text: 'unexpected EOF', retryable: true}
  }
  const message = typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err)
  return {text: message, retryable: false}
}
