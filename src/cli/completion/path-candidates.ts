// Paths inside an image or a container completed as Podman's getPathCompletion does: the partial
// path is looked up in the rootfs (`..` stops at its root, symlinks are followed inside it, never
// out to the host); a dir lists its entries, anything else lists its parent's entries that start
// with the last component. Dirs end in `/`, and then the shell adds no space so the walk goes on.
import type {Completion} from './candidates'
import {DIRECTIVE} from './directive'

export interface RootfsEntry {
  name: string
  type: string
}

/** The entries of a dir of the rootfs; undefined when the path is not a dir there. */
export type DirLister = (dir: string) => Promise<RootfsEntry[] | undefined>

/** Join as typed: `path.join` would clean `../../` and the candidates would no longer start with it. */
function joinAsTyped(dir: string, name: string): string {
  return dir === '' || dir.endsWith('/') ? dir + name : `${dir}/${name}`
}

export async function completePath(list: DirLister, partial: string): Promise<Completion> {
  let typed = partial === '' ? '/' : partial
  let base = ''
  let entries = await list(typed)
  if (!entries) {
    const slash = typed.lastIndexOf('/')
    base = typed.slice(slash + 1)
    typed = typed.slice(0, slash + 1)
    entries = await list(typed === '' ? '.' : typed)
    if (!entries) return {candidates: [], directive: DIRECTIVE.default}
  }
  if (entries.length === 0) return {candidates: [{name: typed.endsWith('/') ? typed : `${typed}/`}], directive: DIRECTIVE.default | DIRECTIVE.noSpace}
  let count = 0
  const candidates = entries
    .filter((e) => e.name.startsWith(base))
    .map((e) => {
      const dir = e.type === 'directory'
      // a dir counts twice: one matching dir must not get a space after it either
      count += dir ? 2 : 1
      return {name: joinAsTyped(typed, e.name + (dir ? '/' : ''))}
    })
  return {candidates, directive: count > 1 ? DIRECTIVE.noSpace : DIRECTIVE.default}
}
