// Random access to the members of an uncompressed tar file: the headers are read once (ustar, GNU
// long names, PAX records), giving each member's data offset and size, and a member is then read
// as a range of the file, without unpacking anything.
import {createReadStream} from 'node:fs'
import {FileHandle, open} from 'node:fs/promises'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'

const BLOCK = 512

export type TarMemberType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other'

export interface TarMember {
  /** the name as stored */
  name: string
  type: TarMemberType
  /** offset of the data in the file */
  offset: number
  size: number
  linkname: string
}

/** A member name as containers/image compares them (path.Clean, relative): "./a//b/" → "a/b". */
export function cleanMemberName(name: string): string {
  const cleaned = path.posix.normalize(name.replace(/^\/+/, '') || '.').replace(/\/+$/, '')
  return cleaned === '' ? '.' : cleaned
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length)
  const end = field.indexOf(0)
  return field.subarray(0, end === -1 ? length : end).toString('utf8')
}

function numeric(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length)
  if (field[0] & 0x80) {
    // GNU base-256: big-endian, the top bit of the first byte marks the format
    let value = field[0] & 0x7f
    for (let i = 1; i < length; i++) value = value * 256 + field[i]
    return value
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim()
  if (text === '') return 0
  if (!/^[0-7]+$/.test(text)) return NaN
  return parseInt(text, 8)
}

function checksumMatches(block: Buffer): boolean {
  const stored = numeric(block, 148, 8)
  let unsigned = 0
  let signed = 0
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]
    unsigned += b
    signed += b > 127 ? b - 256 : b
  }
  return stored === unsigned || stored === signed
}

/** PAX extended header records: "<length> <key>=<value>\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {}
  let pos = 0
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos)
    if (space === -1) break
    const length = parseInt(data.subarray(pos, space).toString('latin1'), 10)
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > data.length) break
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8')
    const eq = record.indexOf('=')
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1)
    pos += length
  }
  return records
}

const TYPES: Record<string, TarMemberType> = {'0': 'file', '\0': 'file', '7': 'file', '5': 'directory', '2': 'symlink', '1': 'hardlink'}

export class TarIndex {
  /** by cleaned name; a later member of the same name replaces an earlier one, as when unpacking */
  readonly members = new Map<string, TarMember>()

  private constructor(readonly file: string) {}

  /** Reads every header of the tar at file. Errors name the file and the offset or member. */
  static async build(file: string): Promise<TarIndex> {
    const index = new TarIndex(file)
    let handle: FileHandle
    try {
      handle = await open(file, 'r')
    } catch (err) {
      throw wrap(err, `opening ${file}`)
    }
    try {
      await index.scan(handle)
    } finally {
      await handle.close()
    }
    return index
  }

  private async scan(handle: FileHandle): Promise<void> {
    const fileSize = (await handle.stat()).size
    const block = Buffer.alloc(BLOCK)
    const readData = async (offset: number, size: number): Promise<Buffer> => {
      const data = Buffer.alloc(size)
      const {bytesRead} = await handle.read(data, 0, size, offset)
      if (bytesRead !== size) throw new TspodError(`tar file ${this.file} is truncated at offset ${offset + bytesRead}`)
      return data
    }
    let pos = 0
    let pax: Record<string, string> = {}
    let longName: string | undefined
    let longLink: string | undefined
    while (pos < fileSize) {
      const {bytesRead} = await handle.read(block, 0, BLOCK, pos)
      if (bytesRead < BLOCK) throw new TspodError(`tar file ${this.file} is truncated at offset ${pos + bytesRead}`)
      if (block.every((b) => b === 0)) return // end-of-archive marker
      if (!checksumMatches(block)) throw new TspodError(`invalid tar header at offset ${pos} in ${this.file}`)
      const typeflag = String.fromCharCode(block[156])
      let size = numeric(block, 124, 12)
      if (!Number.isSafeInteger(size) || size < 0) throw new TspodError(`invalid size in tar header at offset ${pos} in ${this.file}`)
      const dataOffset = pos + BLOCK
      if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
        const data = await readData(dataOffset, size)
        if (typeflag === 'x') pax = {...pax, ...paxRecords(data)}
        else if (typeflag === 'L') longName = cString(data, 0, data.length)
        else if (typeflag === 'K') longLink = cString(data, 0, data.length)
        // 'g' (global PAX) records carry nothing a member lookup needs
        pos = dataOffset + Math.ceil(size / BLOCK) * BLOCK
        continue
      }
      const magic = block.subarray(257, 263).toString('latin1')
      const prefix = magic === 'ustar\0' ? cString(block, 345, 155) : ''
      const storedName = cString(block, 0, 100)
      const name = pax.path ?? longName ?? (prefix ? `${prefix}/${storedName}` : storedName)
      const linkname = pax.linkpath ?? longLink ?? cString(block, 157, 100)
      if (pax.size !== undefined) {
        size = Number(pax.size)
        if (!Number.isSafeInteger(size) || size < 0) throw new TspodError(`invalid PAX size of tar member ${JSON.stringify(name)} in ${this.file}`)
      }
      const type = TYPES[typeflag] ?? 'other'
      // links and directories have no data, whatever their size field says
      const dataSize = type === 'file' || type === 'other' ? size : 0
      if (dataOffset + dataSize > fileSize) throw new TspodError(`tar member ${JSON.stringify(name)} in ${this.file} is truncated`)
      this.members.set(cleanMemberName(name), {name, type, offset: dataOffset, size: dataSize, linkname})
      pos = dataOffset + Math.ceil(dataSize / BLOCK) * BLOCK
      pax = {}
      longName = undefined
      longLink = undefined
    }
  }

  /**
   * The regular file a name refers to, following one symbolic or hard link (docker save makes
   * repeated layers links to the first copy); undefined when there is none.
   */
  resolve(name: string): TarMember | undefined {
    const key = cleanMemberName(name)
    let member = this.members.get(key)
    if (member?.type === 'symlink') member = this.members.get(cleanMemberName(path.posix.join(path.posix.dirname(key), member.linkname)))
    else if (member?.type === 'hardlink') member = this.members.get(cleanMemberName(member.linkname))
    return member?.type === 'file' ? member : undefined
  }

  /** The data of a member, read from the file. */
  open(member: TarMember): Readable {
    if (member.size === 0) return Readable.from([])
    return createReadStream(this.file, {start: member.offset, end: member.offset + member.size - 1})
  }

  /** The whole data of a member, refusing more than limit bytes. */
  async read(member: TarMember, limit: number): Promise<Buffer> {
    if (member.size > limit) throw new TspodError(`tar member ${JSON.stringify(member.name)} in ${this.file} is ${member.size} bytes, more than the ${limit} allowed`)
    const handle = await open(this.file, 'r')
    try {
      const data = Buffer.alloc(member.size)
      const {bytesRead} = await handle.read(data, 0, member.size, member.offset)
      if (bytesRead !== member.size) throw new TspodError(`tar member ${JSON.stringify(member.name)} in ${this.file} is truncated`)
      return data
    } finally {
      await handle.close()
    }
  }
}
