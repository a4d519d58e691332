// The paths a container needs, as the permission preflight walks them (the native runtime's and
// an external runtime's preflights both start from these): the store dirs its rootfs is made of,
// and the sources of its bind mounts.
import * as fs from 'node:fs'
import * as path from 'node:path'

import type {PreflightPath} from '../storage/store/preflight/preflight'
import type {UserNamespaceMapping} from '../userns/idmap'
import type {RootfsLayout} from './plan'

const isMapped = (id: number, map: UserNamespaceMapping['uidMap']) => map.some((m) => id >= m.hostID && id < m.hostID + m.size)

/**
 * A path whose owner and group are both mapped into the store's namespace (the user's own, a
 * keep-id container's upper dir, the layer copies for its mapping, a volume chowned for the
 * container's user) is used inside the namespace by its root, whose capabilities cover such an
 * inode whatever its mode (layer roots are 0555): the user itself only needs the way to it.
 */
export function namespacePath(mapping: UserNamespaceMapping | undefined, p: string, need: PreflightPath['need'], role: string): PreflightPath {
  const st = mapping && fs.statSync(p, {throwIfNoEntry: false})
  const inNamespace = st && isMapped(st.uid, mapping.uidMap) && isMapped(st.gid, mapping.gidMap)
  return inNamespace ? {path: path.dirname(p), need: 'traverse', role} : {path: p, need, role}
}

/** Layers (read), upper and work dir (write), merged dir (traverse). */
export function rootfsPreflightPaths(layout: RootfsLayout, mapping: UserNamespaceMapping | undefined): PreflightPath[] {
  return [
    ...layout.lowerDirs.map((dir) => namespacePath(mapping, dir, 'read', 'layer dir')),
    namespacePath(mapping, layout.upperDir, 'write', 'upper dir'),
    {path: layout.workDir, need: 'write', role: 'work dir'},
    {path: layout.mergedDir, need: 'traverse', role: 'container root'},
  ]
}
