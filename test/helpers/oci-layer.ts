// Layer tars for test images, written entry by entry exactly as described: names, link targets
// and ownership are never cleaned up, so tests can build hostile archives as easily as normal ones.
import {createHash} from 'node:crypto'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'

export type LayerEntryType = 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo'

export interface LayerEntry {
  /** written verbatim as the tar name: 'bin/sh', 'dir/', '../x', '/abs' and '.wh.x' all stay as given */
  path: string
  /** 'file' unless given */
  type?: LayerEntryType
  content?: string | Buffer
  /** permission bits, setuid/setgid/sticky included; 0644 for files, 0755 for dirs, 0777 for symlinks */
  mode?: number
  uid?: number
  gid?: number
  /** target of a symlink or hardlink, verbatim */
  linkname?: string
  mtime?: Date
  /** extended attributes, stored as SCHILY.xattr.<name> PAX records */
  xattrs?: Record<string, string>
  /** raw PAX records */
  pax?: Record<string, string>
  devmajor?: number
  devminor?: number
}

export type Compression = 'gzip' | 'none'

export const MEDIA_TYPE_OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip'
export const MEDIA_TYPE_OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar'

/** Every timestamp the helpers write, so the same inputs always give the same bytes. */
export const FIXED_DATE = new Date('2024-01-01T00:00:00Z')

/** A layer blob as it goes into a manifest. */
export interface Layer {
  /** digest of `data`, the blob */
  digest: string
  size: number
  /** digest of the uncompressed tar */
  diffID: string
  mediaType: string
  data: Buffer
}

/** What a layer can be built from: entries, a ready tar (compressed as asked), or a finished blob used verbatim. */
export type LayerInput = LayerEntry[] | Buffer | Layer

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

const TAR_TYPES: Record<LayerEntryType, tar.Header['type']> = {
  file: 'file',
  dir: 'directory',
  symlink: 'symlink',
  link: 'link',
  char: 'character-device',
  block: 'block-device',
  fifo: 'fifo',
}

const DEFAULT_MODES: Record<LayerEntryType, number> = {
  file: 0o644,
  dir: 0o755,
  symlink: 0o777,
  link: 0o644,
  char: 0o666,
  block: 0o660,
  fifo: 0o644,
}

// tar-stream swaps a mode of 0 for its default. A bit above the 12 permission bits is masked off
// when the header is encoded, so setting one keeps a mode of 0 as 0.
const MODE_KEEPER = 0o100000

// The ustar uid/gid fields hold 6 octal digits; bigger ids go into PAX records as Go's archive/tar does.
const USTAR_MAX_ID = 0o777777

function headerFor(entry: LayerEntry): Partial<tar.Header> & {name: string} {
  const type = entry.type ?? 'file'
  const uid = entry.uid ?? 0
  const gid = entry.gid ?? 0
  const pax: Record<string, string> = {...entry.pax}
  for (const [name, value] of Object.entries(entry.xattrs ?? {})) pax[`SCHILY.xattr.${name}`] = value
  if (uid > USTAR_MAX_ID) pax.uid = String(uid)
  if (gid > USTAR_MAX_ID) pax.gid = String(gid)
  return {
    name: entry.path,
    type: TAR_TYPES[type],
    mode: (entry.mode ?? DEFAULT_MODES[type]) | MODE_KEEPER,
    uid: Math.min(uid, USTAR_MAX_ID),
    gid: Math.min(gid, USTAR_MAX_ID),
    mtime: entry.mtime ?? FIXED_DATE,
    linkname: entry.linkname,
    devmajor: entry.devmajor,
    devminor: entry.devminor,
    ...(Object.keys(pax).length > 0 ? {pax} : {}),
  }
}

/** An uncompressed tar of `entries`, in the given order. */
export async function buildLayerTar(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer)
  })()
  for (const entry of entries) {
    const header = headerFor(entry)
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve())
      if (header.type === 'file') pack.entry(header, Buffer.from(entry.content ?? ''), done)
      else pack.entry(header, done)
    })
  }
  pack.finalize()
  await collected
  return Buffer.concat(chunks)
}

export function gzip(data: Buffer): Buffer {
  return zlib.gzipSync(data)
}

/** A layer blob from a tar: gzip-compressed unless asked otherwise. */
export function layerFromTar(tarData: Buffer, compression: Compression = 'gzip'): Layer {
  const data = compression === 'gzip' ? gzip(tarData) : tarData
  return {
    digest: sha256(data),
    size: data.length,
    diffID: sha256(tarData),
    mediaType: compression === 'gzip' ? MEDIA_TYPE_OCI_LAYER_GZIP : MEDIA_TYPE_OCI_LAYER_TAR,
    data,
  }
}

export async function buildLayer(input: LayerInput, compression: Compression = 'gzip'): Promise<Layer> {
  if (Buffer.isBuffer(input)) return layerFromTar(input, compression)
  if (Array.isArray(input)) return layerFromTar(await buildLayerTar(input), compression)
  return input
}

/** The uncompressed tar of a layer blob. */
export function layerTar(layer: Layer): Buffer {
  return layer.mediaType.endsWith('gzip') ? zlib.gunzipSync(layer.data) : layer.data
}

export interface ListedEntry {
  path: string
  type: string
  mode: number
  uid: number
  gid: number
  size: number
  linkname: string | null
  devmajor: number
  devminor: number
  pax: Record<string, string> | null
  content: Buffer
}

/** Read a tar back (for tests of what was built): every entry with its header fields and contents. */
export async function listTar(tarData: Buffer): Promise<ListedEntry[]> {
  const extract = tar.extract()
  const entries: ListedEntry[] = []
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      const h = entry.header as Omit<tar.Header, 'pax'> & {pax?: Record<string, string> | null}
      entries.push({
        path: h.name,
        type: h.type,
        mode: h.mode,
        uid: h.pax?.uid ? Number(h.pax.uid) : h.uid,
        gid: h.pax?.gid ? Number(h.pax.gid) : h.gid,
        size: h.size,
        linkname: h.linkname ?? null,
        devmajor: h.devmajor,
        devminor: h.devminor,
        pax: h.pax ?? null,
        content: Buffer.concat(chunks),
      })
    }
  })()
  extract.end(tarData)
  await done
  return entries
}
