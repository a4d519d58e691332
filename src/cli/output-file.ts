// A command's output where -o/--output/--file sends it: that file (created or truncated), or
// stdout when no file is named (`completion -f FILE`, `export -o FILE`).
import * as fs from 'node:fs'
import type {Writable} from 'node:stream'
import {finished} from 'node:stream/promises'

/** `text` into `file`, or onto `stdout` when there is none. */
export function writeOutput(file: string | undefined, text: string, stdout: Writable = process.stdout): void {
  if (file) fs.writeFileSync(file, text)
  else stdout.write(text)
}

/**
 * What `write` streams into `file`, or onto `stdout` when there is none. The file is ended and
 * flushed before this returns; when `write` fails it is closed and the failure passed on.
 */
export async function streamOutput(file: string | undefined, write: (out: Writable) => Promise<void>, stdout: Writable = process.stdout): Promise<void> {
  if (!file) return write(stdout)
  const out = fs.createWriteStream(file)
  try {
    await write(out)
  } catch (err) {
    out.destroy()
    await finished(out).catch(() => undefined)
    throw err
  }
  if (!out.writableEnded) out.end()
  await finished(out)
}
