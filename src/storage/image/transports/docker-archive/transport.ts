// The "docker-archive:" transport: an image in the `docker save` tar format,
// "docker-archive:FILE", "docker-archive:FILE:NAME[:TAG]" or "docker-archive:FILE:@N".
import * as os from 'node:os'
import * as path from 'node:path'

import {TspodError, UsageError, wrap} from '../../../../errors'
import {DockerReference, parseNormalizedName} from '../../reference/docker-reference'
import {ImageContext, ImageReference, Transport} from '../types'
import {DockerArchiveDestination} from './destination'
import {DockerArchiveSource} from './source'

export const DOCKER_ARCHIVE_TRANSPORT_NAME = 'docker-archive'

export interface DockerArchiveReferenceOptions {
  /** where a compressed archive is decompressed to before reading; os.tmpdir() when not given */
  tmpDir?: string
  /** more names to record in RepoTags when writing (normalized, tag "latest" when none) */
  additionalTags?: string[]
}

/** A name to tag with: normalized, "latest" when it has no tag, and no digest (containers/image's rules and wording). */
export function parseArchiveTag(text: string): DockerReference {
  let named: DockerReference
  try {
    named = parseNormalizedName(text)
  } catch (err) {
    throw wrap(err, 'docker-archive parsing reference')
  }
  if (named.tag === undefined && named.digest !== undefined) throw new UsageError(`reference does not include a tag: ${named.toString()}`)
  named = named.withDefaultTag()
  if (named.digest !== undefined) throw new UsageError(`docker-archive doesn't support digest references: ${named.toString()}`)
  return named
}

export class DockerArchiveReference implements ImageReference {
  readonly transport: DockerArchiveTransport = dockerArchiveTransport
  /** absolute path of the archive */
  readonly file: string
  /** the image to read (matched against RepoTags) or the name to write, when given */
  readonly name?: DockerReference
  /** the manifest.json item to read, or -1 */
  readonly sourceIndex: number
  readonly tmpDir: string
  readonly additionalTags: DockerReference[]

  constructor(file: string, name?: DockerReference, sourceIndex = -1, options: DockerArchiveReferenceOptions = {}) {
    const resolved = path.resolve(file)
    if (resolved.includes(':')) throw new UsageError(`Invalid docker-archive: reference: colon in path ${JSON.stringify(resolved)} is not supported`)
    if (name && sourceIndex !== -1) throw new UsageError('Invalid docker-archive: reference: cannot use both a tag and a source index')
    if (sourceIndex !== -1 && (!Number.isSafeInteger(sourceIndex) || sourceIndex < 0)) {
      throw new UsageError(`Invalid docker-archive: reference: index @${sourceIndex} must not be negative`)
    }
    if (name?.digest !== undefined) throw new UsageError(`docker-archive doesn't support digest references: ${name.toString()}`)
    this.file = resolved
    this.name = name?.withDefaultTag()
    this.sourceIndex = sourceIndex
    this.tmpDir = options.tmpDir ?? os.tmpdir()
    this.additionalTags = (options.additionalTags ?? []).map(parseArchiveTag)
  }

  toString(): string {
    if (this.name) return `${this.file}:${this.name.toString()}`
    if (this.sourceIndex !== -1) return `${this.file}:@${this.sourceIndex}`
    return this.file
  }

  dockerReference(): string | undefined {
    return this.name?.toString()
  }

  newSource(ctx: ImageContext): Promise<DockerArchiveSource> {
    return DockerArchiveSource.open(this, ctx)
  }

  async newDestination(ctx: ImageContext): Promise<DockerArchiveDestination> {
    if (this.sourceIndex !== -1) throw new TspodError(`Destination reference must not contain a manifest index @${this.sourceIndex}`)
    return DockerArchiveDestination.open(this, ctx)
  }
}

export interface DockerArchiveTransport extends Transport {
  parseReference(text: string, options?: DockerArchiveReferenceOptions): DockerArchiveReference
}

export const dockerArchiveTransport: DockerArchiveTransport = {
  name: DOCKER_ARCHIVE_TRANSPORT_NAME,
  parseReference(text: string, options: DockerArchiveReferenceOptions = {}): DockerArchiveReference {
    if (text === '') throw new UsageError(`docker-archive reference ${text} isn't of the form <path>[:<reference>]`)
    const colon = text.indexOf(':')
    if (colon === -1) return new DockerArchiveReference(text, undefined, -1, options)
    const file = text.slice(0, colon)
    const rest = text.slice(colon + 1)
    if (rest.startsWith('@')) {
      const digits = rest.slice(1)
      if (!/^-?[0-9]+$/.test(digits)) throw new UsageError(`Invalid source index ${rest}: not an integer`)
      const index = Number(digits)
      if (index < 0) throw new UsageError(`Invalid source index @${index}: must not be negative`)
      return new DockerArchiveReference(file, undefined, index, options)
    }
    return new DockerArchiveReference(file, parseArchiveTag(rest), -1, options)
  },
}
