// `manifest push` as a library (buildah's list.Push): each instance of a stored list copied to the
// registry's repository under its digest (read from the store when an image there has it, else
// from the reference it was added from), then the list, rewritten with the digests the copies
// got, under the destination's tag.
import * as fs from 'node:fs'
import type {Readable} from 'node:stream'

import {TspodError, UsageError} from '../../errors'
import {sha256Digest} from '../digest'
import type {Store} from '../store/store'
import type {RegistriesConfig} from './config/registries-conf'
import {CopyEvent, copyImage} from './copy/copy'
import {serializeDockerManifestList} from './manifest/docker-schema2'
import type {ManifestList, ManifestListInstance} from './manifest/manifest'
import {MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from './manifest/media-types'
import {serializeOciIndex} from './manifest/oci'
import {loadList, parseAddReference} from './manifest-list'
import {parseDestination} from './push'
import {StoreImageReference} from './transports/containers-storage/transport'
import {dockerTransport} from './transports/docker/transport'
import {formatImageName} from './transports/registry'
import type {BlobInfo, ImageContext, ImageDestination, ImageReference, ImageSource, ManifestBlob} from './transports/types'

/** --format: the list's format and the format of the instances copied with it. */
const LIST_FORMATS: Readonly<Record<string, {list: string; image: string}>> = {
  oci: {list: MEDIA_TYPE_OCI_INDEX, image: MEDIA_TYPE_OCI_MANIFEST},
  v2s2: {list: MEDIA_TYPE_DOCKER_MANIFEST_LIST, image: MEDIA_TYPE_DOCKER_MANIFEST},
}

export interface ManifestPushOptions {
  ctx: ImageContext & {registries: RegistriesConfig}
  /** --all (Podman's default): copy the instances too, not only the list */
  all: boolean
  format?: string
  compressionFormat?: string
  digestFile?: string
  tmpDir: string
  onEvent?: (event: CopyEvent) => void
  /** a line of progress ("Copying image sha256:… (1/2)") */
  report?: (line: string) => void
}

/**
 * Writes the manifest under its own digest, whatever the copy made of it (layers compressed on
 * the way change it): the blobs go through the destination opened for the repository.
 */
class ByDigestDestination implements ImageDestination {
  written?: ManifestBlob

  constructor(
    private readonly inner: ImageDestination,
    private readonly repository: string,
    private readonly ctx: ImageContext,
  ) {}

  get reference(): ImageReference {
    return this.inner.reference
  }

  get supportedManifestTypes(): string[] {
    return this.inner.supportedManifestTypes
  }

  tryReusingBlob(info: BlobInfo, options?: {layerIndex?: number}): Promise<BlobInfo | undefined> {
    return this.inner.tryReusingBlob(info, options)
  }

  putBlob(stream: Readable, info: BlobInfo, options: {isConfig: boolean; layerIndex?: number}): Promise<BlobInfo> {
    return this.inner.putBlob(stream, info, options)
  }

  async putManifest(manifest: ManifestBlob): Promise<void> {
    const target = await dockerTransport.parseReference(`//${this.repository}@${sha256Digest(manifest.bytes)}`).newDestination(this.ctx)
    try {
      await target.putManifest(manifest)
    } finally {
      await target.close()
    }
    this.written = manifest
  }

  commit(): Promise<void> {
    return this.inner.commit()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}

/** Where an instance is read from: the store's image with that manifest, else the registry it was added from. */
async function instanceSource(store: Store, instance: ManifestListInstance, from: string | undefined, ctx: ImageContext): Promise<ImageSource> {
  const local = store.images.byDigest(instance.digest)[0]
  if (local) return StoreImageReference.ofImage(store, local).newSource()
  const origin = from === undefined ? undefined : parseAddReference(from, ctx.tmpDir ?? '')
  const name = origin?.transport.name === dockerTransport.name ? origin.dockerReference() : undefined
  if (name === undefined) throw new TspodError(`instance ${instance.digest} of the list is neither in local storage nor in a registry it can be read from`)
  return dockerTransport.parseReference(`//${name.replace(/[:@][^/]*$/, '')}@${instance.digest}`).newSource({...ctx, store})
}

function serialize(list: ManifestList, mediaType: string): ManifestBlob {
  const bytes = mediaType === MEDIA_TYPE_OCI_INDEX ? serializeOciIndex({...list, mediaType}) : serializeDockerManifestList({...list, mediaType})
  return {bytes, mediaType}
}

/** Returns the digest of the list as written. */
export async function pushList(store: Store, listName: string, destinationName: string, opts: ManifestPushOptions): Promise<string> {
  const format = opts.format === undefined ? undefined : LIST_FORMATS[opts.format]
  if (opts.format !== undefined && format === undefined) throw new UsageError(`unknown format ${JSON.stringify(opts.format)}. Choose one of the supported formats: 'oci' or 'v2s2'`)
  if (opts.compressionFormat !== undefined && opts.compressionFormat !== 'gzip') {
    throw new UsageError(`compression format ${JSON.stringify(opts.compressionFormat)} is not supported by tspod: use gzip`)
  }
  const stored = loadList(store, listName, opts.ctx.registries)
  const destination = parseDestination(destinationName, opts.tmpDir)
  const repository = destination.dockerReference()?.replace(/[:@][^/]*$/, '')
  if (destination.transport.name !== dockerTransport.name || repository === undefined) {
    throw new UsageError(`pushing a manifest list to ${formatImageName(destination)} is not supported by tspod: push it to a registry (docker://)`)
  }
  const list: ManifestList = {...stored.list, instances: stored.list.instances.map((i) => ({...i}))}
  const ctx: ImageContext = {...opts.ctx, store}
  if (opts.all) {
    opts.report?.(`Copying ${list.instances.length} of ${list.instances.length} images in list`)
    for (const [n, instance] of list.instances.entries()) {
      opts.report?.(`Copying image ${instance.digest} (${n + 1}/${list.instances.length})`)
      const source = await instanceSource(store, instance, stored.instances[instance.digest], ctx)
      try {
        const inner = await dockerTransport.parseReference(`//${repository}@${instance.digest}`).newDestination({...ctx, knownRepositories: []})
        const dest = new ByDigestDestination(inner, repository, ctx)
        try {
          const copied = await copyImage(source, dest, {onEvent: opts.onEvent, manifestType: format?.image, layerCompression: {format: 'gzip', recompress: false}})
          instance.digest = copied.manifestDigest
          instance.size = copied.manifest.bytes.length
          instance.mediaType = copied.manifest.mediaType
        } finally {
          await dest.close()
        }
      } finally {
        await source.close()
      }
    }
  }
  const blob = serialize(list, format?.list ?? stored.image.manifestType)
  opts.report?.('Writing manifest list to image destination')
  const dest = await destination.newDestination(ctx)
  try {
    await dest.putManifest(blob)
    await dest.commit()
  } finally {
    await dest.close()
  }
  const digest = sha256Digest(blob.bytes)
  if (opts.digestFile !== undefined) {
    try {
      fs.writeFileSync(opts.digestFile, digest, {mode: 0o644})
    } catch (err) {
      throw new TspodError(`failed to write digest to file ${JSON.stringify(opts.digestFile)}: ${(err as Error).message}`, {cause: err})
    }
  }
  return digest
}
