// The files of an OCI image layout (image-spec image-layout.md): oci-layout, index.json and
// blobs/<algorithm>/<encoded>, and the index.json entry an "oci:" reference names.
import {readFile} from 'node:fs/promises'
import * as path from 'node:path'

import {TspodError, wrap} from '../../../../errors'
import {tryParseDigest} from '../../../digest'
import {JsonFields} from '../../manifest/json-fields'
import {ANNOTATION_REF_NAME, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from '../../manifest/media-types'
import {parseOciIndex} from '../../manifest/oci'
import {ManifestList, ManifestListInstance} from '../../manifest/types'

export const OCI_LAYOUT_FILE = 'oci-layout'
export const INDEX_FILE = 'index.json'
export const BLOBS_DIR = 'blobs'
export const OCI_LAYOUT_VERSION = '1.0.0'

/** Manifests and index.json itself are small; anything bigger is not one (containers/image's iolimits). */
export const MAX_MANIFEST_SIZE = 4 * 1024 * 1024

const MANIFEST_ENTRY_TYPES = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST]

/** Where a blob lives in the layout at dir; throws for a malformed digest rather than build a path from it. */
export function blobPath(dir: string, digest: string): string {
  const parsed = tryParseDigest(digest)
  if (!parsed) throw new TspodError(`unexpected digest reference ${JSON.stringify(digest)}: invalid digest`)
  return path.join(dir, BLOBS_DIR, parsed.algorithm, parsed.encoded)
}

/** index.json of the layout at dir, parsed and checked. */
export async function readLayoutIndex(dir: string): Promise<ManifestList> {
  const file = path.join(dir, INDEX_FILE)
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw wrap(err, `reading OCI layout index ${file}`)
  }
  try {
    return parseOciIndex(new JsonFields('OCI image index').parse(bytes), true)
  } catch (err) {
    throw wrap(err, file)
  }
}

/**
 * The index.json entry for a reference, and its position: the one whose ref name annotation is
 * `image`, the `sourceIndex`-th one, or with neither the only one (containers/image's rules and
 * messages).
 */
export function findLayoutEntry(index: ManifestList, image: string, sourceIndex: number, dir: string): {entry: ManifestListInstance; position: number} {
  const entries = index.instances
  if (sourceIndex !== -1) {
    if (sourceIndex >= entries.length) throw new TspodError(`index ${sourceIndex} is too large, only ${entries.length} entries available`)
    return {entry: entries[sourceIndex], position: sourceIndex}
  }
  if (image !== '') {
    const unsupported: string[] = []
    for (const [position, entry] of entries.entries()) {
      if (entry.annotations?.[ANNOTATION_REF_NAME] !== image) continue
      if (MANIFEST_ENTRY_TYPES.includes(entry.mediaType)) return {entry, position}
      unsupported.push(entry.mediaType)
    }
    if (unsupported.length > 0) {
      throw new TspodError(`reference ${JSON.stringify(image)} matches unsupported manifest MIME types ${JSON.stringify(unsupported)}`)
    }
    throw new TspodError(`no descriptor found for reference ${JSON.stringify(image)}`)
  }
  if (entries.length === 0) throw new TspodError(`no image in OCI layout ${dir}: index.json lists no manifests`)
  if (entries.length !== 1) throw new TspodError('more than one image in oci, choose an image')
  return {entry: entries[0], position: 0}
}
