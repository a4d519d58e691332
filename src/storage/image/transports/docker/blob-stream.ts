// A registry blob as a Readable that verifies its digest as it flows.
//
// Bytes are handed on as they arrive, so a broken connection is only ever recovered where that
// cannot duplicate or corrupt what the consumer already has: from the start while nothing has
// been handed on, and afterwards only by resuming with `Range: bytes=<received>-` when the first
// answer carried `Accept-Ranges: bytes` and the new answer is a 206 starting exactly there.
// Otherwise the stream fails. Reconnects wait with the retry policy's backoff, and the stream
// gives up after `attempts` failures in a row without progress (at least MIN_PROGRESS_BYTES
// since the last connection, so a server that sends a little and stalls each time is given up on).
// It never ends cleanly with bytes that do not match the digest.
import {Readable} from 'node:stream'

import {TspodError, wrap} from '../../../../errors'
import {Digester} from './digest'
import {BodyReader, HttpResponse, NetworkError} from './http-request'
import {RetryPolicy, abortError, backoffDelay, sleep} from './retry'

/** Bytes a connection must bring before its failure no longer counts against the attempts (containers/image's figure). */
export const MIN_PROGRESS_BYTES = 1024 * 1024

/** Why a resumed request cannot continue the blob, worded as "(<message>)" after the original failure. */
export class ResumeError extends TspodError {}

export interface BlobStreamOptions {
  digest: string
  /** "reading blob <digest> in <name>" */
  context: string
  first: HttpResponse
  /** the first answer accepted byte ranges */
  resumable: boolean
  /** a new request for the blob from offset, answering 200 at 0 and a checked 206 otherwise */
  reopen: (offset: number) => Promise<HttpResponse>
  retry: RetryPolicy
  /** the connection went silent and a new request will continue from resumeAt */
  onStall?: (failure: NetworkError, resumeAt: number) => void
  signal?: AbortSignal
}

export class BlobStream extends Readable {
  private body: BodyReader
  private readonly digester: Digester
  private received = 0
  private receivedAtConnect = 0
  private failuresWithoutProgress = 0
  private pumping = false
  private readonly onAbort = (): void => {
    this.destroy(wrap(abortError(this.options.signal!), this.options.context))
  }

  constructor(private readonly options: BlobStreamOptions) {
    super()
    this.body = options.first.body
    this.digester = new Digester(options.digest)
    options.signal?.addEventListener('abort', this.onAbort, {once: true})
  }

  /** Bytes handed on so far. */
  get bytesReceived(): number {
    return this.received
  }

  override _read(): void {
    if (!this.pumping) void this.pump()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.body.cancel()
    this.options.signal?.removeEventListener('abort', this.onAbort)
    callback(error)
  }

  private async pump(): Promise<void> {
    this.pumping = true
    try {
      for (;;) {
        const chunk = await this.nextChunk()
        if (this.destroyed) return
        if (chunk === undefined) {
          this.finish()
          return
        }
        this.digester.update(chunk)
        this.received += chunk.length
        if (!this.push(chunk)) return
      }
    } catch (err) {
      this.destroy(err as Error)
    } finally {
      this.pumping = false
    }
  }

  private finish(): void {
    const actual = this.digester.actual()
    if (actual !== this.options.digest) {
      this.destroy(new TspodError(`Digest did not match, expected ${this.options.digest}, got ${actual}`))
      return
    }
    this.options.signal?.removeEventListener('abort', this.onAbort)
    this.push(null)
  }

  private async nextChunk(): Promise<Buffer | undefined> {
    for (;;) {
      try {
        return await this.body.read()
      } catch (err) {
        if (this.destroyed) return undefined
        if (!(err instanceof NetworkError) || !err.retryable || this.options.signal?.aborted) {
          throw wrap(err, this.options.context)
        }
        await this.reconnect(err)
      }
    }
  }

  private async reconnect(failure: NetworkError): Promise<void> {
    const {context, retry, resumable, signal} = this.options
    if (this.received - this.receivedAtConnect >= MIN_PROGRESS_BYTES) this.failuresWithoutProgress = 0
    this.failuresWithoutProgress++
    if (this.failuresWithoutProgress >= retry.attempts) {
      const tries = this.failuresWithoutProgress > 1 ? ` (gave up after ${this.failuresWithoutProgress} attempts)` : ''
      throw new NetworkError(`${context}: ${failure.message}${tries}`, {code: failure.code, cause: failure})
    }
    if (this.received > 0 && !resumable) {
      throw new NetworkError(`${context}: ${failure.message} (cannot resume after ${this.received} bytes: the server does not accept byte ranges)`, {
        code: failure.code,
        retryable: true,
        cause: failure,
      })
    }
    if (failure.timedOut) this.options.onStall?.(failure, this.received)
    await sleep(backoffDelay(retry, this.failuresWithoutProgress), signal)
    let response: HttpResponse
    try {
      response = await this.options.reopen(this.received)
    } catch (err) {
      const reason = err instanceof ResumeError ? err.message : `while reconnecting: ${(err as Error).message}`
      throw new TspodError(`${context}: ${failure.message} (${reason})`, {code: failure.code, cause: err})
    }
    this.receivedAtConnect = this.received
    this.body = response.body
    if (this.destroyed) this.body.cancel()
  }
}
