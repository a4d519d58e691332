// A compressed layer copied as its tar stream (`save --uncompressed`): the blob is the layer's
// DiffID, verified as it flows, under the uncompressed media type of the same manifest format.
import {TspodError, wrap} from '../../../errors'
import {DigestVerifier} from '../../digest'
import {createLayerDecompressor} from '../../store/archive/decompress'
import {uncompressedMediaType} from './layer-compression'
import type {ManifestBlobInfo} from '../manifest/types'
import type {ImageDestination, ImageSource} from '../transports/types'

/** The config's rootfs.diff_ids: the digests of the layers' tar streams, bottom first. */
export function diffIds(config: Buffer, layerCount: number): string[] {
  let ids: unknown
  try {
    ids = (JSON.parse(config.toString('utf8')) as {rootfs?: {diff_ids?: unknown}}).rootfs?.diff_ids
  } catch (err) {
    throw wrap(err, 'parsing image configuration')
  }
  if (!Array.isArray(ids) || ids.length !== layerCount || !ids.every((id) => typeof id === 'string')) {
    throw new TspodError(`image configuration has ${Array.isArray(ids) ? ids.length : 0} layer DiffIDs, the manifest ${layerCount} layers`)
  }
  return ids as string[]
}

/** Copy a compressed layer (isCompressedMediaType) as its tar; returns the layer as the new manifest lists it. */
export async function copyLayerUncompressed(source: ImageSource, dest: ImageDestination, layer: ManifestBlobInfo, diffId: string, index: number): Promise<ManifestBlobInfo> {
  const mediaType = uncompressedMediaType(layer.mediaType)!
  const {stream} = await source.getBlob(layer)
  const verifier = stream.pipe(new DigestVerifier(layer.digest))
  const tar = verifier.pipe(createLayerDecompressor())
  for (const upstream of [stream, verifier]) upstream.on('error', (err) => tar.destroy(err))
  const stored = await dest.putBlob(tar, {digest: diffId, size: -1, mediaType}, {isConfig: false, layerIndex: index})
  const out: ManifestBlobInfo = {mediaType, digest: diffId, size: stored.size}
  if (layer.annotations) out.annotations = layer.annotations
  return out
}
