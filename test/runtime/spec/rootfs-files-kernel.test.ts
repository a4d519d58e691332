// @userns
// Differential test: the same layer dirs mounted with kernel overlayfs (lower dirs only, read
// only, as root) and read through readRootfsFile/statRootfsPath must agree on every path any
// layer holds, for both opaque xattr namespaces.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {native} from '../../../src/native'
import {readRootfsFile, statRootfsPath} from '../../../src/runtime/spec/rootfs-files'
import {LayerItem, layerDirs} from './layer-dirs'

function layers(opaque: 'user' | 'trusted'): LayerItem[][] {
  return [
    [
      {file: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n'},
      {file: 'data/gone.txt', content: 'gone\n'},
      {file: 'data/keep.txt', content: 'keep\n'},
      {file: 'opq/lower.txt', content: 'lower\n'},
      {file: 'opq/sub/deep', content: 'deep\n'},
      {file: 'old/a/b.txt', content: 'b\n'},
      {file: 'b', content: 'b is a file\n'},
      {file: 'srv/new.txt', content: 'new\n'},
      {file: 'data2/old.txt', content: 'old\n'},
      {file: 'x/y/z.txt', content: 'z\n'},
      {file: 'x/y/w/v.txt', content: 'v\n'},
      {file: 'below-root-opaque.txt', content: 'still visible\n'},
    ],
    [
      {whiteout: 'data/gone.txt'},
      {dir: 'opq', opaque},
      {file: 'opq/upper.txt', content: 'upper\n'},
      {whiteout: 'old'},
      {file: 'b/inside', content: 'b is a dir\n'},
      {file: 'a', content: 'a is a file\n'},
      {symlink: 'data2', target: 'srv'},
      {dir: 'x/y', opaque},
      {file: 'x/y/new.txt', content: 'new in y\n'},
      {symlink: 'etc/link', target: 'passwd'},
    ],
    [
      {file: 'old/new.txt', content: 'recreated\n'},
      {file: 'a/inside', content: 'a is a dir\n'},
      {file: 'opq/top.txt', content: 'top\n'},
      {whiteout: 'x/y/new.txt'},
      {whiteout: 'ghost'},
      {dir: 'x/y/w'},
    ],
  ]
}

/** Every relative path held by any layer dir. */
function allPaths(dirs: string[]): string[] {
  const out = new Set<string>()
  const walk = (root: string, rel: string): void => {
    for (const name of fs.readdirSync(path.join(root, rel))) {
      const child = rel ? `${rel}/${name}` : name
      out.add(child)
      if (fs.lstatSync(path.join(root, child)).isDirectory()) walk(root, child)
    }
  }
  for (const dir of dirs) walk(dir, '')
  return [...out].sort()
}

function kernelView(mountPoint: string, rel: string): string | undefined {
  const p = path.join(mountPoint, rel)
  let st: fs.Stats
  try {
    st = fs.lstatSync(p)
  } catch {
    return undefined
  }
  if (st.isDirectory()) return 'dir'
  if (st.isSymbolicLink()) return `symlink ${fs.readlinkSync(p)}`
  return `file ${fs.readFileSync(p, 'utf8')}`
}

function ourView(dirs: string[], rel: string): string | undefined {
  const entry = statRootfsPath(dirs, `/${rel}`, {followSymlinks: false})
  if (!entry) return undefined
  if (entry.type === 'directory') return 'dir'
  if (entry.type === 'symlink') return `symlink ${fs.readlinkSync(entry.hostPath)}`
  return `file ${readRootfsFile(dirs, `/${rel}`)!.toString('utf8')}`
}

for (const opaque of ['user', 'trusted'] as const) {
  test(`agrees with kernel overlayfs on every path (${opaque}.overlay.opaque)`, (t) => {
    const dirs = layerDirs(t, layers(opaque))
    // an opaque marker on a lower layer's root is ignored by the kernel; the reader must agree
    native().setxattr(dirs[1], `${opaque}.overlay.opaque`, 'y')
    const mountPoint = fs.mkdtempSync(path.join(path.dirname(path.dirname(dirs[0])), 'merged-'))
    const options = `lowerdir=${dirs.join(':')}${opaque === 'user' ? ',userxattr' : ''}`
    execFileSync('mount', ['-t', 'overlay', '-o', options, 'overlay', mountPoint])
    t.teardown(() => execFileSync('umount', [mountPoint]))

    const paths = [...allPaths(dirs), 'data2/new.txt', 'a/inside/none', 'etc/link/x']
    t.true(paths.length > 20)
    const kernel = Object.fromEntries(paths.map((p) => [p, kernelView(mountPoint, p)]))
    const ours = Object.fromEntries(paths.map((p) => [p, ourView(dirs, p)]))
    t.deepEqual(ours, kernel)
    // spot checks that the scenario covers what it claims
    t.is(kernel['data/gone.txt'], undefined)
    t.is(kernel['opq/lower.txt'], undefined)
    t.is(kernel['data2/new.txt'], 'file new\n')
    t.is(kernel['below-root-opaque.txt'], 'file still visible\n')
    t.is(kernel['x/y/w/v.txt'], undefined)
  })
}
