// The tar reading and writing under docker-archive, checked against GNU tar.
import {execFileSync} from 'node:child_process'
import {linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import test from 'ava'

import {cleanMemberName, TarIndex} from '../../../../../src/storage/image/transports/docker-archive/tar-index'
import {TarFileWriter, tarHeader} from '../../../../../src/storage/image/transports/docker-archive/tar-writer'
import {listTar} from '../../../../helpers/oci-image'
import {tempDir} from '../oci-layout/image-io'

async function readMember(index: TarIndex, name: string): Promise<string> {
  const member = index.resolve(name)
  if (!member) throw new Error(`no ${name}`)
  const chunks: Buffer[] = []
  for await (const chunk of index.open(member)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString()
}

const LONG_DIR = `${'d'.repeat(80)}/${'e'.repeat(80)}`
const LONG_NAME = `${LONG_DIR}/${'f'.repeat(120)}.txt`

for (const format of ['gnu', 'posix', 'ustar'] as const) {
  test(`members of a GNU tar --format=${format} archive: long names, links, empty files, data ranges`, async (t) => {
    const dir = tempDir(t)
    const src = path.join(dir, 'src')
    mkdirSync(path.join(src, LONG_DIR), {recursive: true})
    const longName = format === 'ustar' ? `${LONG_DIR}/short.txt` : LONG_NAME
    writeFileSync(path.join(src, longName), 'long\n')
    writeFileSync(path.join(src, 'manifest.json'), '[]')
    writeFileSync(path.join(src, 'empty'), '')
    writeFileSync(path.join(src, 'big'), Buffer.alloc(70_000, 'x'))
    mkdirSync(path.join(src, 'layer1'))
    writeFileSync(path.join(src, 'layer1', 'layer.tar'), 'layer data')
    mkdirSync(path.join(src, 'layer2'))
    symlinkSync('../layer1/layer.tar', path.join(src, 'layer2', 'layer.tar'))
    const file = path.join(dir, 'a.tar')
    linkSync(path.join(src, 'layer1', 'layer.tar'), path.join(src, 'zz-hardlinked'))
    execFileSync('tar', ['-C', src, `--format=${format}`, '-cf', file, '.'])

    const index = await TarIndex.build(file)
    t.is(await readMember(index, longName), 'long\n')
    t.is(await readMember(index, `./${longName}`), 'long\n')
    t.is(await readMember(index, 'manifest.json'), '[]')
    t.is(await readMember(index, 'empty'), '')
    t.is((await readMember(index, 'big')).length, 70_000)
    t.is(await readMember(index, 'layer2/layer.tar'), 'layer data', 'a symlink is followed once')
    const hardlinks = [...index.members.values()].filter((m) => m.type === 'hardlink')
    t.is(hardlinks.length, 1)
    t.is(await readMember(index, hardlinks[0].name), 'layer data', 'a hard link is followed')
    t.is(index.resolve('layer1')?.type, undefined, 'a directory is not a file')
    t.is(index.resolve('missing'), undefined)
    t.is(index.members.get('layer1')?.type, 'directory')
    t.deepEqual(await index.read(index.resolve('manifest.json')!, 10), Buffer.from('[]'))
    await t.throwsAsync(index.read(index.resolve('big')!, 100), {message: /is 70000 bytes, more than the 100 allowed/})
  })
}

test('member names are cleaned as containers/image compares them', (t) => {
  t.is(cleanMemberName('./a//b/'), 'a/b')
  t.is(cleanMemberName('/abs/x'), 'abs/x')
  t.is(cleanMemberName('a/../b'), 'b')
  t.is(cleanMemberName('./'), '.')
})

test('not a tar, or cut short: refused naming the file', async (t) => {
  const dir = tempDir(t)
  const junk = path.join(dir, 'junk')
  writeFileSync(junk, Buffer.alloc(1024, 'j'))
  await t.throwsAsync(TarIndex.build(junk), {message: `invalid tar header at offset 0 in ${junk}`})
  const src = path.join(dir, 'x')
  writeFileSync(src, Buffer.alloc(5000, 'x'))
  const full = path.join(dir, 'full.tar')
  execFileSync('tar', ['-C', dir, '-cf', full, 'x'])
  const cut = path.join(dir, 'cut.tar')
  writeFileSync(cut, readFileSync(full).subarray(0, 2048))
  await t.throwsAsync(TarIndex.build(cut), {message: `tar member "x" in ${cut} is truncated`})
  await t.throwsAsync(TarIndex.build(path.join(dir, 'absent')), {message: /^opening .*absent: ENOENT/})
})

test('TarFileWriter: streamed members get their header afterwards, dropped and failed ones leave no trace', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'out.tar')
  const writer = await TarFileWriter.create(file)
  await writer.addBytes('config.json', Buffer.from('{"a":1}'))
  const size = await writer.addStream(Readable.from([Buffer.from('streamed '), Buffer.from('data')]), (n) => `streamed-${n}.tar`)
  t.is(size, 13)
  t.is(await writer.addStream(Readable.from([Buffer.alloc(3000, 'd')]), () => undefined), 3000)
  const failing = (async function* () {
    yield Buffer.alloc(2000, 'f')
    throw new Error('source failed')
  })()
  await t.throwsAsync(writer.addStream(failing, () => 'never'), {message: 'source failed'})
  await t.throwsAsync(writer.addStream(Readable.from([Buffer.from('x')]), () => {
    throw new Error('name refused')
  }), {message: 'name refused'})
  // concurrent callers are serialized
  await Promise.all([
    writer.addStream(Readable.from([Buffer.alloc(1500, 'p')]), () => 'p.bin'),
    writer.addStream(Readable.from([Buffer.alloc(700, 'q')]), () => 'q.bin'),
    writer.addSymlink('dir/layer.tar', '../streamed-13.tar'),
    writer.addDirectory('dir'),
  ])
  await writer.finish()
  await t.throwsAsync(writer.addBytes('late', Buffer.alloc(1)), {message: /already finished/})

  const listed = execFileSync('tar', ['-tvf', file]).toString()
  t.regex(listed, /config\.json/)
  t.notRegex(listed, /never/)
  const entries = await listTar(readFileSync(file))
  t.deepEqual(
    entries.map((e) => [e.path, e.type, e.content.length]),
    [
      ['config.json', 'file', 7],
      ['streamed-13.tar', 'file', 13],
      ['p.bin', 'file', 1500],
      ['q.bin', 'file', 700],
      ['dir/layer.tar', 'symlink', 0],
      ['dir/', 'directory', 0],
    ],
  )
  t.is(entries[1].content.toString(), 'streamed data')
  t.is(entries[4].linkname, '../streamed-13.tar')
  t.is(readFileSync(file).length % 512, 0)
  const index = await TarIndex.build(file)
  t.is(await readMember(index, 'dir/layer.tar'), 'streamed data')
})

test('TarFileWriter: discard removes the file; an existing file is not overwritten', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'out.tar')
  const writer = await TarFileWriter.create(file)
  await writer.addBytes('a', Buffer.from('a'))
  await writer.discard()
  t.throws(() => readFileSync(file), {code: 'ENOENT'})
  writeFileSync(file, 'taken')
  await t.throwsAsync(TarFileWriter.create(file), {code: 'EEXIST'})
})

test('tar headers: long names split into prefix, sizes beyond 8 GiB in base-256, checksums GNU tar accepts', (t) => {
  const long = `${'p'.repeat(120)}/${'n'.repeat(90)}`
  const header = tarHeader(long, 'file', 0)
  t.is(header.subarray(345, 465).toString('latin1').replace(/\0+$/, ''), 'p'.repeat(120))
  t.throws(() => tarHeader('x'.repeat(300), 'file', 0), {message: /is too long/})
  const huge = tarHeader('huge', 'file', 2 ** 34)
  t.is(huge[124], 0x80)
  t.is(huge.readUIntBE(124 + 6, 6), 2 ** 34)
  const dir = tempDir(t)
  const file = path.join(dir, 'h.tar')
  writeFileSync(file, Buffer.concat([header, Buffer.alloc(1024)]))
  t.is(execFileSync('tar', ['-tf', file]).toString(), `${long}\n`)
})
