// The compression a copy gives layers (push --compression-format), as containers/image applies
// it: a layer already in the asked format goes as it is, an uncompressed one is compressed, and
// with `recompress` a layer compressed otherwise is decompressed and compressed again. zstd is
// written by Debian's zstd program; a Docker schema2 manifest has no media type for zstd layers.
import {Transform} from 'node:stream'
import {createGzip} from 'node:zlib'

import {TspodError, UsageError} from '../../../errors'
import {ProgramTransform, findProgram} from '../../store/archive/program-stream'
import {
  MEDIA_TYPE_DOCKER_FOREIGN_LAYER,
  MEDIA_TYPE_DOCKER_FOREIGN_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_LAYER,
  MEDIA_TYPE_DOCKER_LAYER_GZIP,
  MEDIA_TYPE_OCI_LAYER,
  MEDIA_TYPE_OCI_LAYER_GZIP,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
  MEDIA_TYPE_OCI_LAYER_ZSTD,
} from '../manifest/media-types'

export type CompressionFormat = 'gzip' | 'zstd'
type LayerForm = CompressionFormat | 'none'

export interface LayerCompression {
  format: CompressionFormat
  /** also layers compressed in another format (an explicit --compression-format) */
  recompress: boolean
}

/** One kind of layer under its three forms; Docker's have no zstd form. */
const FAMILIES: readonly Readonly<Record<LayerForm, string | undefined>>[] = [
  {none: MEDIA_TYPE_OCI_LAYER, gzip: MEDIA_TYPE_OCI_LAYER_GZIP, zstd: MEDIA_TYPE_OCI_LAYER_ZSTD},
  {none: MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE, gzip: MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP, zstd: MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_ZSTD},
  {none: MEDIA_TYPE_DOCKER_LAYER, gzip: MEDIA_TYPE_DOCKER_LAYER_GZIP, zstd: undefined},
  {none: MEDIA_TYPE_DOCKER_FOREIGN_LAYER, gzip: MEDIA_TYPE_DOCKER_FOREIGN_LAYER_GZIP, zstd: undefined},
]

/** --compression-format's value: gzip or zstd; zstd:chunked and unknown names are refused. */
export function parseCompressionFormat(text: string): CompressionFormat {
  if (text === 'gzip' || text === 'zstd') return text
  if (text === 'zstd:chunked') throw new UsageError('compression format "zstd:chunked" is not supported by tspod: use zstd or gzip')
  throw new UsageError(`cannot find compressor for ${JSON.stringify(text)}`)
}

function formOf(mediaType: string): {family: (typeof FAMILIES)[number]; form: LayerForm} | undefined {
  for (const family of FAMILIES) {
    for (const form of ['none', 'gzip', 'zstd'] as const) if (family[form] === mediaType) return {family, form}
  }
  return undefined
}

/** A layer media type of a gzip or zstd blob. */
export function isCompressedMediaType(mediaType: string | undefined): boolean {
  const known = mediaType === undefined ? undefined : formOf(mediaType)
  return known !== undefined && known.form !== 'none'
}

/** The media type of a compressed layer's tar stream (same family), or undefined for any other type. */
export function uncompressedMediaType(mediaType: string): string | undefined {
  const known = formOf(mediaType)
  return known && known.form !== 'none' ? known.family.none : undefined
}

/**
 * The media type `mediaType`'s layer gets under `compression`, or undefined when it goes as it
 * is (already in that format, compressed otherwise without `recompress`, or of an unknown type).
 * Throws for zstd asked of a Docker schema2 layer.
 */
export function compressedMediaType(mediaType: string, compression: LayerCompression): string | undefined {
  const known = formOf(mediaType)
  if (!known || known.form === compression.format) return undefined
  if (known.form !== 'none' && !compression.recompress) return undefined
  const target = known.family[compression.format]
  if (target === undefined) {
    throw new UsageError(`zstd compression is not supported for docker images (layer type ${JSON.stringify(mediaType)}): push with --format oci, or --compression-format gzip`)
  }
  return target
}

/** A stream compressing a layer's tar into `format`. */
export function layerCompressor(format: CompressionFormat): Transform {
  if (format === 'gzip') return createGzip()
  const zstd = findProgram('zstd')
  if (!zstd) throw new TspodError('compressing layers with zstd needs the zstd program: install Debian\'s "zstd" package, or push with --compression-format gzip')
  return new ProgramTransform(zstd, ['-q', '-c', '-3'], (stderr, code) => new TspodError(`compressing a layer with zstd: ${stderr.trim().split('\n').pop() || `zstd exited with status ${code}`}`))
}
