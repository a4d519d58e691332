// The store dirs a container's rootfs is made of, as the permission preflight walks them (the
// native runtime's and an external runtime's preflights both start from these).
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {PreflightPath} from '../storage/preflight/preflight'
import type {UserNamespaceMapping} from '../userns/idmap'
import type {RootfsLayout} from './plan'

/**
 * A store dir given to another id of the store's namespace (a keep-id container's upper dir,
 * the layer copies for its mapping) is used by the namespace's root, which may: the user itself
 * only needs the way to it.
 */
function storeDirPath(mapping: UserNamespaceMapping | undefined, dir: string, need: PreflightPath['need'], role: string): PreflightPath {
  const owner = mapping && fs.statSync(dir, {throwIfNoEntry: false})
  const givenAway = owner && owner.uid !== process.getuid!() && mapping.uidMap.some((m) => owner.uid >= m.hostID && owner.uid < m.hostID + m.size)
  return givenAway ? {path: path.dirname(dir), need: 'traverse', role} : {path: dir, need, role}
}

/** Layers (read), upper and work dir (write), merged dir (traverse). */
export function rootfsPreflightPaths(layout: RootfsLayout, mapping: UserNamespaceMapping | undefined): PreflightPath[] {
  return [
    ...layout.lowerDirs.map((dir) => storeDirPath(mapping, dir, 'read', 'layer dir')),
    storeDirPath(mapping, layout.upperDir, 'write', 'upper dir'),
    {path: layout.workDir, need: 'write', role: 'work dir'},
    {path: layout.mergedDir, need: 'traverse', role: 'container root'},
  ]
}
