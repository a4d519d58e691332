// An in-process container registry for client tests: serves manifests and blobs of a few
// repositories over node:http on 127.0.0.1 (or https with a throwaway self-signed certificate),
// optionally behind Bearer or Basic auth, and misbehaves on request: injected statuses,
// truncated or stalled bodies, wrong bytes, dropped connections, blob redirects. Every request
// is recorded with its headers.
import {execFileSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import {AddressInfo, Socket} from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

export interface RecordedRequest {
  method: string
  /** path and query, as sent */
  url: string
  headers: http.IncomingHttpHeaders
}

export type Fault =
  /** answer with this status (and body: a string, Buffer or JSON value) instead; chunked when headers say so */
  | {status: number; body?: unknown; headers?: Record<string, string>}
  /** send the headers and the first afterBytes of a successful body, then destroy the socket */
  | {truncateAfter: number}
  /** send the headers and the first afterBytes of a successful body, then nothing (for forMs, then the rest) */
  | {stallAfter: number; forMs?: number}
  /** read the request and never answer */
  | {stallHeaders: true}
  /** destroy the connection without answering */
  | {drop: true}
  /** a successful answer with the right length of the wrong bytes */
  | {wrongBytes: true}

export interface BearerAuth {
  /** when set, the token endpoint demands these as Basic credentials */
  credentials?: {username: string; password: string}
  /** expires_in in the token answer (default 300) */
  expiresIn?: number
  /** the field that carries the token (default "token") */
  tokenField?: 'token' | 'access_token'
}

export interface TokenRequest {
  query: Record<string, string>
  authorization?: string
}

interface Injection {
  match: string | RegExp
  fault: Fault
  remaining: number
}

interface StoredManifest {
  bytes: Buffer
  mediaType: string
}

const SERVICE = 'fault-registry'

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

export function errorDocument(code: string, message: string, detail?: unknown): object {
  return {errors: [detail === undefined ? {code, message} : {code, message, detail}]}
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temporary directory. */
export function selfSignedCertificate(): {key: Buffer; cert: Buffer} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cert-'))
  try {
    const key = path.join(dir, 'key.pem')
    const cert = path.join(dir, 'cert.pem')
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
        '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      {stdio: 'ignore'},
    )
    return {key: fs.readFileSync(key), cert: fs.readFileSync(cert)}
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

export class FaultRegistry {
  /** every request, in order of arrival */
  readonly requests: RecordedRequest[] = []
  readonly tokenRequests: TokenRequest[] = []
  /** answer blob requests with Accept-Ranges: bytes and honour Range (as distribution does) */
  acceptRanges = true

  private readonly manifests = new Map<string, Map<string, StoredManifest>>()
  private readonly blobs = new Map<string, Map<string, Buffer>>()
  private readonly injections: Injection[] = []
  private readonly tokens = new Map<string, {scope: string; expiresAt: number}>()
  private bearer: BearerAuth | undefined
  private basic: {username: string; password: string} | undefined
  private blobRedirect: FaultRegistry | undefined
  private readonly stallTimers = new Set<NodeJS.Timeout>()

  private constructor(
    private readonly server: http.Server,
    readonly scheme: 'http' | 'https',
  ) {}

  static async start(options: {tls?: {key: Buffer; cert: Buffer}} = {}): Promise<FaultRegistry> {
    let registry: FaultRegistry | undefined
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => registry!.handle(req, res)
    const server = options.tls ? https.createServer({key: options.tls.key, cert: options.tls.cert}, handler) : http.createServer(handler)
    registry = new FaultRegistry(server, options.tls ? 'https' : 'http')
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    return registry
  }

  /** "127.0.0.1:<port>" */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  get origin(): string {
    return `${this.scheme}://${this.host}`
  }

  /** Stores a manifest under its digest and, when given, a tag; returns the digest. */
  addManifest(repository: string, tag: string | undefined, manifest: Buffer | string | object, mediaType: string): string {
    const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest))
    const digest = sha256(bytes)
    const repo = mapFor(this.manifests, repository)
    repo.set(digest, {bytes, mediaType})
    if (tag !== undefined) repo.set(tag, {bytes, mediaType})
    return digest
  }

  addBlob(repository: string, bytes: Buffer | string): string {
    const data = Buffer.from(bytes)
    const digest = sha256(data)
    mapFor(this.blobs, repository).set(digest, data)
    return digest
  }

  /** Demand Bearer tokens from this registry's own token endpoint (`<origin>/token`). */
  requireBearer(options: BearerAuth = {}): void {
    this.bearer = options
    this.basic = undefined
  }

  /** Stop honouring every token issued so far, as if they had expired. */
  expireTokens(): void {
    for (const grant of this.tokens.values()) grant.expiresAt = 0
  }

  requireBasic(credentials: {username: string; password: string}): void {
    this.basic = credentials
    this.bearer = undefined
  }

  /** Answer blob requests with a 307 to the same path on other. */
  redirectBlobsTo(other: FaultRegistry | undefined): void {
    this.blobRedirect = other
  }

  /** The next `times` requests whose path (with query) equals or matches `match` get `fault`. */
  inject(match: string | RegExp, fault: Fault, times = 1): void {
    this.injections.push({match, fault, remaining: times})
  }

  /** Requests seen, all or those whose path matches. */
  count(match?: string | RegExp): number {
    return this.requests.filter((r) => match === undefined || matches(match, r.url)).length
  }

  async close(): Promise<void> {
    for (const timer of this.stallTimers) clearTimeout(timer)
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private takeFault(url: string): Fault | undefined {
    const injection = this.injections.find((i) => i.remaining > 0 && matches(i.match, url))
    if (injection === undefined) return undefined
    injection.remaining--
    return injection.fault
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/'
    this.requests.push({method: req.method ?? 'GET', url, headers: req.headers})
    // injections apply in order; a body fault spoils this request's successful body, if it gets one
    const fault = this.takeFault(url)
    if (fault !== undefined && !isBodyFault(fault)) {
      if ('drop' in fault) {
        req.socket.destroy()
      } else if ('status' in fault) {
        const body = fault.body === undefined ? Buffer.alloc(0) : toBuffer(fault.body)
        const chunked = Object.keys(fault.headers ?? {}).some((h) => h.toLowerCase() === 'transfer-encoding')
        res.writeHead(fault.status, chunked ? {...fault.headers} : {'Content-Length': body.length, ...fault.headers})
        res.end(body)
      }
      // stallHeaders: leave the request unanswered
      return
    }
    const pathname = url.split('?')[0]
    if (pathname === '/token') return this.serveToken(req, res, url)
    if (pathname === '/v2/') {
      if (!this.authorized(req, undefined)) return this.challenge(res, undefined)
      return sendJson(res, 200, {})
    }
    const route = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(pathname)
    if (route === null) return sendJson(res, 404, errorDocument('UNSUPPORTED', 'The operation is unsupported.'))
    const [, repository, kind, reference] = route
    if (!this.authorized(req, repository)) return this.challenge(res, repository)
    if (kind === 'manifests') return this.serveManifest(res, repository, reference, fault)
    return this.serveBlob(req, res, url, repository, reference, fault)
  }

  private serveManifest(res: http.ServerResponse, repository: string, reference: string, fault: Fault | undefined): void {
    const repo = this.manifests.get(repository)
    if (repo === undefined) return sendJson(res, 404, errorDocument('NAME_UNKNOWN', 'repository name not known to registry'))
    const manifest = repo.get(reference)
    if (manifest === undefined) return sendJson(res, 404, errorDocument('MANIFEST_UNKNOWN', 'manifest unknown'))
    const headers = {'Content-Type': manifest.mediaType, 'Docker-Content-Digest': sha256(manifest.bytes)}
    this.sendBody(res, 200, headers, manifest.bytes, fault)
  }

  private serveBlob(req: http.IncomingMessage, res: http.ServerResponse, url: string, repository: string, digest: string, fault: Fault | undefined): void {
    if (this.blobRedirect !== undefined) {
      res.writeHead(307, {Location: `${this.blobRedirect.origin}${url}`, 'Content-Length': 0})
      res.end()
      return
    }
    const blob = this.blobs.get(repository)?.get(digest)
    if (blob === undefined) return sendJson(res, 404, errorDocument('BLOB_UNKNOWN', 'blob unknown to registry'))
    const headers: Record<string, string> = {'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest}
    if (!this.acceptRanges) return this.sendBody(res, 200, headers, blob, fault)
    headers['Accept-Ranges'] = 'bytes'
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''))
    if (range === null) return this.sendBody(res, 200, headers, blob, fault)
    const start = Number(range[1])
    if (start >= blob.length) {
      res.writeHead(416, {'Content-Range': `bytes */${blob.length}`, 'Content-Length': 0})
      res.end()
      return
    }
    headers['Content-Range'] = `bytes ${start}-${blob.length - 1}/${blob.length}`
    this.sendBody(res, 206, headers, blob.subarray(start), fault)
  }

  private serveToken(req: http.IncomingMessage, res: http.ServerResponse, url: string): void {
    const query = Object.fromEntries(new URL(url, 'http://x').searchParams)
    this.tokenRequests.push({query, authorization: req.headers.authorization})
    const bearer = this.bearer
    if (bearer === undefined) return sendJson(res, 404, errorDocument('UNSUPPORTED', 'no token service'))
    if (bearer.credentials && req.headers.authorization !== basicHeader(bearer.credentials)) {
      // Docker Hub's token service answers wrong credentials with a "details" document
      return sendJson(res, 401, {details: 'incorrect username or password'})
    }
    const token = randomBytes(16).toString('hex')
    this.tokens.set(token, {scope: query.scope ?? '', expiresAt: Date.now() + 3_600_000})
    sendJson(res, 200, {[bearer.tokenField ?? 'token']: token, expires_in: bearer.expiresIn ?? 300, issued_at: new Date().toISOString()})
  }

  private authorized(req: http.IncomingMessage, repository: string | undefined): boolean {
    const authorization = req.headers.authorization ?? ''
    if (this.basic) return authorization === basicHeader(this.basic)
    if (this.bearer) {
      const grant = this.tokens.get(authorization.replace(/^Bearer /, ''))
      if (grant === undefined || !authorization.startsWith('Bearer ') || Date.now() >= grant.expiresAt) return false
      return repository === undefined || grant.scope.split(' ').includes(`repository:${repository}:pull`)
    }
    return true
  }

  private challenge(res: http.ServerResponse, repository: string | undefined): void {
    let header: string
    if (this.basic) {
      header = `Basic realm="${SERVICE}"`
    } else {
      header = `Bearer realm="${this.origin}/token",service="${SERVICE}"`
      if (repository !== undefined) header += `,scope="repository:${repository}:pull"`
    }
    const detail = repository === undefined ? undefined : [{Type: 'repository', Class: '', Name: repository, Action: 'pull'}]
    sendJson(res, 401, errorDocument('UNAUTHORIZED', 'authentication required', detail), {'WWW-Authenticate': header})
  }

  private sendBody(res: http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer, fault: Fault | undefined): void {
    res.writeHead(status, {...headers, 'Content-Length': body.length})
    if (fault === undefined || !isBodyFault(fault)) {
      res.end(body)
    } else if ('wrongBytes' in fault) {
      res.end(Buffer.from(body.map((b) => b ^ 0xff)))
    } else if ('truncateAfter' in fault) {
      const socket = res.socket as Socket
      res.flushHeaders()
      res.write(body.subarray(0, fault.truncateAfter), () => socket.destroy())
    } else if ('stallAfter' in fault) {
      res.flushHeaders()
      if (fault.stallAfter > 0) res.write(body.subarray(0, fault.stallAfter))
      if (fault.forMs !== undefined) {
        const timer = setTimeout(() => {
          this.stallTimers.delete(timer)
          if (!res.destroyed) res.end(body.subarray(fault.stallAfter))
        }, fault.forMs)
        this.stallTimers.add(timer)
      }
    }
  }
}

export function basicHeader(credentials: {username: string; password: string}): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
}


function isBodyFault(fault: Fault): boolean {
  return 'truncateAfter' in fault || 'stallAfter' in fault || 'wrongBytes' in fault
}

function matches(match: string | RegExp, url: string): boolean {
  return typeof match === 'string' ? url === match || url.split('?')[0] === match : match.test(url)
}

function mapFor<V>(maps: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = maps.get(key)
  if (map === undefined) {
    map = new Map()
    maps.set(key, map)
  }
  return map
}

function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value))
  res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, ...headers})
  res.end(body)
}
