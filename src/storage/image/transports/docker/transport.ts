// docker://NAME references: a repository in a registry, read through DockerImageSource.
import {TspodError, UsageError} from '../../../../errors'
import {getCredentials} from '../../config/auth-file'
import {assertNotBlocked, findRegistry} from '../../config/registries-conf'
import {DockerReference, parseNormalizedName, registryEndpoint} from '../../reference/docker-reference'
import {ImageContext, ImageDestination, ImageReference, ImageSource, Transport} from '../types'
import {certDirFor, readCertDir} from './cert-dir'
import {DockerImageDestination, DockerImageDestinationOptions} from './destination'
import {Timeouts, TlsMaterial} from './http-request'
import {DockerImageSource} from './source'

export class DockerImageReference implements ImageReference {
  readonly transport = dockerTransport

  /** insecure: an endpoint's own setting (a mirror's), overriding registries.conf's lookup */
  constructor(
    readonly ref: DockerReference,
    private readonly insecure?: boolean,
  ) {}

  toString(): string {
    return `//${this.ref.toString()}`
  }

  dockerReference(): string {
    return this.ref.toString()
  }

  async newSource(ctx: ImageContext): Promise<ImageSource> {
    return new DockerImageSource(this.endpointOptions(ctx))
  }

  async newDestination(ctx: ImageContext): Promise<ImageDestination> {
    if (this.ref.digest !== undefined && this.ref.tag !== undefined) {
      throw new TspodError(`docker://${this.ref.toString()}: a destination cannot have both a tag and a digest`)
    }
    return new DockerImageDestination(this.endpointOptions(ctx))
  }

  /** Where this reference's registry is and how to reach it: what a source and a destination both need. */
  private endpointOptions(ctx: ImageContext): DockerImageDestinationOptions {
    const name = this.ref.toString()
    if (ctx.registries) assertNotBlocked(ctx.registries, name)
    const insecure = this.insecure ?? (ctx.registries ? findRegistry(ctx.registries, name)?.insecure ?? false : false)
    return {
      reference: this,
      registry: registryEndpoint(this.ref.domain),
      repository: this.ref.path,
      tagOrDigest: this.ref.digest ?? this.ref.tag ?? 'latest',
      insecure,
      tls: registryTls(registryEndpoint(this.ref.domain), ctx),
      getCredentials: () => getCredentials(this.ref.domain, this.ref.path, {authFile: ctx.authFile, env: ctx.env}),
      ctx,
      timeouts: registryTimeouts(ctx.registryIdleTimeoutMs),
    }
  }
}

/** The cert dir's CAs and client certificate for registry (--cert-dir, or certs.d/HOST[:PORT]). */
export function registryTls(registry: string, ctx: {certDir?: string; env?: NodeJS.ProcessEnv}): TlsMaterial | undefined {
  const dir = certDirFor(registry, {certDir: ctx.certDir, env: ctx.env})
  return dir === undefined ? undefined : readCertDir(dir)
}

/** Silence is bounded the same way while connecting, awaiting the answer and reading it. */
export function registryTimeouts(idleMs: number | undefined): Partial<Timeouts> | undefined {
  return idleMs === undefined ? undefined : {connectMs: idleMs, idleMs}
}

export const dockerTransport: Transport = {
  name: 'docker',
  parseReference(text: string): ImageReference {
    if (!text.startsWith('//')) throw new UsageError(`docker: image reference ${text} does not start with "//"`)
    return new DockerImageReference(parseNormalizedName(text.slice(2)).withDefaultTag())
  },
}
