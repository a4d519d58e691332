// A real local registry for pull tests: Debian's CNCF distribution registry (docker-registry) on
// 127.0.0.1, plain HTTP, storage in its own temp dir, fed through the OCI distribution API.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import * as https from 'node:https'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'

import type {TestFn} from 'ava'

import {sha256, type BuiltImage, type BuiltIndex} from './oci-image'

export const REGISTRY_BIN = '/usr/bin/docker-registry'

const READY_TIMEOUT_MS = 20_000
const STOP_GRACE_MS = 3_000

/** A manifest and the blobs it references (config and layers), for anything BuiltImage cannot describe. */
export interface PushableImage {
  mediaType: string
  manifest: Buffer
  blobs: Buffer[]
}

/** A registry as Podman's login tests run one: TLS with a self-signed certificate, htpasswd users. */
export interface RegistryOptions {
  /** serve https with a self-signed certificate for localhost and 127.0.0.1 */
  tls?: boolean
  /** require Basic auth with this user (stored bcrypt-hashed by apache2-utils' htpasswd) */
  auth?: {username: string; password: string}
  /** log every request (method, path, status) to stderr() */
  accessLog?: boolean
}

export interface Registry {
  /** '127.0.0.1:PORT', for image references */
  host: string
  /** with tls: a world-readable dir holding the CA certificate as domain.crt (a --cert-dir) */
  certDir?: string
  /** 'http://127.0.0.1:PORT' */
  url: string
  port: number
  /** the registry's storage directory */
  storageDir: string
  /** upload a blob unless the repository already has it; returns its digest */
  pushBlob(name: string, data: Buffer): Promise<string>
  /** upload blobs then the manifest under `reference` (tag or digest); returns the manifest digest */
  push(name: string, reference: string, image: BuiltImage | PushableImage): Promise<string>
  /** push every image of the index by digest, then the index under `reference` */
  pushIndex(name: string, reference: string, index: BuiltIndex): Promise<string>
  /** what the registry printed on stderr so far */
  stderr(): string
  stop(): Promise<void>
}

/** A port that was free a moment ago: bind port 0, note the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function configYaml(storageDir: string, port: number, options: RegistryOptions, dir: string): string {
  // JSON strings are valid YAML double-quoted scalars.
  const tls = options.tls
    ? `  tls:
    certificate: ${JSON.stringify(path.join(dir, 'certs', 'domain.crt'))}
    key: ${JSON.stringify(path.join(dir, 'domain.key'))}
`
    : ''
  const auth = options.auth
    ? `auth:
  htpasswd:
    realm: Registry Realm
    path: ${JSON.stringify(path.join(dir, 'htpasswd'))}
`
    : ''
  return `version: 0.1
log:
  level: ${options.accessLog ? 'info' : 'error'}
  accesslog:
    disabled: ${options.accessLog ? 'false' : 'true'}
${auth}storage:
  filesystem:
    rootdirectory: ${JSON.stringify(storageDir)}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: ${JSON.stringify(`127.0.0.1:${port}`)}
${tls}`
}

/** A self-signed certificate (domain.crt, world-readable in certs/) and the htpasswd file. */
function writeSecrets(dir: string, options: RegistryOptions): void {
  if (options.tls) {
    const certs = path.join(dir, 'certs')
    mkdirSync(certs, {mode: 0o755})
    chmodSync(dir, 0o755)
    execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', path.join(dir, 'domain.key'), '-x509', '-days', '2', '-out', path.join(certs, 'domain.crt'), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], {stdio: 'ignore'})
    chmodSync(path.join(certs, 'domain.crt'), 0o644)
  }
  if (options.auth) {
    writeFileSync(path.join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', options.auth.username, options.auth.password]))
  }
}

/** GET /v2/ over https without verification: the status, or a thrown error. */
function httpsStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, {rejectUnauthorized: false, timeout: 1000}, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

async function check(res: Response, what: string, expected: number[]): Promise<Response> {
  if (!expected.includes(res.status)) {
    const body = await res.text().catch(() => '')
    throw new Error(`registry: ${what}: HTTP ${res.status} ${res.statusText}: ${body}`)
  }
  return res
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

class LocalRegistry implements Registry {
  readonly host: string
  readonly url: string
  private stderrText = ''
  private stopped: Promise<void> | undefined
  private readonly onExit = () => this.killNow()

  readonly certDir?: string

  constructor(
    readonly port: number,
    private readonly dir: string,
    readonly storageDir: string,
    private readonly child: ChildProcess,
    private readonly options: RegistryOptions = {},
  ) {
    this.host = `127.0.0.1:${port}`
    this.url = `${options.tls ? 'https' : 'http'}://${this.host}`
    if (options.tls) this.certDir = path.join(dir, 'certs')
    child.stderr?.on('data', (d: Buffer) => (this.stderrText += d.toString()))
    child.stdout?.on('data', (d: Buffer) => (this.stderrText += d.toString()))
    // A test process that dies without stop() must not leave the registry or its files behind.
    process.once('exit', this.onExit)
  }

  stderr(): string {
    return this.stderrText
  }

  async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS
    let lastError = ''
    while (Date.now() < deadline) {
      if (exited(this.child)) {
        const how = `code ${this.child.exitCode}, signal ${this.child.signalCode}`
        throw new Error(`registry exited (${how}) before answering: ${this.stderrText}`)
      }
      try {
        const status = this.options.tls ? await httpsStatus(`${this.url}/v2/`) : await fetch(`${this.url}/v2/`, {signal: AbortSignal.timeout(1000)}).then(async (res) => (await res.arrayBuffer(), res.status))
        if (status === 200 || (status === 401 && this.options.auth)) return
        lastError = `GET /v2/ answered ${status}`
      } catch (err) {
        lastError = String(err)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`registry on ${this.host} not ready after ${READY_TIMEOUT_MS} ms (${lastError}); stderr: ${this.stderrText}`)
  }

  async pushBlob(name: string, data: Buffer): Promise<string> {
    const digest = sha256(data)
    const head = await fetch(`${this.url}/v2/${name}/blobs/${digest}`, {method: 'HEAD'})
    if (head.status === 200) return digest
    await check(head, `HEAD blob ${digest}`, [404])

    const post = await fetch(`${this.url}/v2/${name}/blobs/uploads/`, {method: 'POST'})
    const start = await check(post, `start upload to ${name}`, [202])
    const location = start.headers.get('location')
    if (!location) throw new Error(`registry: upload to ${name} answered 202 without a Location header`)
    await start.arrayBuffer()
    const upload = new URL(location, this.url)
    upload.searchParams.set('digest', digest)
    const put = await fetch(upload, {
      method: 'PUT',
      headers: {'content-type': 'application/octet-stream'},
      body: new Uint8Array(data),
    })
    await check(put, `PUT blob ${digest} to ${name}`, [201])
    await put.arrayBuffer()
    return digest
  }

  async push(name: string, reference: string, image: BuiltImage | PushableImage): Promise<string> {
    const blobs = 'blobs' in image ? image.blobs : [image.config, ...image.layers.map((l) => l.data)]
    for (const blob of blobs) await this.pushBlob(name, blob)
    return this.putManifest(name, reference, image.mediaType, image.manifest)
  }

  async pushIndex(name: string, reference: string, index: BuiltIndex): Promise<string> {
    for (const image of index.images) await this.push(name, image.manifestDigest, image)
    return this.putManifest(name, reference, index.mediaType, index.manifest)
  }

  private async putManifest(name: string, reference: string, mediaType: string, manifest: Buffer): Promise<string> {
    const res = await fetch(`${this.url}/v2/${name}/manifests/${reference}`, {
      method: 'PUT',
      headers: {'content-type': mediaType},
      body: new Uint8Array(manifest),
    })
    await check(res, `PUT manifest ${name}:${reference}`, [201])
    await res.arrayBuffer()
    const digest = sha256(manifest)
    const stored = res.headers.get('docker-content-digest')
    if (stored !== null && stored !== digest) {
      throw new Error(`registry stored manifest ${name}:${reference} as ${stored}, expected ${digest}`)
    }
    return digest
  }

  private killNow(): void {
    if (!exited(this.child)) this.child.kill('SIGKILL')
    rmSync(this.dir, {recursive: true, force: true})
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (this.child.pid !== undefined && !exited(this.child)) {
        this.child.kill('SIGTERM')
        if (!(await waitExit(this.child, STOP_GRACE_MS))) {
          this.child.kill('SIGKILL')
          await waitExit(this.child, STOP_GRACE_MS)
        }
      }
      process.removeListener('exit', this.onExit)
      rmSync(this.dir, {recursive: true, force: true})
    })()
    return this.stopped
  }
}

async function startOnce(options: RegistryOptions): Promise<LocalRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tspod-registry-'))
  const storageDir = path.join(dir, 'storage')
  const configFile = path.join(dir, 'config.yml')
  const port = await freePort()
  writeSecrets(dir, options)
  writeFileSync(configFile, configYaml(storageDir, port, options, dir))
  // REGISTRY_* variables override the config file; keep any from the outside out.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')))
  const child = spawn(REGISTRY_BIN, ['serve', configFile], {stdio: ['ignore', 'pipe', 'pipe'], env})
  const registry = new LocalRegistry(port, dir, storageDir, child, options)
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', (err) => reject(new Error(`cannot start ${REGISTRY_BIN}: ${err.message}`)))
    })
    await registry.waitReady()
  } catch (err) {
    await registry.stop()
    throw err
  }
  return registry
}

/** Start a registry on a free port of 127.0.0.1 and wait until it answers GET /v2/. */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  // Another process can take the free port between our probe and the registry's bind; try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options)
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test(String(err))) throw err
    }
  }
}

/** One registry for all tests of an ava file: started in test.before, stopped in test.after.always. */
export function withRegistry<Context>(test: TestFn<Context>, options: RegistryOptions = {}): () => Registry {
  let registry: Registry | undefined
  test.before(async () => {
    registry = await startRegistry(options)
  })
  test.after.always(async () => {
    await registry?.stop()
  })
  return () => {
    if (!registry) throw new Error('the registry is not running (withRegistry must be called at the top level of the test file)')
    return registry
  }
}
