// A read-only union view of layer dirs (top first) as overlay shows them: the top-most entry of a
// name wins, a char 0/0 node hides the name below, an opaque dir hides everything below it. A
// plain dir (a build context) is a tree of one layer.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {isOpaque} from './layer-tar'

export interface TreeEntry {
  /** the file on disk holding the entry */
  file: string
  stat: fs.Stats
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file)
  } catch {
    return undefined
  }
}

const isWhiteout = (st: fs.Stats) => st.isCharacterDevice() && st.rdev === 0

export class MergedTree {
  constructor(readonly layers: string[]) {}

  /** The entry at `rel` ('' for the root), or undefined when there is none. */
  lookup(rel: string): TreeEntry | undefined {
    const parts = rel.split('/').filter((p) => p !== '' && p !== '.')
    for (const layer of this.layers) {
      // a whiteout or a non-dir of an ancestor in this layer ends the search
      let blocked = false
      for (let n = 1; n < parts.length && !blocked; n++) {
        const st = lstat(path.join(layer, ...parts.slice(0, n)))
        if (st && (isWhiteout(st) || !st.isDirectory())) blocked = true
      }
      if (blocked) return undefined
      const file = path.join(layer, ...parts)
      const st = lstat(file)
      if (st) return isWhiteout(st) ? undefined : {file, stat: st}
      for (let n = parts.length - 1; n >= 1; n--) if (isOpaque(path.join(layer, ...parts.slice(0, n)))) return undefined
    }
    return undefined
  }

  /**
   * `rel` with its symlinks followed inside the tree, as a chroot at its root would (an absolute
   * target starts again at the root, `..` stops there); undefined when something on the way is missing.
   */
  resolve(rel: string): string | undefined {
    let pending = rel.split('/').filter((p) => p !== '' && p !== '.')
    const done: string[] = []
    for (let hops = 0; pending.length > 0; ) {
      const part = pending.shift()!
      if (part === '..') {
        done.pop()
        continue
      }
      const entry = this.lookup([...done, part].join('/'))
      if (!entry) return undefined
      if (entry.stat.isSymbolicLink()) {
        if (++hops > 40) return undefined
        const target = fs.readlinkSync(entry.file)
        if (target.startsWith('/')) done.length = 0
        pending = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...pending]
        continue
      }
      done.push(part)
    }
    return done.join('/')
  }

  /** The names in the dir `rel`, sorted. */
  readdir(rel: string): string[] {
    const names = new Map<string, boolean>()
    const parts = rel.split('/').filter((p) => p !== '' && p !== '.')
    for (const layer of this.layers) {
      const dir = path.join(layer, ...parts)
      const st = lstat(dir)
      if (!st) continue
      if (!st.isDirectory()) break
      for (const name of fs.readdirSync(dir)) {
        if (names.has(name)) continue
        const entry = lstat(path.join(dir, name))
        names.set(name, !!entry && !isWhiteout(entry))
      }
      if (isOpaque(dir)) break
    }
    return [...names].filter(([, visible]) => visible).map(([n]) => n).sort()
  }
}
