// --detach-keys: the key sequence that detaches a terminal from a container's process, leaving it
// running. Written as Podman's (moby's term.ToBytes): comma-separated keys, each a single
// character or ctrl-@, ctrl-a … ctrl-z, ctrl-[, ctrl-\, ctrl-], ctrl-^, ctrl-_ (codes 0 to 31);
// "" disables detaching. The default is containers.conf's [engine] detach_keys, else ctrl-p,ctrl-q.
import {UsageError} from '../errors'

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q'

const CONTROL_KEYS = ['@', ...'abcdefghijklmnopqrstuvwxyz', '[', '\\', ']', '^', '_'].map((c) => `ctrl-${c}`)

/** The bytes of a key sequence; empty when detaching is disabled. */
export function parseDetachKeys(keys: string): Buffer {
  if (keys === '') return Buffer.alloc(0)
  const codes = keys.split(',').map((key) => {
    if (key.length === 1) return key.charCodeAt(0) & 0xff
    const code = CONTROL_KEYS.indexOf(key)
    if (code < 0) throw new UsageError(`invalid detach keys: Unknown character: '${key}'`)
    return code
  })
  return Buffer.from(codes)
}

/**
 * Watches a terminal's input for the key sequence, as Podman's escape proxy does: bytes that may
 * start it are held back; the whole sequence detaches (and is never passed on); a byte that
 * breaks it releases what was held.
 */
export class DetachKeyWatcher {
  private matched = 0

  constructor(private readonly keys: Buffer) {}

  /** What of `chunk` goes on to the process, and whether the sequence was completed in it (what follows it is dropped). */
  feed(chunk: Buffer): {pass: Buffer; detach: boolean} {
    if (this.keys.length === 0) return {pass: chunk, detach: false}
    const out: number[] = []
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++
        if (this.matched === this.keys.length) {
          this.matched = 0
          return {pass: Buffer.from(out), detach: true}
        }
        continue
      }
      // the held bytes were input after all; this byte may start the sequence anew
      out.push(...this.keys.subarray(0, this.matched))
      this.matched = 0
      if (byte === this.keys[0]) this.matched = 1
      else out.push(byte)
    }
    return {pass: Buffer.from(out), detach: false}
  }
}
