// Writing files so that readers see either the old or the whole new contents: temporary files
// next to their target, flushed, then renamed over it.
import {randomBytes} from 'node:crypto'
import {FileHandle, open, rename, unlink} from 'node:fs/promises'
import * as path from 'node:path'

/** A fresh hidden name next to file, in the same directory (so a rename over file is atomic). */
export function tempPathNextTo(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
}

/** FileHandle.write until all of data is written (a write may take only a part). */
export async function writeFully(handle: FileHandle, data: Buffer): Promise<void> {
  let done = 0
  while (done < data.length) done += (await handle.write(data, done, data.length - done)).bytesWritten
}

/** Writes data to a temporary file next to `file`, flushes it, and renames it over `file`. */
export async function writeFileAtomically(file: string, data: Buffer | string, mode = 0o644): Promise<void> {
  const temp = tempPathNextTo(file)
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    await rename(temp, file)
  } catch (err) {
    await handle.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw err
  }
}
