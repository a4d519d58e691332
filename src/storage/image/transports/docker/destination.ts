// docker:// as an ImageDestination (containers/image's docker_image_dest.go): a blob the
// repository has is not sent again (HEAD), one another repository of the registry has is mounted,
// the rest is uploaded (POST, one streamed PATCH, PUT ?digest=), and the manifest is PUT last.
import {createHash} from 'node:crypto'
import {Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'
import {MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_OCI_MANIFEST} from '../../manifest/media-types'
import {BlobInfo, ImageDestination, ImageReference, ManifestBlob} from '../types'
import {RegistryClient} from './client'
import {validateDigest} from './digest'
import {HttpResponse} from './http-request'
import type {DockerImageSourceOptions} from './source'

const MAX_ERROR_BODY_SIZE = 1024 * 1024

/** A source's options but its user agent: the registry, repository, tag or digest, TLS and credentials. */
export type DockerImageDestinationOptions = Omit<DockerImageSourceOptions, 'userAgent'>

export class DockerImageDestination implements ImageDestination {
  readonly reference: ImageReference
  readonly supportedManifestTypes = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST]
  readonly client: RegistryClient
  private readonly repository: string
  private readonly tagOrDigest: string
  /** other repositories of this registry that may hold the blobs, for cross-repository mounts */
  private readonly mountSources: string[]
  private readonly closed = new AbortController()

  constructor(options: DockerImageDestinationOptions) {
    const {ctx} = options
    this.reference = options.reference
    this.repository = options.repository
    this.tagOrDigest = options.tagOrDigest
    const credentials = ctx.credentials
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, this.closed.signal]) : this.closed.signal
    const name = `${options.reference.dockerReference()?.replace(/[:@][^/]*$/, '') ?? `${options.registry}/${options.repository}`}`
    this.client = new RegistryClient({
      registry: options.registry,
      repository: options.repository,
      insecure: ctx.tlsVerify === undefined ? options.insecure : !ctx.tlsVerify,
      tls: options.tls,
      actions: 'pull,push',
      getCredentials: credentials ? () => credentials : options.getCredentials,
      signal,
      timeouts: options.timeouts,
      retry: options.retry,
      displayName: name,
    })
    const host = name.slice(0, name.indexOf('/'))
    this.mountSources = [
      ...new Set(
        (ctx.knownRepositories ?? [])
          .filter((known) => known.startsWith(`${host}/`))
          .map((known) => known.slice(host.length + 1).replace(/[:@][^/]*$/, ''))
          .filter((path) => path !== this.repository),
      ),
    ]
  }

  private blobsUrl(digest: string): string {
    return `/v2/${this.repository}/blobs/${digest}`
  }

  /** The blob, if this repository has it or it could be mounted from another one. */
  async tryReusingBlob(info: BlobInfo): Promise<BlobInfo | undefined> {
    validateDigest(info.digest)
    try {
      const size = await this.blobExists(info.digest)
      if (size !== undefined) return {...info, size: size >= 0 ? size : info.size}
      for (const from of this.mountSources) {
        if (await this.mountBlob(info.digest, from)) return info
      }
      return undefined
    } catch (err) {
      throw wrap(err, `trying to reuse blob ${info.digest} at destination`)
    }
  }

  /** HEAD the blob: its size (-1 when not told), or undefined when the repository lacks it. */
  private async blobExists(digest: string): Promise<number | undefined> {
    const context = `checking whether a blob ${digest} exists in ${this.client.name}`
    return this.client.send(this.blobsUrl(digest), {method: 'HEAD'}, async (response) => {
      response.body.cancel()
      if (response.status === 200) {
        const length = response.headers.get('content-length')
        return length !== null && /^\d+$/.test(length) ? Number(length) : -1
      }
      if (response.status === 404) return undefined
      throw await this.client.describeError(response, context)
    })
  }

  /** POST ?mount=&from=: 201 is a mount; anything else leaves the blob to be uploaded. */
  private async mountBlob(digest: string, from: string): Promise<boolean> {
    const url = `/v2/${this.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`
    const extraScopes = [`repository:${from}:pull`]
    const started = await this.client.send(url, {method: 'POST', extraScopes}, async (response) => {
      await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
      if (response.status === 201) return true
      // 202: the registry opened an upload instead; it is not wanted
      return response.status === 202 ? (response.headers.get('location') ?? false) : false
    })
    if (typeof started === 'string') {
      await this.client
        .send(started, {method: 'DELETE', extraScopes}, async (response) => response.body.cancel())
        .catch(() => undefined)
    }
    return started === true
  }

  /**
   * Uploads the stream, unless the repository has the blob already; its digest is computed as it is sent, so a blob whose digest is not known
   * in advance (one compressed on the way) gets it here.
   */
  async putBlob(stream: Readable, info: BlobInfo): Promise<BlobInfo> {
    const uploads = `/v2/${this.repository}/blobs/uploads/`
    // the config never goes through tryReusingBlob: one the repository has is not sent again either
    if (info.digest) {
      const reused = await this.tryReusingBlob(info)
      if (reused !== undefined) {
        stream.destroy()
        return reused
      }
    }
    let location: string
    try {
      location = await this.client.send(uploads, {method: 'POST'}, async (response) => {
        if (response.status !== 202) throw await this.client.describeError(response, `initiating layer upload to ${uploads} in ${this.client.registry}`)
        await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
        return uploadLocation(response)
      })
    } catch (err) {
      throw wrap(err, 'writing blob')
    }

    const hash = createHash('sha256')
    let size = 0
    let sourceError: unknown
    async function* hashed(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of stream) {
          const buffer = chunk as Buffer
          hash.update(buffer)
          size += buffer.length
          yield buffer
        }
      } catch (err) {
        sourceError = err
        throw err
      }
    }
    try {
      location = await this.client.send(location, {method: 'PATCH', headers: {'Content-Type': 'application/octet-stream'}, body: hashed()}, async (response) => {
        if (response.status !== 202) throw await this.client.describeError(response, `uploading layer chunked`)
        await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
        return uploadLocation(response)
      })
    } catch (err) {
      if (sourceError !== undefined) throw sourceError
      throw wrap(err, 'writing blob')
    }

    const digest = `sha256:${hash.digest('hex')}`
    if (info.digest && info.digest !== digest) throw new TspodError(`writing blob: digest mismatch: expected ${info.digest}, uploaded ${digest}`)
    const finish = new URL(location)
    finish.searchParams.set('digest', digest)
    try {
      await this.client.send(finish.href, {method: 'PUT', headers: {'Content-Type': 'application/octet-stream', 'Content-Length': '0'}}, async (response) => {
        if (response.status !== 201) throw await this.client.describeError(response, `uploading layer to ${finish.pathname}`)
        await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
      })
    } catch (err) {
      throw wrap(err, 'writing blob')
    }
    return {...info, digest, size}
  }

  async putManifest(manifest: ManifestBlob): Promise<void> {
    const url = `/v2/${this.repository}/manifests/${this.tagOrDigest}`
    try {
      await this.client.send(url, {method: 'PUT', headers: {'Content-Type': manifest.mediaType}, body: manifest.bytes}, async (response) => {
        if (response.status !== 201) throw await this.client.describeError(response, `uploading manifest ${this.tagOrDigest} to ${this.client.name}`)
        await response.body.readBestEffort(MAX_ERROR_BODY_SIZE)
      })
    } catch (err) {
      throw wrap(err, 'writing manifest')
    }
  }

  /** A registry stores each blob and manifest as it arrives: nothing is left to commit. */
  async commit(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed.signal.aborted) return
    this.closed.abort(new TspodError(`image destination docker:${this.reference.toString()} closed`))
  }
}

/** The absolute URL of an upload's next step, from the Location of its last answer. */
function uploadLocation(response: HttpResponse): string {
  const location = response.headers.get('location')
  if (!location) throw new TspodError(`registry ${new URL(response.url).host} answered an upload without a Location header`)
  try {
    return new URL(location, response.url).href
  } catch {
    throw new TspodError(`registry ${new URL(response.url).host} answered an upload with an invalid Location ${JSON.stringify(location)}`)
  }
}
