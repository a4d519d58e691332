// Writing an OCI layout directory as one uncompressed tar: a directory entry before its contents,
// names in sorted order, owner 0:0 and a fixed time, so the same layout always gives the same bytes.
import {createReadStream} from 'node:fs'
import {FileHandle, readdir, stat} from 'node:fs/promises'
import * as path from 'node:path'
import {pipeline} from 'node:stream/promises'
import * as tar from 'tar-stream'

import {writeFully} from '../oci-layout/file-writes'

const EPOCH = new Date(0)

async function* walk(dir: string, prefix = ''): AsyncGenerator<{rel: string; abs: string; isDir: boolean}> {
  const names = (await readdir(dir)).sort()
  for (const name of names) {
    const abs = path.join(dir, name)
    const rel = prefix + name
    const st = await stat(abs)
    if (st.isDirectory()) {
      yield {rel, abs, isDir: true}
      yield* walk(abs, `${rel}/`)
    } else if (st.isFile()) {
      yield {rel, abs, isDir: false}
    }
  }
}

/** Writes the tar of everything under dir (files and directories) to an open file. */
export async function tarDirectory(dir: string, out: FileHandle, signal?: AbortSignal): Promise<void> {
  const pack = tar.pack()
  const writing = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) await writeFully(out, chunk)
  })()
  writing.catch((err: unknown) => pack.destroy(err as Error))
  try {
    for await (const item of walk(dir)) {
      signal?.throwIfAborted()
      if (item.isDir) {
        await new Promise<void>((resolve, reject) =>
          pack.entry({name: `${item.rel}/`, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: EPOCH}, (err) => (err ? reject(err) : resolve())),
        )
        continue
      }
      const {size} = await stat(item.abs)
      const entry = pack.entry({name: item.rel, type: 'file', size, mode: 0o644, uid: 0, gid: 0, mtime: EPOCH})
      await pipeline(createReadStream(item.abs), entry)
    }
    pack.finalize()
  } catch (err) {
    pack.destroy(err as Error)
    await writing.catch(() => undefined)
    throw err
  }
  await writing
}
