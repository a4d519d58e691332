// A small tar writer for layer tests: ustar headers plus PAX records with binary values (tar-stream's
// packer writes PAX values as text), and full control over hostile names, types and ids.
import * as crypto from 'node:crypto'

export interface TarEntry {
  name: string
  type?: 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo' | 'sparse'
  data?: string | Buffer
  mode?: number
  uid?: number
  gid?: number
  /** seconds since the epoch; PAX `mtime` is written when it has a fraction */
  mtime?: number
  linkname?: string
  xattrs?: Record<string, Buffer | string>
  devmajor?: number
  devminor?: number
}

const TYPEFLAGS: Record<NonNullable<TarEntry['type']>, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
  sparse: 'S',
}

const BLOCK = 512

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')])
  let length = body.length + 1
  while (String(length).length + body.length !== length) length = String(length).length + body.length
  return Buffer.concat([Buffer.from(String(length)), body])
}

function header(fields: {
  name: string
  mode: number
  uid: number
  gid: number
  size: number
  mtime: number
  typeflag: string
  linkname: string
  devmajor: number
  devminor: number
}): Buffer {
  const b = Buffer.alloc(BLOCK)
  b.write(fields.name.slice(0, 100), 0, 'utf8')
  b.write(octal(fields.mode, 8), 100, 'latin1')
  b.write(octal(Math.min(fields.uid, 0o7777777), 8), 108, 'latin1')
  b.write(octal(Math.min(fields.gid, 0o7777777), 8), 116, 'latin1')
  b.write(octal(fields.size, 12), 124, 'latin1')
  b.write(octal(Math.floor(fields.mtime), 12), 136, 'latin1')
  b.write('        ', 148, 'latin1')
  b.write(fields.typeflag, 156, 'latin1')
  b.write(fields.linkname.slice(0, 100), 157, 'utf8')
  b.write('ustar\0' + '00', 257, 'latin1')
  b.write('root', 265, 'latin1')
  b.write('root', 297, 'latin1')
  b.write(octal(fields.devmajor, 8), 329, 'latin1')
  b.write(octal(fields.devminor, 8), 337, 'latin1')
  let sum = 0
  for (const byte of b) sum += byte
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
  return b
}

function padded(data: Buffer): Buffer {
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK
  return Buffer.concat([data, Buffer.alloc(pad)])
}

/** One entry's blocks: an optional PAX header, the ustar header, the padded data. */
export function tarEntryBlocks(entry: TarEntry): Buffer {
  const type = entry.type ?? 'file'
  const data = type === 'file' ? Buffer.from(entry.data ?? '') : Buffer.alloc(0)
  const name = type === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name
  const uid = entry.uid ?? 0
  const gid = entry.gid ?? 0
  const mtime = entry.mtime ?? 1_700_000_000
  const linkname = entry.linkname ?? ''
  const records: Buffer[] = []
  if (Buffer.byteLength(name) > 100) records.push(paxRecord('path', Buffer.from(name)))
  if (Buffer.byteLength(linkname) > 100) records.push(paxRecord('linkpath', Buffer.from(linkname)))
  if (uid > 0o7777777) records.push(paxRecord('uid', Buffer.from(String(uid))))
  if (gid > 0o7777777) records.push(paxRecord('gid', Buffer.from(String(gid))))
  if (!Number.isInteger(mtime)) records.push(paxRecord('mtime', Buffer.from(mtime.toFixed(6))))
  for (const [key, value] of Object.entries(entry.xattrs ?? {}))
    records.push(paxRecord(`SCHILY.xattr.${key}`, Buffer.from(value)))
  const parts: Buffer[] = []
  if (records.length > 0) {
    const pax = Buffer.concat(records)
    parts.push(
      header({
        name: 'PaxHeaders/x',
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: pax.length,
        mtime: 0,
        typeflag: 'x',
        linkname: '',
        devmajor: 0,
        devminor: 0,
      }),
    )
    parts.push(padded(pax))
  }
  const mode = entry.mode ?? (type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644)
  parts.push(
    header({
      name,
      mode,
      uid,
      gid,
      size: data.length,
      mtime,
      typeflag: TYPEFLAGS[type],
      linkname,
      devmajor: entry.devmajor ?? 0,
      devminor: entry.devminor ?? 0,
    }),
  )
  parts.push(padded(data))
  return Buffer.concat(parts)
}

/** A complete tar (with the two zero blocks that end an archive). */
export function buildTar(entries: TarEntry[]): Buffer {
  return Buffer.concat([...entries.map(tarEntryBlocks), Buffer.alloc(2 * BLOCK)])
}

export function sha256(data: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`
}

/**
 * A zstd stream made of raw (stored) blocks, split into `frames` frames: valid zstd that any
 * decoder must read, built without a compressor.
 */
export function zstdStored(data: Buffer, frames = 1): Buffer {
  const out: Buffer[] = []
  const perFrame = Math.ceil(data.length / frames) || 1
  for (let f = 0; f < frames; f++) {
    const part = data.subarray(f * perFrame, (f + 1) * perFrame)
    out.push(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])) // magic, no flags, 128 KiB window
    const blockMax = 128 * 1024
    let offset = 0
    do {
      const block = part.subarray(offset, offset + blockMax)
      offset += block.length
      const last = offset >= part.length ? 1 : 0
      const h = (block.length << 3) | last // block type 0: raw
      out.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), block)
    } while (offset < part.length)
  }
  return Buffer.concat(out)
}

/**
 * `zstd -19` of buildTar([{name: 'etc/', type: 'dir'}, {name: 'etc/motd', data: 'welcome to tspod\n' x 64},
 * {name: 'etc/issue', type: 'symlink', linkname: 'motd'}]) (4096 bytes, ZSTD_FIXTURE_DIFFID), made
 * by the zstd tool so that fzstd's real decoding paths (FSE, Huffman, XXH64 checksum) run too.
 */
export const ZSTD_FIXTURE = Buffer.from(
  'KLUv/WQADz0EAHJGExGgPUByc9u4/z9pMXWoV1h6CurdjaB7mpyzZIxMpF8KlL/4wT8s56mtuUGZe/Aoxah3p+8OdxWij1I76CCGeXW37DlldGFd7T6rIv0KFSAgLW1hsRj9K8BF9aCJe0CajvepNwv0X2BUc8bA0TI0AAtInAKwzTA2wPAHUgMDJYApwHjibw0r2kk=',
  'base64',
)
export const ZSTD_FIXTURE_DIFFID = 'sha256:dd439c56fae26bf61e31e3f22e68c48aa9843e2c10e26c91dcc67fd8828e4b3d'
