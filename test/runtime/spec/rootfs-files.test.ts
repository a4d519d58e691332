// @userns
// Reading files through the layer stack as the container sees them (in this root process):
// whiteouts, opaque dirs under both xattr names, symlinks kept inside the rootfs, and real
// layers unpacked by applyLayer from the shared multi-layer test image.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {TspodError} from '../../../src/errors'
import {MAX_SYMLINK_HOPS, listRootfsDir, readRootfsFile, statRootfsPath} from '../../../src/runtime/spec/rootfs-files'
import {applyLayer} from '../../../src/storage/store/archive/apply-layer'
import {multiLayerImage} from '../../helpers/oci-image'
import {busyboxLayer, layerDirs} from './layer-dirs'

const text = (b: Buffer | undefined): string | undefined => b?.toString('utf8')

test('the top-most layer holding a file wins', (t) => {
  const dirs = layerDirs(t, [
    [{file: 'etc/motd', content: 'lower\n'}, {file: 'etc/only-lower', content: 'only lower\n'}],
    [{file: 'etc/motd', content: 'upper\n'}],
  ])
  t.is(text(readRootfsFile(dirs, '/etc/motd')), 'upper\n')
  t.is(text(readRootfsFile(dirs, '/etc/only-lower')), 'only lower\n')
  t.is(readRootfsFile(dirs, '/etc/missing'), undefined)
  t.is(statRootfsPath(dirs, '/etc/motd')?.layerDir, dirs[0])
  t.is(statRootfsPath(dirs, '/etc/only-lower')?.layerDir, dirs[1])
})

test('a char 0/0 whiteout hides the file and a whole dir of lower layers', (t) => {
  const dirs = layerDirs(t, [
    [{file: 'data/gone.txt', content: 'gone\n'}, {file: 'data/keep.txt', content: 'keep\n'}, {file: 'old/a/b.txt', content: 'b\n'}],
    [{whiteout: 'data/gone.txt'}, {whiteout: 'old'}],
    [{file: 'old/new.txt', content: 'recreated\n'}],
  ])
  t.is(readRootfsFile(dirs, '/data/gone.txt'), undefined)
  t.is(statRootfsPath(dirs, '/data/gone.txt', {followSymlinks: false}), undefined)
  t.is(text(readRootfsFile(dirs, '/data/keep.txt')), 'keep\n')
  // /old was deleted in layer 1 and created again in layer 2: nothing of layer 0 shows
  t.is(readRootfsFile(dirs, '/old/a/b.txt'), undefined)
  t.is(text(readRootfsFile(dirs, '/old/new.txt')), 'recreated\n')
})

for (const opaque of ['user', 'trusted'] as const) {
  test(`an opaque dir (${opaque}.overlay.opaque=y) hides the lower contents, not its own`, (t) => {
    const dirs = layerDirs(t, [
      [{file: 'opq/lower.txt', content: 'lower\n'}, {file: 'opq/sub/deep.txt', content: 'deep\n'}, {file: 'other/x', content: 'x\n'}],
      [{dir: 'opq', opaque}, {file: 'opq/upper.txt', content: 'upper\n'}],
    ])
    t.is(readRootfsFile(dirs, '/opq/lower.txt'), undefined)
    t.is(readRootfsFile(dirs, '/opq/sub/deep.txt'), undefined)
    t.is(text(readRootfsFile(dirs, '/opq/upper.txt')), 'upper\n')
    t.is(text(readRootfsFile(dirs, '/other/x')), 'x\n')
  })
}

test('an opaque dir in a middle layer still merges with the layers above it', (t) => {
  const dirs = layerDirs(t, [
    [{file: 'd/bottom', content: 'bottom\n'}],
    [{dir: 'd', opaque: 'user'}, {file: 'd/middle', content: 'middle\n'}],
    [{file: 'd/top', content: 'top\n'}],
  ])
  t.is(text(readRootfsFile(dirs, '/d/top')), 'top\n')
  t.is(text(readRootfsFile(dirs, '/d/middle')), 'middle\n')
  t.is(readRootfsFile(dirs, '/d/bottom'), undefined)
})

test('a file in an upper layer hides a dir of the same name below, and the reverse', (t) => {
  const dirs = layerDirs(t, [
    [{file: 'a/inside', content: 'in a dir\n'}, {file: 'b', content: 'b was a file\n'}],
    [{file: 'a', content: 'now a file\n'}, {file: 'b/inside', content: 'b is a dir now\n'}],
  ])
  t.is(text(readRootfsFile(dirs, '/a')), 'now a file\n')
  t.is(readRootfsFile(dirs, '/a/inside'), undefined)
  t.is(text(readRootfsFile(dirs, '/b/inside')), 'b is a dir now\n')
  t.is(statRootfsPath(dirs, '/b')?.type, 'directory')
})

test('symlinks resolve inside the rootfs, never to the host', (t) => {
  const dirs = layerDirs(t, [
    [
      ...busyboxLayer(),
      {symlink: 'abs-passwd', target: '/etc/passwd'},
      {symlink: 'escape', target: '../../../../../../../../etc/passwd'},
      {symlink: 'etc/hostname-link', target: '/proc/self/../../etc/hostname'},
      {symlink: 'lib', target: 'usr/lib'},
      {file: 'usr/lib/libc.so', content: 'libc\n'},
      {symlink: 'dangling', target: '/no/such/file'},
    ],
  ])
  const imagePasswd = text(readRootfsFile(dirs, '/etc/passwd'))
  t.true(imagePasswd?.includes('user:x:1234:1234'))
  t.is(text(readRootfsFile(dirs, '/abs-passwd')), imagePasswd)
  // ".." stops at the container's root: the host's /etc/passwd is never reached
  t.is(text(readRootfsFile(dirs, '/escape')), imagePasswd)
  t.not(text(readRootfsFile(dirs, '/escape')), fs.readFileSync('/etc/passwd', 'utf8'))
  t.is(readRootfsFile(dirs, '/etc/hostname-link'), undefined)
  t.is(text(readRootfsFile(dirs, '/lib/libc.so')), 'libc\n')
  t.is(readRootfsFile(dirs, '/dangling'), undefined)
  t.is(statRootfsPath(dirs, '/dangling', {followSymlinks: false})?.type, 'symlink')

  const sh = statRootfsPath(dirs, '/bin/sh')
  t.is(sh?.path, '/bin/busybox')
  t.true(sh?.executable)
  t.is(statRootfsPath(dirs, '/usr/bin/env')?.path, '/bin/busybox')
  t.is(statRootfsPath(dirs, '/bin/sh', {followSymlinks: false})?.path, '/bin/sh')
})

test('a symlink in an upper layer replaces a dir below and is followed from there', (t) => {
  const dirs = layerDirs(t, [
    [{file: 'data/old.txt', content: 'old\n'}, {file: 'srv/new.txt', content: 'new\n'}],
    [{symlink: 'data', target: '/srv'}],
  ])
  t.is(readRootfsFile(dirs, '/data/old.txt'), undefined)
  t.is(text(readRootfsFile(dirs, '/data/new.txt')), 'new\n')
})

test('a symlink loop fails with ELOOP after the hop limit', (t) => {
  const dirs = layerDirs(t, [[{symlink: 'a', target: 'b'}, {symlink: 'b', target: '/a'}]])
  const err = t.throws(() => readRootfsFile(dirs, '/a'), {instanceOf: TspodError})
  t.is(err?.code, 'ELOOP')
  t.regex(err!.message, /resolve \/a in the image: too many levels of symbolic links/)
  t.is(MAX_SYMLINK_HOPS, 40)
})

test('stat reports type, mode and owner as stored; exec-ability needs an x bit on a regular file', (t) => {
  const dirs = layerDirs(t, [
    [
      {file: 'bin/tool', content: '#!/bin/sh\n', mode: 0o750, uid: 100000, gid: 100010},
      {file: 'bin/noexec', content: 'data\n', mode: 0o000},
      {dir: 'etc/conf.d', mode: 0o711},
    ],
  ])
  const tool = statRootfsPath(dirs, '/bin/tool')!
  t.like(tool, {type: 'file', uid: 100000, gid: 100010, executable: true, size: 10, path: '/bin/tool'})
  t.is(tool.mode & 0o7777, 0o750)
  t.is(tool.hostPath, path.join(dirs[0], 'bin', 'tool'))
  t.like(statRootfsPath(dirs, '/bin/noexec'), {type: 'file', executable: false})
  t.like(statRootfsPath(dirs, '/etc/conf.d'), {type: 'directory', executable: false})
  t.is(statRootfsPath(dirs, '/etc/conf.d')!.mode & 0o777, 0o711)
  t.like(statRootfsPath(dirs, '/'), {type: 'directory', path: '/'})
  t.is(statRootfsPath(dirs, '/nothing/here'), undefined)
})

test('paths are walked like the kernel walks them: a file is no dir, "." and ".." work', (t) => {
  const dirs = layerDirs(t, [[{file: 'etc/passwd', content: 'p\n'}, {dir: 'var/empty'}]])
  t.is(readRootfsFile(dirs, '/etc/passwd/'), undefined)
  t.is(readRootfsFile(dirs, '/etc/passwd/x'), undefined)
  t.is(text(readRootfsFile(dirs, '/var/empty/../../etc/./passwd')), 'p\n')
  t.is(text(readRootfsFile(dirs, 'etc/passwd')), 'p\n')
  t.is(text(readRootfsFile(dirs, '/../../etc/passwd')), 'p\n')
  t.is(statRootfsPath(dirs, '/var/empty/')?.type, 'directory')
})

test('reading a dir or a device is an error naming the path', (t) => {
  const dirs = layerDirs(t, [[{dir: 'etc'}, {file: 'etc/x', content: ''}]])
  const err = t.throws(() => readRootfsFile(dirs, '/etc'), {instanceOf: TspodError})
  t.is(err?.code, 'EISDIR')
  t.regex(err!.message, /^read \/etc of the image \(.*\/layer0\/diff\/etc\): is a directory$/)
})

test('an image without layers has no files; a relative or missing layer dir is refused', (t) => {
  t.is(readRootfsFile([], '/etc/passwd'), undefined)
  t.is(statRootfsPath([], '/'), undefined)
  t.throws(() => readRootfsFile(['relative/diff'], '/etc/passwd'), {message: 'image layer dir relative/diff must be an absolute path'})
  const dirs = layerDirs(t, [[{file: 'x', content: ''}]])
  const err = t.throws(() => readRootfsFile([...dirs, '/no/such/layer/diff'], '/x'), {instanceOf: TspodError})
  t.is(err?.code, 'ENOENT')
  t.is(err?.message, 'look up / of the image (/no/such/layer/diff): no such file or directory')
})

test('the layers of the shared multi-layer image, unpacked by applyLayer, read as the container sees them', async (t) => {
  const image = await multiLayerImage({compression: 'none'})
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spec-image-'))
  t.teardown(() => fs.rmSync(base, {recursive: true, force: true}))
  const dirs: string[] = []
  for (const [i, layer] of image.layers.entries()) {
    const dir = path.join(base, String(i), 'diff')
    fs.mkdirSync(dir, {recursive: true})
    await applyLayer(Readable.from([layer.data]), dir, {ignoreChownErrors: false})
    dirs.unshift(dir)
  }
  t.is(text(readRootfsFile(dirs, '/data/keep.txt')), 'keep\n')
  t.is(readRootfsFile(dirs, '/data/gone.txt'), undefined)
  t.is(readRootfsFile(dirs, '/opq/lower.txt'), undefined)
  t.is(text(readRootfsFile(dirs, '/opq/upper.txt')), 'upper\n')
  t.like(statRootfsPath(dirs, '/data/user-owned.txt'), {uid: 1234, gid: 1234})
  t.is(statRootfsPath(dirs, '/data/setuid')!.mode & 0o7777, 0o4755)
  t.like(statRootfsPath(dirs, '/bin/sh'), {path: '/bin/busybox', executable: true})
  t.true(text(readRootfsFile(dirs, '/etc/passwd'))?.includes('user:x:1234:1234'))
})

test('a dir lists the merged entries of its layers, without whiteouts and what an opaque dir hides', (t) => {
  const dirs = layerDirs(t, [
    [{file: 'etc/gone', content: 'x\n'}, {file: 'etc/lower', content: 'x\n'}, {file: 'opq/hidden', content: 'x\n'}],
    [{whiteout: 'etc/gone'}, {file: 'etc/upper', content: 'x\n'}, {dir: 'etc/sub'}, {dir: 'opq', opaque: 'user'}, {file: 'opq/seen', content: 'x\n'}],
  ])
  t.deepEqual(listRootfsDir(dirs, '/etc'), [
    {name: 'lower', type: 'file'},
    {name: 'sub', type: 'directory'},
    {name: 'upper', type: 'file'},
  ])
  t.deepEqual(listRootfsDir(dirs, '/opq')?.map((e) => e.name), ['seen'])
  t.deepEqual(listRootfsDir(dirs, '/etc/sub'), [])
  t.is(listRootfsDir(dirs, '/etc/upper'), undefined, 'a file is no dir')
  t.is(listRootfsDir(dirs, '/missing'), undefined)
})

test('listing follows symlinks inside the rootfs only: a link to / lists the image\'s root, never the host\'s', (t) => {
  const dirs = layerDirs(t, [[{file: 'only-in-image', content: 'x\n'}, {symlink: 'etc', target: '/'}, {symlink: 'up', target: '../../../..'}]])
  const root = listRootfsDir(dirs, '/')?.map((e) => e.name)
  t.deepEqual(root, ['etc', 'only-in-image', 'up'])
  t.deepEqual(listRootfsDir(dirs, '/etc')?.map((e) => e.name), root)
  t.deepEqual(listRootfsDir(dirs, '/up/')?.map((e) => e.name), root)
  t.deepEqual(listRootfsDir(dirs, '../../')?.map((e) => e.name), root)
  t.is(listRootfsDir(dirs, '/')?.find((e) => e.name === 'etc')?.type, 'symlink', 'an entry is not followed')
})
