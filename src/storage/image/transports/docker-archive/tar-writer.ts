// A tar file written member by member into a file. A streamed member's header is written after
// its data, into the block reserved in front of it, so data of unknown size (a layer being
// decompressed) goes to disk once; a member that fails halfway is cut off again.
import {FileHandle, open, unlink} from 'node:fs/promises'

import {TspodError} from '../../../../errors'

const BLOCK = 512
const MAX_OCTAL_SIZE = 0o77777777777
const EPOCH = 0

type HeaderType = 'file' | 'directory' | 'symlink'

const TYPEFLAGS: Record<HeaderType, string> = {file: '0', directory: '5', symlink: '2'}

function writeString(block: Buffer, value: string, offset: number, length: number, field: string): void {
  const bytes = Buffer.from(value, 'utf8')
  if (bytes.length > length) throw new TspodError(`tar ${field} ${JSON.stringify(value)} is too long`)
  bytes.copy(block, offset)
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1')
}

/** The name and prefix fields of ustar for a name; a longer one cannot be stored (tspod's names are short). */
function splitName(name: string): [prefix: string, name: string] {
  if (Buffer.byteLength(name) <= 100) return ['', name]
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i)
    const rest = name.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return [prefix, rest]
  }
  throw new TspodError(`tar member name ${JSON.stringify(name)} is too long`)
}

/** A ustar header block; sizes beyond 8 GiB use the GNU base-256 form Go's archive/tar reads. */
export function tarHeader(name: string, type: HeaderType, size: number, linkname = ''): Buffer {
  const block = Buffer.alloc(BLOCK)
  const [prefix, shortName] = splitName(name)
  writeString(block, shortName, 0, 100, 'name')
  writeOctal(block, type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o444, 100, 8)
  writeOctal(block, 0, 108, 8)
  writeOctal(block, 0, 116, 8)
  if (size <= MAX_OCTAL_SIZE) {
    writeOctal(block, size, 124, 12)
  } else {
    let rest = size
    for (let i = 11; i >= 1; i--) {
      block[124 + i] = rest % 256
      rest = Math.floor(rest / 256)
    }
    block[124] = 0x80
  }
  writeOctal(block, EPOCH, 136, 12)
  block.write(TYPEFLAGS[type], 156, 1, 'latin1')
  writeString(block, linkname, 157, 100, 'link target')
  block.write('ustar\0' + '00', 257, 8, 'latin1')
  writeString(block, prefix, 345, 155, 'name prefix')
  block.fill(0x20, 148, 156)
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += block[i]
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1')
  return block
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK
}

export class TarFileWriter {
  private position = 0
  private busy: Promise<unknown> = Promise.resolve()
  private state: 'open' | 'finished' | 'discarded' = 'open'

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates file, which must not exist. */
  static async create(file: string): Promise<TarFileWriter> {
    return new TarFileWriter(file, await open(file, 'wx', 0o644))
  }

  /** Runs one member's writes after the previous member's, so concurrent callers do not interleave. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.busy.then(() => {
      if (this.state !== 'open') throw new TspodError(`tar file ${this.file} is already ${this.state}`)
      return work()
    })
    this.busy = run.catch(() => undefined)
    return run
  }

  private async write(data: Buffer, position: number): Promise<void> {
    let done = 0
    while (done < data.length) {
      const {bytesWritten} = await this.handle.write(data, done, data.length - done, position + done)
      done += bytesWritten
    }
  }

  private async append(data: Buffer): Promise<void> {
    await this.write(data, this.position)
    this.position += data.length
  }

  addBytes(name: string, data: Buffer): Promise<void> {
    return this.serialized(async () => {
      await this.append(Buffer.concat([tarHeader(name, 'file', data.length), data, Buffer.alloc(padding(data.length))]))
    })
  }

  addSymlink(name: string, target: string): Promise<void> {
    return this.serialized(() => this.append(tarHeader(name, 'symlink', 0, target)))
  }

  addDirectory(name: string): Promise<void> {
    return this.serialized(() => this.append(tarHeader(name.endsWith('/') ? name : `${name}/`, 'directory', 0)))
  }

  /**
   * Streams a member's data, then asks `nameOf` for its name (the data's digest may decide it):
   * a name writes the header, undefined drops the member. Any failure, of the source or of
   * nameOf, cuts the member off and is rethrown. Resolves to the data size.
   */
  addStream(source: AsyncIterable<Uint8Array>, nameOf: (size: number) => string | undefined): Promise<number> {
    return this.serialized(async () => {
      const start = this.position
      let size = 0
      try {
        let at = start + BLOCK
        for await (const chunk of source) {
          const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
          await this.write(buffer, at)
          at += buffer.length
          size += buffer.length
        }
        const name = nameOf(size)
        if (name === undefined) {
          await this.handle.truncate(start)
          return size
        }
        await this.write(tarHeader(name, 'file', size), start)
        await this.write(Buffer.alloc(padding(size)), at)
        this.position = at + padding(size)
        return size
      } catch (err) {
        await this.handle.truncate(start).catch(() => undefined)
        throw err
      }
    })
  }

  /** Writes the end-of-archive blocks and flushes the file to disk. */
  finish(): Promise<void> {
    return this.serialized(async () => {
      await this.append(Buffer.alloc(2 * BLOCK))
      await this.handle.truncate(this.position)
      await this.handle.sync()
      await this.handle.close()
      this.state = 'finished'
    })
  }

  /** Closes and removes the file (unless finished, when it belongs to the caller). */
  async discard(): Promise<void> {
    await this.busy
    if (this.state !== 'open') return
    this.state = 'discarded'
    await this.handle.close().catch(() => undefined)
    await unlink(this.file).catch(() => undefined)
  }
}
