import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import test from 'ava'

import {MEDIA_TYPE_OCI_MANIFEST} from '../../../../../src/storage/image/manifest/media-types'
import {OciLayoutSource} from '../../../../../src/storage/image/transports/oci-layout/source'
import {OciArchiveReference, ociArchiveTransport} from '../../../../../src/storage/image/transports/oci-archive/transport'
import {parseImageName} from '../../../../../src/storage/image/transports/registry'
import {buildImage, buildLayerTar, ESCAPE_MARKER, gzip, listTar, ociLayoutFiles, writeOciArchive} from '../../../../helpers/oci-image'
import {diffIds, putBuiltImage, readImage, skopeo, tempDir} from '../oci-layout/image-io'

const parse = (text: string, tmpDir?: string) => ociArchiveTransport.parseReference(text, {tmpDir})

function smallImage(content = 'hello\n') {
  return buildImage({
    layers: [[{path: 'etc/', type: 'dir'}, {path: 'etc/hello', content}], [{path: 'second', content: `second ${content}`}]],
    config: {Cmd: ['/bin/sh'], Labels: {archive: 'yes'}},
  })
}

test('references: FILE[:REF] and FILE:@N, round-tripping; tmpDir from the options', (t) => {
  const a = parse('/tmp/x.tar:docker.io/library/app:1', '/var/tmp')
  t.deepEqual([a.file, a.image, a.sourceIndex, a.tmpDir], ['/tmp/x.tar', 'docker.io/library/app:1', -1, '/var/tmp'])
  t.is(a.toString(), '/tmp/x.tar:docker.io/library/app:1')
  const b = parse('rel.tar')
  t.is(b.file, path.resolve('rel.tar'))
  t.is(b.toString(), path.resolve('rel.tar'))
  const c = parse('/tmp/x.tar:@3')
  t.is(c.sourceIndex, 3)
  for (const ref of [a, b, c]) {
    const again = parse(ref.toString())
    t.deepEqual([again.file, again.image, again.sourceIndex], [ref.file, ref.image, ref.sourceIndex])
  }
  t.is(a.dockerReference(), undefined)
  t.throws(() => parse('/tmp/x.tar:not valid'), {message: 'Invalid image not valid'})
})

test('destination then source: same bytes; the archive replaces FILE only on commit, temp files are gone', async (t) => {
  const dir = tempDir(t)
  const work = tempDir(t)
  const file = path.join(dir, 'image.tar')
  writeFileSync(file, 'old contents')
  const image = await smallImage()

  const dest = await parse(`${file}:app`, work).newDestination({})
  await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: -1}, {isConfig: true})
  t.is(readFileSync(file, 'utf8'), 'old contents')
  await dest.close()
  t.is(readFileSync(file, 'utf8'), 'old contents', 'close() without commit keeps FILE')
  t.deepEqual(readdirSync(work), [])

  await putBuiltImage(await parse(`${file}:app`, work).newDestination({}), image)
  t.deepEqual(readdirSync(dir), ['image.tar'])
  t.deepEqual(readdirSync(work), [])
  const names = (await listTar(readFileSync(file))).map((e) => e.path)
  t.deepEqual(names, ['blobs/', 'blobs/sha256/', ...[...ociLayoutFiles([{image}]).keys()].filter((n) => n.startsWith('blobs/')), 'index.json', 'oci-layout'])

  const source = (await parse(`${file}:app`, work).newSource({})) as OciLayoutSource
  t.is(readdirSync(work).length, 1, 'unpacked into the tmpDir')
  const read = await readImage(source)
  t.deepEqual(read.manifestBytes, image.manifest)
  t.deepEqual(read.config, image.config)
  t.deepEqual(read.layers, image.layers.map((l) => l.data))
  t.is(source.entry.mediaType, MEDIA_TYPE_OCI_MANIFEST)
  t.is(source.reference.toString(), `${file}:app`)
  await source.close()
  t.deepEqual(readdirSync(work), [], 'close() removes the unpacked layout')
})

test('archives written by others: gzip-compressed ones, ./-prefixed names; errors name the file or ref', async (t) => {
  const dir = tempDir(t)
  const image = await smallImage()
  const plain = path.join(dir, 'plain.tar')
  await writeOciArchive(plain, [{image, ref: 'one'}])
  const compressed = path.join(dir, 'compressed.tar.gz')
  writeFileSync(compressed, gzip(readFileSync(plain)))
  const dotted = path.join(dir, 'dotted.tar')
  writeFileSync(dotted, await buildLayerTar([...ociLayoutFiles([{image, ref: 'one'}])].map(([name, content]) => ({path: `./${name}`, content}))))
  for (const file of [plain, compressed, dotted]) {
    const source = await parseImageName(`oci-archive:${file}:one`, {tmpDir: dir}).newSource({})
    const read = await readImage(source)
    await source.close()
    t.deepEqual(read.layers, image.layers.map((l) => l.data), file)
  }
  await t.throwsAsync(parse(`${plain}:two`, dir).newSource({}), {message: 'no descriptor found for reference "two"'})
  await t.throwsAsync(parse(path.join(dir, 'missing.tar'), dir).newSource({}), {message: `archive file not found: "${path.join(dir, 'missing.tar')}"`})
  const notTar = path.join(dir, 'not.tar')
  writeFileSync(notTar, 'x'.repeat(2000))
  await t.throwsAsync(parse(notTar, dir).newSource({}), {message: `extracting oci-archive ${notTar}: unsupported or corrupt layer compression`})
  const dockerTar = path.join(dir, 'docker.tar')
  writeFileSync(dockerTar, await buildLayerTar([{path: 'manifest.json', content: '[]'}]))
  await t.throwsAsync(parse(dockerTar, dir).newSource({}), {message: `oci-archive ${dockerTar} holds no OCI layout: it has no index.json`})
  t.deepEqual(readdirSync(dir).filter((n) => n.startsWith('oci-archive-')), [], 'no unpacked layout left behind')
})

test('hostile archives: entries outside the layout, links and devices are refused, naming the entry', async (t) => {
  const dir = tempDir(t)
  const work = path.join(dir, 'work')
  const {mkdirSync} = await import('node:fs')
  mkdirSync(work)
  const image = await smallImage()
  const files = [...ociLayoutFiles([{image}])].map(([name, content]) => ({path: name, content}))
  const cases: Array<[string, Parameters<typeof buildLayerTar>[0], string]> = [
    ['dotdot', [...files, {path: `../${ESCAPE_MARKER}`, content: 'escaped'}], `entry "../${ESCAPE_MARKER}" is outside of the archive`],
    ['nested', [...files, {path: `blobs/../../${ESCAPE_MARKER}`, content: 'escaped'}], `entry "blobs/../../${ESCAPE_MARKER}" is outside of the archive`],
    ['symlink', [{path: 'blobs', type: 'symlink', linkname: '/tmp'}, ...files], 'entry "blobs" is a symlink; an OCI layout holds only files and directories'],
    ['hardlink', [...files, {path: 'x', type: 'link', linkname: 'index.json'}], 'entry "x" is a link; an OCI layout holds only files and directories'],
    ['device', [...files, {path: 'dev', type: 'char', devmajor: 1, devminor: 3}], 'entry "dev" is a character-device; an OCI layout holds only files and directories'],
  ]
  for (const [name, entries, message] of cases) {
    const file = path.join(dir, `${name}.tar`)
    writeFileSync(file, await buildLayerTar(entries))
    await t.throwsAsync(parse(file, work).newSource({}), {message: `extracting oci-archive ${file}: ${message}`}, name)
  }
  t.false(existsSync(path.join(dir, ESCAPE_MARKER)))
  t.false(existsSync(path.join('/tmp', ESCAPE_MARKER)))
  t.deepEqual(readdirSync(work), [])
})

test('skopeo reads what tspod wrote, tspod reads what skopeo wrote', async (t) => {
  const dir = tempDir(t)
  const image = await smallImage()
  const ours = path.join(dir, 'ours.tar')
  await putBuiltImage(await parseImageName(`oci-archive:${ours}:app`, {tmpDir: dir}).newDestination({}), image)
  const inspected = JSON.parse(await skopeo(['inspect', `oci-archive:${ours}`]))
  t.is(inspected.Digest, image.manifestDigest)
  t.deepEqual(inspected.Labels, {archive: 'yes'})
  t.deepEqual(inspected.Layers, image.layers.map((l) => l.digest))

  const theirs = path.join(dir, 'theirs.tar')
  await skopeo(['copy', '-q', `oci-archive:${ours}:app`, `oci-archive:${theirs}:copied`])
  const source = await parseImageName(`oci-archive:${theirs}:copied`, {tmpDir: dir}).newSource({})
  t.teardown(() => source.close())
  const read = await readImage(source)
  t.deepEqual(read.config, image.config)
  t.deepEqual(diffIds(read.config), image.layers.map((l) => l.diffID))
  t.deepEqual(read.layers, image.layers.map((l) => l.data))
})

test('a reference with an index cannot be a destination', async (t) => {
  await t.throwsAsync(new OciArchiveReference('/tmp/x.tar', '', 0).newDestination({}), {message: 'Destination reference must not contain a manifest index @0'})
})
