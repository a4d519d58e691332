// Files of an image as its container will see them, read straight from the unpacked layer dirs
// (overlay/<id>/diff) without mounting anything: the same merge kernel overlayfs does over the
// lower dirs. A char device 0/0 is a whiteout; a dir with `trusted.overlay.opaque=y` or
// `user.overlay.opaque=y` hides the same dir in every lower layer; a file or whiteout hides
// whatever lower layers hold under its name. Symlinks are resolved inside this virtual rootfs
// (an absolute target starts again at its root, `..` stops at it), so a link can never lead
// to a host file.
//
// Permissions: layer files keep the owners the image gave them, shifted into the user's
// subordinate ids (container uid N is host uid subuid_start+N-1). Root reads everything; the
// rootless user itself reads what is world-readable (most of /etc), but a file like
// /etc/shadow (0640 root:shadow) fails with EACCES, reported as a TspodError naming the file.
// Only real root can see `trusted.*` markers; a rootless store is written with `user.*` ones.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import {native} from '../../native'
import {systemErrorText} from './system-error'

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS); more fails with ELOOP. */
export const MAX_SYMLINK_HOPS = 40

/** The opaque-dir markers: `trusted.*` written as real root, `user.*` written rootless (userxattr). */
export const OPAQUE_XATTRS = ['trusted.overlay.opaque', 'user.overlay.opaque']

export type RootfsEntryType = 'file' | 'directory' | 'symlink' | 'other'

export interface RootfsEntry {
  /** the path inside the container after following symlinks, e.g. /bin/busybox for /bin/sh */
  path: string
  type: RootfsEntryType
  /** st_mode as stored: file type and permission bits */
  mode: number
  /** owner as stored on the host: a subordinate id for most files of a rootless store */
  uid: number
  gid: number
  size: number
  /** the layer dir whose entry is visible (the top-most one holding it) */
  layerDir: string
  /** where that entry is on the host */
  hostPath: string
  /** a regular file with at least one execute bit: what root in the container may exec */
  executable: boolean
}

interface Node {
  /** path components from the root */
  parts: string[]
  /**
   * for a dir: the layers (top first) holding it as a dir, down to one that hides lower ones
   * with a file or whiteout (opaque markers not yet applied); otherwise only the visible one
   */
  layers: string[]
  stat: fs.Stats
}

function virtualPath(parts: string[]): string {
  return '/' + parts.join('/')
}

function hostPathOf(node: Node): string {
  return path.join(node.layers[0], ...node.parts)
}

function accessHint(code: string | undefined): string {
  return code === 'EACCES'
    ? ' (layer files belong to the subordinate ids of the image; read it as root or inside the user namespace)'
    : ''
}

function layerError(err: unknown, what: string, inside: string, hostPath: string): TspodError {
  const e = err as NodeJS.ErrnoException
  return new TspodError(`${what} ${inside} of the image (${hostPath}): ${systemErrorText(err)}${accessHint(e.code)}`, {
    code: e.code,
    errno: e.errno,
    syscall: e.syscall,
    path: hostPath,
    cause: err,
  })
}

function lstatInLayer(hostPath: string, inside: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(hostPath)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw layerError(err, 'look up', inside, hostPath)
  }
}

function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0
}

function isOpaque(hostPath: string, inside: string): boolean {
  for (const name of OPAQUE_XATTRS) {
    let value: Buffer | null
    try {
      value = native().getxattr(hostPath, name)
    } catch (err) {
      throw layerError(err, `read xattr ${name} of`, inside, hostPath)
    }
    if (value !== null && value.toString('utf8') === 'y') return true
  }
  return false
}

function rootNode(layerDirs: string[]): Node | undefined {
  let top: fs.Stats | undefined
  for (const dir of layerDirs) {
    if (!path.isAbsolute(dir)) throw new TspodError(`image layer dir ${dir} must be an absolute path`)
    let stat: fs.Stats
    try {
      stat = fs.statSync(dir)
    } catch (err) {
      throw layerError(err, 'look up', '/', dir)
    }
    if (!stat.isDirectory()) throw new TspodError(`image layer dir ${dir} is not a directory`, {code: 'ENOTDIR', path: dir})
    top ??= stat
  }
  return top ? {parts: [], layers: layerDirs, stat: top} : undefined
}

/**
 * The layers whose dirs make up the merged dir: down from the top one to the first opaque one.
 * Opaque markers are read only where a lower layer could show through, and only when the dir
 * is entered, so a dir the caller may not read still stats. The kernel ignores an opaque
 * marker on a lower layer's root dir, and so does this.
 */
function mergedLayers(dir: Node): string[] {
  const out: string[] = []
  for (const [i, layer] of dir.layers.entries()) {
    out.push(layer)
    if (i < dir.layers.length - 1 && dir.parts.length > 0 && isOpaque(path.join(layer, ...dir.parts), virtualPath(dir.parts))) break
  }
  return out
}

/** The entry `name` in the merged dir `dir`, as overlayfs resolves it over the lower layers. */
function lookupChild(dir: Node, name: string): Node | undefined {
  const parts = [...dir.parts, name]
  const inside = virtualPath(parts)
  let top: fs.Stats | undefined
  const dirLayers: string[] = []
  for (const layer of mergedLayers(dir)) {
    const st = lstatInLayer(path.join(layer, ...parts), inside)
    if (!st) continue
    if (!top) {
      if (isWhiteout(st)) return undefined
      top = st
      if (!st.isDirectory()) return {parts, layers: [layer], stat: st}
    } else if (!st.isDirectory()) {
      // a file or whiteout below a dir: that layer and everything under it is hidden
      break
    }
    dirLayers.push(layer)
  }
  return top ? {parts, layers: dirLayers, stat: top} : undefined
}

function split(p: string): string[] {
  const parts = p.split('/').filter((c) => c !== '')
  // "file/" must name a dir, as in a path walk: keep a trailing "." to check that
  if (p.length > 1 && p.endsWith('/')) parts.push('.')
  return parts
}

function resolveNode(layerDirs: string[], containerPath: string, followFinal: boolean): Node | undefined {
  const root = rootNode(layerDirs)
  if (!root) return undefined
  const stack: Node[] = [root]
  let todo = split(containerPath)
  let hops = 0
  while (todo.length > 0) {
    const current = stack[stack.length - 1]
    if (!current.stat.isDirectory()) return undefined // ENOTDIR
    const name = todo.shift()!
    if (name === '.') continue
    if (name === '..') {
      if (stack.length > 1) stack.pop()
      continue
    }
    const child = lookupChild(current, name)
    if (!child) return undefined
    if (child.stat.isSymbolicLink() && (todo.length > 0 || followFinal)) {
      if (++hops > MAX_SYMLINK_HOPS)
        throw new TspodError(`resolve ${containerPath} in the image: too many levels of symbolic links`, {code: 'ELOOP', path: containerPath})
      const hostPath = hostPathOf(child)
      let target: string
      try {
        target = fs.readlinkSync(hostPath)
      } catch (err) {
        throw layerError(err, 'read symlink', virtualPath(child.parts), hostPath)
      }
      if (target === '') return undefined
      if (target.startsWith('/')) stack.splice(1)
      todo = [...split(target), ...todo]
      continue
    }
    stack.push(child)
  }
  return stack[stack.length - 1]
}

function entryType(st: fs.Stats): RootfsEntryType {
  if (st.isFile()) return 'file'
  if (st.isDirectory()) return 'directory'
  if (st.isSymbolicLink()) return 'symlink'
  return 'other'
}

/**
 * What `containerPath` is in the container built from `layerDirs` (absolute paths, top layer
 * first), following symlinks (also the last one unless `followSymlinks` is false); undefined
 * when it does not exist there. An image without layers has no files at all.
 */
export function statRootfsPath(layerDirs: string[], containerPath: string, options: {followSymlinks?: boolean} = {}): RootfsEntry | undefined {
  const node = resolveNode(layerDirs, containerPath, options.followSymlinks ?? true)
  if (!node) return undefined
  const st = node.stat
  return {
    path: virtualPath(node.parts),
    type: entryType(st),
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    layerDir: node.layers[0],
    hostPath: hostPathOf(node),
    executable: st.isFile() && (st.mode & 0o111) !== 0,
  }
}

/**
 * The contents of `containerPath` as the container would read it, or undefined when it does
 * not exist. A dir or device there, or a file the caller may not read (EACCES, see the top of
 * this file), throws a TspodError naming the file and the layer.
 */
export function readRootfsFile(layerDirs: string[], containerPath: string): Buffer | undefined {
  const node = resolveNode(layerDirs, containerPath, true)
  if (!node) return undefined
  const inside = virtualPath(node.parts)
  const hostPath = hostPathOf(node)
  if (node.stat.isDirectory())
    throw new TspodError(`read ${inside} of the image (${hostPath}): is a directory`, {code: 'EISDIR', path: hostPath})
  if (!node.stat.isFile())
    throw new TspodError(`read ${inside} of the image (${hostPath}): not a regular file`, {path: hostPath})
  let fd: number
  try {
    fd = fs.openSync(hostPath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
  } catch (err) {
    throw layerError(err, 'read', inside, hostPath)
  }
  try {
    return fs.readFileSync(fd)
  } catch (err) {
    throw layerError(err, 'read', inside, hostPath)
  } finally {
    fs.closeSync(fd)
  }
}

export interface RootfsDirEntry {
  name: string
  /** the entry's own type: a symlink is not followed */
  type: RootfsEntryType
}

/**
 * The merged entries of the dir `containerPath` (symlinks followed inside the virtual rootfs, so
 * a link such as `/etc -> /` lists the image's root, never the host's), sorted by name; undefined
 * when the path is missing or not a dir. A dir the caller may not read throws a TspodError.
 */
export function listRootfsDir(layerDirs: string[], containerPath: string): RootfsDirEntry[] | undefined {
  const dir = resolveNode(layerDirs, containerPath, true)
  if (!dir?.stat.isDirectory()) return undefined
  const names = new Set<string>()
  for (const layer of mergedLayers(dir)) {
    const hostPath = path.join(layer, ...dir.parts)
    let entries: string[]
    try {
      entries = fs.readdirSync(hostPath)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') continue
      throw layerError(err, 'read dir', virtualPath(dir.parts), hostPath)
    }
    for (const name of entries) names.add(name)
  }
  const listed: RootfsDirEntry[] = []
  for (const name of [...names].sort()) {
    const child = lookupChild(dir, name)
    if (child) listed.push({name, type: entryType(child.stat)})
  }
  return listed
}
