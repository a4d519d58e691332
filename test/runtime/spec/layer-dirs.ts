// Unpacked layer dirs as the store keeps them (kernel-style whiteouts and opaque xattrs), built
// directly in a temp dir by this (root) process.
import {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {native} from '../../../src/native'

export type LayerItem =
  | {file: string; content?: string; mode?: number; uid?: number; gid?: number}
  | {dir: string; mode?: number; opaque?: 'user' | 'trusted'; uid?: number; gid?: number}
  | {symlink: string; target: string}
  | {whiteout: string}

export const BUSYBOX_PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'bin:x:2:2:bin:/bin:/bin/false',
  'user:x:1234:1234:user:/home/user:/bin/sh',
  'nohome:x:1500:1500:no home::/bin/sh',
  'nobody:x:65534:65534:nobody:/home:/bin/false',
  '',
].join('\n')

export const BUSYBOX_GROUP = [
  'root:x:0:',
  'daemon:x:1:',
  'bin:x:2:root,daemon',
  'sys:x:3:root,bin',
  'adm:x:4:root,daemon',
  'tty:x:5:',
  'wheel:x:10:root,user',
  '# a comment',
  'user:x:1234:',
  'staff:x:50:user',
  'audio:x:70000:user',
  'nogroup:x:65534:',
  '',
].join('\n')

function parentDirs(root: string, rel: string): void {
  fs.mkdirSync(path.join(root, path.dirname(rel)), {recursive: true})
}

function writeItem(root: string, item: LayerItem): void {
  if ('file' in item) {
    parentDirs(root, item.file)
    const p = path.join(root, item.file)
    fs.writeFileSync(p, item.content ?? '')
    fs.chmodSync(p, item.mode ?? 0o644)
    if (item.uid !== undefined) fs.chownSync(p, item.uid, item.gid ?? item.uid)
  } else if ('dir' in item) {
    const p = path.join(root, item.dir)
    fs.mkdirSync(p, {recursive: true})
    fs.chmodSync(p, item.mode ?? 0o755)
    if (item.uid !== undefined) fs.chownSync(p, item.uid, item.gid ?? item.uid)
    if (item.opaque) native().setxattr(p, `${item.opaque}.overlay.opaque`, 'y')
  } else if ('symlink' in item) {
    parentDirs(root, item.symlink)
    fs.symlinkSync(item.target, path.join(root, item.symlink))
  } else {
    parentDirs(root, item.whiteout)
    native().mknod(path.join(root, item.whiteout), native().constants.S_IFCHR | 0o000, 0)
  }
}

/** Layer dirs from the bottom layer up; returned top first, as the store lists lower dirs. */
export function layerDirs(t: ExecutionContext, layers: LayerItem[][], parent?: string): string[] {
  const base = fs.mkdtempSync(path.join(parent ?? os.tmpdir(), 'tspod-spec-'))
  t.teardown(() => fs.rmSync(base, {recursive: true, force: true}))
  const dirs = layers.map((items, i) => {
    const dir = path.join(base, `layer${i}`, 'diff')
    fs.mkdirSync(dir, {recursive: true})
    for (const item of items) writeItem(dir, item)
    return dir
  })
  return dirs.reverse()
}

/** A busybox-like base layer: /bin/busybox, applet links, /etc/passwd and /etc/group. */
export function busyboxLayer(): LayerItem[] {
  return [
    {file: 'bin/busybox', content: '#!fake busybox\n', mode: 0o755},
    {symlink: 'bin/sh', target: 'busybox'},
    {symlink: 'usr/bin/env', target: '/bin/busybox'},
    {file: 'etc/passwd', content: BUSYBOX_PASSWD},
    {file: 'etc/group', content: BUSYBOX_GROUP},
    {dir: 'root', mode: 0o700},
    {dir: 'tmp', mode: 0o1777},
  ]
}
