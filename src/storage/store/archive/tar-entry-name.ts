// Names of layer entries made relative to the destination, as containers-storage does: a leading
// "/" or "./" is dropped, the name is cleaned, and a name that still climbs out is refused.
import * as path from 'node:path'

import {TspodError} from '../../../errors'

/** Thrown for entries whose name, link target or symlink would reach outside the destination. */
export class LayerBreakoutError extends TspodError {}

/** The cleaned relative form of a tar name; "." for the root. Undefined when it climbs out. */
export function relativeEntryName(name: string): string | undefined {
  const cleaned = path.posix.normalize(name.replace(/^\/+/, '') || '.').replace(/\/+$/, '') || '.'
  if (cleaned === '..' || cleaned.startsWith('../')) return undefined
  return cleaned
}

/** relativeEntryName, refusing names that leave `dest` with containers-storage's message. */
export function safeEntryName(name: string, dest: string): string {
  const rel = relativeEntryName(name)
  if (rel === undefined) throw new LayerBreakoutError(`${JSON.stringify(name)} is outside of ${JSON.stringify(dest)}`)
  return rel
}

/**
 * Where a symlink stored at `rel` points, resolved lexically inside the destination the way
 * containers-storage checks it (an absolute target is taken relative to the root); undefined
 * when a relative target climbs above the root.
 */
export function symlinkTargetInside(rel: string, linkname: string): string | undefined {
  return relativeEntryName(path.posix.join(path.posix.dirname(rel), linkname))
}
