// --squash / --squash-all: several stored layers (bottom first) collapsed into one layer tar, as
// applying them in order would leave the tree: a later entry replaces an earlier one, a whiteout
// or an opaque dir drops what the layers below put there. Over a base (--squash), whiteouts and
// opaque markers are kept, since the base may hold what they hide; from scratch (--squash-all)
// there is nothing below, so they are dropped. Bodies are spooled to files in `work`, so memory
// stays small whatever the layers hold.
import * as fs from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import * as tar from 'tar-stream'

import {createLayerDecompressor} from '../storage/store/archive/decompress'
import {relativeEntryName} from '../storage/store/archive/tar-entry-name'
import {LayerTar, LayerTarWriter} from './layer-tar'

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'

interface Kept {
  header: tar.Header
  /** the spooled body of a regular file */
  body?: string
}

function dropBelow(entries: Map<string, Kept>, dir: string, self: boolean): void {
  for (const name of [...entries.keys()]) if ((self && name === dir) || name.startsWith(`${dir}/`)) entries.delete(name)
}

function compareNames(a: string, b: string): number {
  const pa = a.split('/')
  const pb = b.split('/')
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1
  return pa.length - pb.length
}

export async function squashLayers(blobs: string[], output: string, work: string, keepWhiteouts: boolean): Promise<LayerTar> {
  const entries = new Map<string, Kept>()
  let spooled = 0
  for (const blob of blobs) {
    const extract = tar.extract()
    const reading = pipeline(fs.createReadStream(blob), createLayerDecompressor(), extract).catch((err: unknown) => {
      extract.destroy(err as Error)
      throw err
    })
    for await (const entry of extract) {
      const header = entry.header
      const rel = relativeEntryName(header.name)
      if (rel === undefined || rel === '.') {
        entry.resume()
        continue
      }
      const base = path.posix.basename(rel)
      const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel)
      if (base === OPAQUE) {
        entry.resume()
        if (dir) dropBelow(entries, dir, false)
        else entries.clear()
        if (keepWhiteouts) entries.set(rel, {header: {...header, name: rel}})
        continue
      }
      if (base.startsWith(WHITEOUT)) {
        entry.resume()
        const hidden = dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length)
        dropBelow(entries, hidden, true)
        if (keepWhiteouts) entries.set(rel, {header: {...header, name: rel}})
        continue
      }
      // a name replaced: what was there goes (a dir only when a non-dir takes its place)
      const previous = entries.get(rel)
      if (previous && !(previous.header.type === 'directory' && header.type === 'directory')) dropBelow(entries, rel, true)
      entries.delete(dir ? `${dir}/${WHITEOUT}${base}` : `${WHITEOUT}${base}`)
      let body: string | undefined
      if (header.type === 'file' || header.type === 'contiguous-file') {
        body = path.join(work, `body-${spooled++}`)
        await pipeline(entry as unknown as Readable, fs.createWriteStream(body))
      } else entry.resume()
      entries.set(rel, {header: {...header, name: rel}, body})
    }
    await reading
  }
  const out = new LayerTarWriter(output)
  try {
    for (const name of [...entries.keys()].sort(compareNames)) {
      const {header, body} = entries.get(name)!
      const named = {...header, name: header.type === 'directory' ? `${name}/` : name}
      if (body) await out.file(named, body)
      else await out.entry(named)
    }
  } catch (err) {
    await out.fail(err as Error)
    throw err
  }
  return await out.finish()
}
