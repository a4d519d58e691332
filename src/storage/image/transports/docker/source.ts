// docker:// images as an ImageSource: manifests and blobs from a registry repository.
import {Readable} from 'node:stream'

import {TspodError} from '../../../../errors'
import {BlobInfo, GetBlobOptions, ImageContext, ImageReference, ImageSource, ManifestBlob} from '../types'
import {RegistryClient, RegistryCredentials} from './client'
import {Timeouts, TlsMaterial} from './http-request'
import {RetryPolicy} from './retry'

export interface DockerImageSourceOptions {
  /** the reference this source reads (ImageSource.reference) */
  reference: ImageReference
  /** host[:port] to contact: "registry-1.docker.io" */
  registry: string
  /** "library/alpine" */
  repository: string
  /** the tag or "sha256:…" digest of the top-level manifest */
  tagOrDigest: string
  /** from registries.conf; ctx.tlsVerify, when set, decides instead */
  insecure: boolean
  tls?: TlsMaterial
  /** auth.json lookup; ctx.credentials (--creds), when set, is used instead */
  getCredentials?: (registry: string) => RegistryCredentials | undefined
  ctx: ImageContext
  timeouts?: Partial<Timeouts>
  retry?: Partial<RetryPolicy>
  userAgent?: string
}

export class DockerImageSource implements ImageSource {
  readonly reference: ImageReference
  readonly client: RegistryClient
  private readonly tagOrDigest: string
  private readonly closed = new AbortController()

  constructor(options: DockerImageSourceOptions) {
    const {ctx} = options
    this.reference = options.reference
    this.tagOrDigest = options.tagOrDigest
    const credentials = ctx.credentials
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, this.closed.signal]) : this.closed.signal
    this.client = new RegistryClient({
      registry: options.registry,
      repository: options.repository,
      insecure: ctx.tlsVerify === undefined ? options.insecure : !ctx.tlsVerify,
      tls: options.tls,
      getCredentials: credentials ? () => credentials : options.getCredentials,
      signal,
      timeouts: options.timeouts,
      retry: options.retry,
      userAgent: options.userAgent,
      displayName: repositoryName(options.reference) ?? `${options.registry}/${options.repository}`,
    })
  }

  getManifest(instanceDigest?: string): Promise<ManifestBlob> {
    return this.client.getManifest(instanceDigest ?? this.tagOrDigest)
  }

  getBlob(info: BlobInfo, options?: GetBlobOptions): Promise<{stream: Readable; size: number}> {
    return this.client.getBlob(info.digest, options)
  }

  /** Ends every request and blob stream still running. */
  async close(): Promise<void> {
    if (this.closed.signal.aborted) return
    this.closed.abort(new TspodError(`image source ${this.reference.transport.name}:${this.reference.toString()} closed`))
  }
}

/** "docker.io/library/alpine:latest" → "docker.io/library/alpine", the name containers/image's messages use. */
function repositoryName(reference: ImageReference): string | undefined {
  const full = reference.dockerReference()
  if (full === undefined) return undefined
  return full.replace(/@.*$/, '').replace(/:[^/:]*$/, '')
}
