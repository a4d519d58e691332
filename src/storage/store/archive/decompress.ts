// Layer blobs arrive gzip- or zstd-compressed, or as a plain tar. The format is decided from the
// first bytes, as containers-image's DetectCompression does, never from a media type.
import {Transform, TransformCallback} from 'node:stream'
import * as zlib from 'node:zlib'

import {TspodError} from '../../../errors'
import {ProgramTransform, findProgram} from './program-stream'

export type LayerCompression = 'gzip' | 'zstd' | 'none'

export const UNSUPPORTED_COMPRESSION = 'unsupported or corrupt layer compression'

const GZIP_MAGIC = [0x1f, 0x8b]
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd]
const TAR_BLOCK = 512

function startsWith(head: Buffer, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b)
}

/** A tar header block whose checksum is right, or an all-zero block (the end-of-archive marker). */
function isTarBlock(block: Buffer): boolean {
  let sum = 0
  let zero = true
  for (let i = 0; i < TAR_BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]
    if (block[i] !== 0) zero = false
    sum += b
  }
  if (zero) return true
  const field = block
    .subarray(148, 156)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^[\0 ]+/, '')
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum
}

/**
 * The compression of a layer from its first bytes: 4 are enough for gzip and zstd, a plain tar
 * needs its first 512-byte block. An empty blob is an empty (plain) layer. Throws when the bytes
 * are none of these.
 */
export function detectCompression(head: Buffer): LayerCompression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip'
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd'
  if (head.length === 0) return 'none'
  if (head.length >= TAR_BLOCK && isTarBlock(head.subarray(0, TAR_BLOCK))) return 'none'
  throw new TspodError(UNSUPPORTED_COMPRESSION)
}

interface ZstdDecoder {
  push(chunk: Uint8Array, final?: boolean): void
}

type ZstdModule = {Decompress: new (ondata: (data: Uint8Array, final?: boolean) => void) => ZstdDecoder}

let zstdModule: ZstdModule | undefined

function loadZstd(): ZstdModule {
  if (!zstdModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      zstdModule = require('fzstd') as ZstdModule
    } catch (err) {
      throw new TspodError('zstd layers need the "fzstd" package, which is not installed', {cause: err})
    }
  }
  return zstdModule
}

/** zstd's "Read error (39) : premature end" is fzstd's "unexpected EOF"; otherwise its reason, after the last " : ". */
function zstdToolError(stderr: string, code: number | null): TspodError {
  const line = stderr.trim().split('\n').pop() ?? ''
  if (/premature end/.test(line)) return new TspodError('corrupt zstd layer: unexpected EOF')
  const reason = line.split(' : ').pop()?.trim()
  return new TspodError(`corrupt zstd layer: ${reason || `zstd exited with status ${code}`}`)
}

/** zstd through fzstd's streaming decoder (pure JavaScript; Node 20's zlib has no zstd), where the zstd program is missing. */
class ZstdDecompress extends Transform {
  private readonly decoder: ZstdDecoder

  constructor() {
    super()
    const {Decompress} = loadZstd()
    // fzstd may hand out views of a buffer it reuses: copy before pushing downstream
    this.decoder = new Decompress((data) => this.push(Buffer.from(data)))
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.push(chunk, false)
      done()
    } catch (err) {
      done(zstdError(err))
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true)
      done()
    } catch (err) {
      done(zstdError(err))
    }
  }
}

function zstdError(err: unknown): TspodError {
  return new TspodError(`corrupt zstd layer: ${(err as Error).message}`, {cause: err})
}

// zlib's own messages ("incorrect header check", "unexpected end of file") do not say which stream
function gzipError(err: NodeJS.ErrnoException): TspodError {
  return new TspodError(`corrupt gzip layer: ${err.message}`, {code: err.code, cause: err})
}

/**
 * A Transform that decompresses a layer blob of any supported compression into its tar stream,
 * deciding the format from the first bytes. Errors are TspodErrors: UNSUPPORTED_COMPRESSION for
 * unknown data, "corrupt gzip layer: …" / "corrupt zstd layer: …" for damaged streams.
 */
export function createLayerDecompressor(onDetect?: (compression: LayerCompression) => void): Transform {
  let head: Buffer[] = []
  let headLength = 0
  let inner: Transform | undefined

  const outer = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (inner) return forward(chunk, done)
      head.push(chunk)
      headLength += chunk.length
      // gzip and zstd are known after 4 bytes; a tar needs its first block
      const joined = Buffer.concat(head)
      const decided = headLength >= TAR_BLOCK || startsWith(joined, GZIP_MAGIC) || startsWith(joined, ZSTD_MAGIC)
      if (!decided) return done()
      start(joined, done)
    },
    flush(done) {
      const finish = (): void => {
        if (!inner) return done()
        // an error of `inner` destroys `outer` instead
        inner.once('end', () => done())
        inner.end()
      }
      if (inner) return finish()
      start(Buffer.concat(head), (err) => (err ? done(err) : finish()))
    },
  })

  function start(joined: Buffer, done: TransformCallback): void {
    head = []
    let compression: LayerCompression
    try {
      compression = detectCompression(joined)
    } catch (err) {
      return done(err as Error)
    }
    onDetect?.(compression)
    try {
      // zlib's default 16 KiB output chunks make gunzip ~5x slower than 256 KiB ones (measured).
      if (compression === 'gzip') inner = zlib.createGunzip({chunkSize: 256 * 1024})
      else if (compression === 'zstd') {
        // Debian's zstd program where installed: about 10x faster than fzstd (measured)
        const tool = findProgram('zstd')
        inner = tool ? new ProgramTransform(tool, ['-d', '-c', '-q'], zstdToolError) : new ZstdDecompress()
      }
      else inner = passThrough()
    } catch (err) {
      return done(err as Error) // fzstd missing
    }
    inner.on('data', (data: Buffer) => {
      if (!outer.push(data)) inner!.pause()
    })
    inner.on('error', (err) => outer.destroy(compression === 'gzip' ? gzipError(err) : err))
    if (joined.length === 0) return done()
    forward(joined, done)
  }

  function forward(chunk: Buffer, done: TransformCallback): void {
    if (inner!.write(chunk)) done()
    else inner!.once('drain', () => done())
  }

  outer._read = ((origRead) => (size: number) => {
    inner?.resume()
    origRead(size)
  })(outer._read.bind(outer))
  outer.on('close', () => inner?.destroy())
  return outer
}

function passThrough(): Transform {
  return new Transform({
    transform(chunk, _enc, done) {
      done(null, chunk)
    },
  })
}
