// A read-write layer as an image layer tar: overlay whiteouts become .wh. entries, owners and
// modes as stat shows them, hard links as links, sorted names.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {LayerTarWriter, writeLayerTar} from '../../src/build/layer-tar'
import {native} from '../../src/native'
import {tarEntries} from '../helpers/tar-entries'

test('whiteouts, opaque dirs, owners, links; the digest is of the bytes written', async (t) => {
  if (process.getuid!() !== 0) return t.pass('needs root for mknod and chown')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layer-tar-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const upper = path.join(dir, 'upper')
  fs.mkdirSync(path.join(upper, 'etc'), {recursive: true})
  fs.mkdirSync(path.join(upper, 'var'))
  fs.writeFileSync(path.join(upper, 'etc', 'new'), 'hello')
  fs.chownSync(path.join(upper, 'etc', 'new'), 1000, 1001)
  fs.chmodSync(path.join(upper, 'etc', 'new'), 0o640)
  fs.linkSync(path.join(upper, 'etc', 'new'), path.join(upper, 'etc', 'same'))
  fs.symlinkSync('/etc/new', path.join(upper, 'link'))
  native().mknod(path.join(upper, 'etc', 'gone'), fs.constants.S_IFCHR | 0o600, 0)
  native().setxattr(path.join(upper, 'var'), 'trusted.overlay.opaque', 'y')
  const out = path.join(dir, 'layer.tar')
  const result = await writeLayerTar({source: upper, output: out})
  const entries = await tarEntries(out)
  t.deepEqual(entries.map((e) => e.name), ['etc/', 'etc/.wh.gone', 'etc/new', 'etc/same', 'link', 'var/', 'var/.wh..wh..opq'])
  const byName = new Map(entries.map((e) => [e.name, e]))
  t.like(byName.get('etc/new'), {type: 'file', uid: 1000, gid: 1001, mode: 0o640, body: 'hello'})
  t.like(byName.get('etc/same'), {type: 'link', linkname: 'etc/new'})
  t.like(byName.get('link'), {type: 'symlink', linkname: '/etc/new'})
  t.like(byName.get('etc/.wh.gone'), {type: 'file', body: ''})
  t.is(result.size, fs.statSync(out).size)
  const {createHash} = await import('node:crypto')
  t.is(result.diffID, `sha256:${createHash('sha256').update(fs.readFileSync(out)).digest('hex')}`)
})

test('a file shorter than its header says (it shrank while read) fails the entry, never the process', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layer-tar-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'short'), 'abc')
  const out = new LayerTarWriter(path.join(dir, 'layer.tar'))
  const fd = fs.openSync(path.join(dir, 'short'), 'r')
  t.teardown(() => fs.closeSync(fd))
  await t.throwsAsync(out.file({name: 'short', size: 4096}, fd), {message: 'Size mismatch'})
  await out.fail(new Error('stopped'))
})

test('files of several read chunks, by path and by fd, are written whole; an fd is read from its start for its header\'s size', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-layer-tar-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const {createHash, randomBytes} = await import('node:crypto')
  const big = randomBytes(3 * (1 << 20) + 1234)
  fs.writeFileSync(path.join(dir, 'big'), big)
  const tarFile = path.join(dir, 'layer.tar')
  const out = new LayerTarWriter(tarFile)
  await out.file({name: 'by-path', size: big.length, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0)}, path.join(dir, 'big'))
  const fd = fs.openSync(path.join(dir, 'big'), 'r')
  t.teardown(() => fs.closeSync(fd))
  fs.readSync(fd, Buffer.alloc(10), 0, 10, null) // the fd's offset moved: the entry still starts at 0
  await out.file({name: 'by-fd', size: 2 * (1 << 20), mode: 0o644, uid: 0, gid: 0, mtime: new Date(0)}, fd)
  await out.entry({name: 'small', mode: 0o644, uid: 0, gid: 0, mtime: new Date(0)}, Buffer.from('tail'))
  const result = await out.finish()
  const entries = await tarEntries(tarFile)
  t.deepEqual(entries.map((e) => e.name), ['by-path', 'by-fd', 'small'])
  t.is(fs.statSync(tarFile).size, result.size)
  t.is(result.diffID, `sha256:${createHash('sha256').update(fs.readFileSync(tarFile)).digest('hex')}`)
  t.is(tarBody(tarFile, 0, big.length).compare(big), 0, 'the whole file by path')
  t.is(tarBody(tarFile, 512 + Math.ceil(big.length / 512) * 512, 2 * (1 << 20)).compare(big.subarray(0, 2 * (1 << 20))), 0, 'the fd from its start, its header\'s size')
})

/** The body of the tar entry whose header starts at `offset`. */
function tarBody(file: string, offset: number, size: number): Buffer {
  return fs.readFileSync(file).subarray(offset + 512, offset + 512 + size)
}
