// Extended attributes of tar entries, from PAX records `SCHILY.xattr.<name>=<value>` (what Go's
// archive/tar and GNU tar write). Values are binary (security.capability is a struct), but
// tar-stream decodes PAX values as UTF-8, which mangles them; so the raw PAX block is parsed here.
import type {Extract} from 'tar-stream'

const XATTR_PREFIX = 'SCHILY.xattr.'

export type Xattrs = Map<string, Buffer>

/** The SCHILY.xattr.* records of one PAX extended header block, values byte for byte. */
export function parsePaxXattrs(block: Buffer): Xattrs {
  const xattrs: Xattrs = new Map()
  let offset = 0
  while (offset < block.length) {
    const space = block.indexOf(0x20, offset)
    if (space < 0) break
    const length = Number.parseInt(block.toString('latin1', offset, space), 10)
    if (!(length > 0) || offset + length > block.length) break
    const record = block.subarray(space + 1, offset + length - 1) // without the trailing "\n"
    offset += length
    const eq = record.indexOf(0x3d)
    if (eq < 0) continue
    const key = record.toString('utf8', 0, eq)
    if (key.startsWith(XATTR_PREFIX)) xattrs.set(key.slice(XATTR_PREFIX.length), Buffer.from(record.subarray(eq + 1)))
  }
  return xattrs
}

interface ExtractInternals {
  _header: {type: string | null} | null
  _decodeLongHeader?: (buf: Buffer) => void
}

export interface XattrTap {
  /** the xattrs of the entry tar-stream has just emitted (call once per entry) */
  take(): Xattrs
}

/**
 * Watch the PAX blocks an extractor decodes. tar-stream 3 decodes every long header through its
 * `_decodeLongHeader`; the block of a `pax-header` belongs to the entry emitted next, and a
 * `pax-global-header` applies to all entries after it.
 */
export function tapPaxXattrs(extract: Extract): XattrTap {
  const internals = extract as unknown as ExtractInternals
  const decode = internals._decodeLongHeader
  if (typeof decode !== 'function')
    throw new Error('tar-stream no longer has _decodeLongHeader: layer xattrs cannot be read')
  let pending: Xattrs | undefined
  let global: Xattrs | undefined
  internals._decodeLongHeader = function (this: ExtractInternals, buf: Buffer) {
    const type = internals._header?.type
    if (type === 'pax-header') pending = parsePaxXattrs(buf)
    else if (type === 'pax-global-header') global = parsePaxXattrs(buf)
    return decode.call(this, buf)
  }
  return {
    take() {
      const xattrs = new Map([...(global ?? []), ...(pending ?? [])])
      pending = undefined
      return xattrs
    },
  }
}
