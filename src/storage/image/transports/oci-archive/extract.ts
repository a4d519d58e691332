// Unpacking an oci-archive (a tar of an OCI layout, possibly gzip-compressed) into a directory.
// Only files and directories are created, and only inside the directory: a name that climbs out
// ("../x") or an entry of any other type (links, devices) is refused, naming the entry.
import {createReadStream} from 'node:fs'
import {mkdir, open} from 'node:fs/promises'
import * as path from 'node:path'
import {pipeline} from 'node:stream/promises'
import * as tar from 'tar-stream'

import {TspodError, wrap} from '../../../../errors'
import {createLayerDecompressor} from '../../../store/archive/decompress'
import {relativeEntryName} from '../../../store/archive/tar-entry-name'
import {writeFully} from '../oci-layout/file-writes'

/** tar-stream's bookkeeping entries, which carry no file */
const METADATA_TYPES = new Set(['pax-header', 'pax-global-header', 'gnu-long-path', 'gnu-long-link-path'])

export async function extractOciArchive(file: string, dest: string, signal?: AbortSignal): Promise<void> {
  const extract = tar.extract()
  const reading = pipeline(createReadStream(file), createLayerDecompressor(), extract, {signal}).catch((err: unknown) => {
    extract.destroy(err as Error)
    throw err
  })
  const unpacking = (async () => {
    for await (const entry of extract) {
      const {name, type} = entry.header
      if (type !== null && METADATA_TYPES.has(type)) {
        entry.resume()
        continue
      }
      const rel = relativeEntryName(name)
      if (rel === undefined) throw new TspodError(`entry ${JSON.stringify(name)} is outside of the archive`)
      const target = path.join(dest, rel)
      if (type === 'directory') {
        await mkdir(target, {recursive: true})
        entry.resume()
      } else if (type === 'file' || type === 'contiguous-file') {
        if (rel === '.') throw new TspodError(`entry ${JSON.stringify(name)} is a file in place of the archive root`)
        await mkdir(path.dirname(target), {recursive: true})
        const handle = await open(target, 'w', 0o644)
        try {
          for await (const chunk of entry as AsyncIterable<Buffer>) await writeFully(handle, chunk)
        } finally {
          await handle.close()
        }
      } else {
        throw new TspodError(`entry ${JSON.stringify(name)} is a ${type}; an OCI layout holds only files and directories`)
      }
    }
  })()
  try {
    await Promise.all([reading, unpacking.catch((err: unknown) => {
      extract.destroy(err as Error)
      throw err
    })])
  } catch (err) {
    throw wrap(err, `extracting oci-archive ${file}`)
  }
}
