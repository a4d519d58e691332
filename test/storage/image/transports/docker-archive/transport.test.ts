import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import test from 'ava'

import {MEDIA_TYPE_DOCKER_LAYER, MEDIA_TYPE_DOCKER_MANIFEST} from '../../../../../src/storage/image/manifest/media-types'
import {parseImageManifest} from '../../../../../src/storage/image/manifest/manifest'
import {DockerArchiveSource} from '../../../../../src/storage/image/transports/docker-archive/source'
import {DockerArchiveReference, dockerArchiveTransport} from '../../../../../src/storage/image/transports/docker-archive/transport'
import {parseImageName} from '../../../../../src/storage/image/transports/registry'
import {
  buildImage,
  buildLayerTar,
  dockerArchiveFiles,
  gzip,
  layerTar,
  listTar,
  sha256,
  toDockerSchema2,
  writeDockerArchive,
  writeOciLayout,
  type BuiltImage,
} from '../../../../helpers/oci-image'
import {copyImage, diffIds, putBuiltImage, readImage, tempDir} from '../oci-layout/image-io'

const parse = (text: string) => dockerArchiveTransport.parseReference(text)

function smallImage(content = 'hello\n', compression: 'gzip' | 'none' = 'gzip'): Promise<BuiltImage> {
  return buildImage({
    layers: [[{path: 'etc/', type: 'dir'}, {path: 'etc/hello', content}], [{path: 'second', content: `second ${content}`}]],
    config: {Cmd: ['/bin/sh'], Labels: {archive: 'docker'}},
    compression,
  })
}

async function tarOf(files: Map<string, Buffer>): Promise<Buffer> {
  return buildLayerTar([...files].map(([name, content]) => ({path: name, content})))
}

test('references: FILE, FILE:NAME[:TAG] normalized with a default tag, FILE:@N; round-tripping', (t) => {
  const a = parse('/tmp/x.tar')
  t.deepEqual([a.file, a.name, a.sourceIndex], ['/tmp/x.tar', undefined, -1])
  t.is(a.toString(), '/tmp/x.tar')
  t.is(a.dockerReference(), undefined)
  const b = parse('/tmp/x.tar:busybox')
  t.is(b.dockerReference(), 'docker.io/library/busybox:latest')
  t.is(b.toString(), '/tmp/x.tar:docker.io/library/busybox:latest')
  const c = parse('rel.tar:quay.io/a/b:1.0')
  t.is(c.file, path.resolve('rel.tar'))
  t.is(c.dockerReference(), 'quay.io/a/b:1.0')
  const d = parse('/tmp/x.tar:@1')
  t.is(d.sourceIndex, 1)
  t.is(d.toString(), '/tmp/x.tar:@1')
  for (const ref of [a, b, c, d]) {
    const again = parse(ref.toString())
    t.deepEqual([again.file, again.dockerReference(), again.sourceIndex], [ref.file, ref.dockerReference(), ref.sourceIndex])
  }
})

test('references: digests, bad names and bad indexes are usage errors with containers/image wording', (t) => {
  const digest = sha256('x')
  t.throws(() => parse(''), {message: "docker-archive reference  isn't of the form <path>[:<reference>]", name: 'UsageError'})
  t.throws(() => parse(`/x.tar:busybox@${digest}`), {message: `reference does not include a tag: docker.io/library/busybox@${digest}`})
  t.throws(() => parse(`/x.tar:busybox:1@${digest}`), {message: `docker-archive doesn't support digest references: docker.io/library/busybox:1@${digest}`})
  t.throws(() => parse('/x.tar:UPPER'), {message: /^docker-archive parsing reference: invalid reference format/, name: 'UsageError'})
  t.throws(() => parse('/x.tar:@x'), {message: 'Invalid source index @x: not an integer'})
  t.throws(() => parse('/x.tar:@-2'), {message: 'Invalid source index @-2: must not be negative'})
})

test('destination: layers stored uncompressed as <diffID>.tar, config, manifest.json, repositories, legacy layers', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'saved.tar')
  const image = await smallImage()
  const dest = await parse(`${file}:localhost/app:1`).newDestination({})
  t.deepEqual(dest.supportedManifestTypes[0], MEDIA_TYPE_DOCKER_MANIFEST)
  const stored = await dest.putBlob(Readable.from([image.layers[0].data]), {digest: image.layers[0].digest, size: image.layers[0].size}, {isConfig: false})
  t.deepEqual(stored, {digest: image.layers[0].diffID, size: layerTar(image.layers[0]).length, mediaType: MEDIA_TYPE_DOCKER_LAYER})
  t.deepEqual(await dest.tryReusingBlob({digest: image.layers[0].digest, size: -1}), stored, 'known by the compressed digest')
  t.deepEqual(await dest.tryReusingBlob({digest: image.layers[0].diffID, size: -1}), stored, 'and by the diffID')
  await dest.close()
  t.deepEqual(readdirSync(dir), [], 'nothing left without commit')

  await putBuiltImage(await parse(`${file}:localhost/app:1`).newDestination({}), image)
  t.deepEqual(readdirSync(dir), ['saved.tar'])
  const entries = await listTar(readFileSync(file))
  const byName = new Map(entries.map((e) => [e.path, e]))
  const hex = (d: string) => d.slice('sha256:'.length)
  const manifest = JSON.parse(byName.get('manifest.json')!.content.toString())
  t.deepEqual(manifest, [
    {Config: `${hex(image.configDigest)}.json`, RepoTags: ['localhost/app:1'], Layers: image.layers.map((l) => `${hex(l.diffID)}.tar`)},
  ])
  t.deepEqual(byName.get(`${hex(image.configDigest)}.json`)!.content, image.config)
  for (const layer of image.layers) t.deepEqual(byName.get(`${hex(layer.diffID)}.tar`)!.content, layerTar(layer))
  const repositories = JSON.parse(byName.get('repositories')!.content.toString())
  const topId = repositories['localhost/app']['1'] as string
  t.regex(topId, /^[0-9a-f]{64}$/)
  t.is(byName.get(`${topId}/layer.tar`)!.type, 'symlink')
  t.is(byName.get(`${topId}/layer.tar`)!.linkname, `../${hex(image.layers[1].diffID)}.tar`)
  t.is(byName.get(`${topId}/VERSION`)!.content.toString(), '1.0')
  const legacy = JSON.parse(byName.get(`${topId}/json`)!.content.toString())
  t.is(legacy.id, topId)
  t.regex(legacy.parent, /^[0-9a-f]{64}$/)
  t.is(legacy.architecture, JSON.parse(image.config.toString()).architecture)
})

test('destination then source: the source presents the uncompressed layers under their diffIDs', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'saved.tar')
  const image = await smallImage()
  await putBuiltImage(await parse(`${file}:app`).newDestination({}), image)

  const source = (await parse(file).newSource({})) as DockerArchiveSource
  t.teardown(() => source.close())
  t.deepEqual(source.repoTags, ['docker.io/library/app:latest'])
  const {bytes, mediaType} = await source.getManifest()
  t.is(mediaType, MEDIA_TYPE_DOCKER_MANIFEST)
  const manifest = parseImageManifest(bytes, mediaType)
  t.deepEqual(
    manifest.layers.map((l) => [l.mediaType, l.digest, l.size]),
    image.layers.map((l) => [MEDIA_TYPE_DOCKER_LAYER, l.diffID, layerTar(l).length]),
  )
  t.is(manifest.config.digest, image.configDigest)
  const read = await readImage(source)
  t.deepEqual(read.config, image.config)
  t.deepEqual(read.layers, image.layers.map(layerTar))
  t.deepEqual(read.layerSizes, image.layers.map((l) => layerTar(l).length))
  await t.throwsAsync(source.getManifest(image.manifestDigest), {message: 'Manifest lists are not supported by "docker-archive:"'})
  await t.throwsAsync(source.getBlob({digest: sha256('nope'), size: -1}), {message: `Unknown blob ${sha256('nope')} in docker-archive:${file}`})

  // round trip again, from the archive into a new one: nothing to decompress this time
  const again = path.join(dir, 'again.tar')
  await copyImage(await parse(file).newSource({}), await parse(`${again}:app`).newDestination({}))
  t.deepEqual((await readImage(await parse(again).newSource({}))).layers, image.layers.map(layerTar))
})

test('no name, several names, a repeated layer, and an OCI source copied in', async (t) => {
  const dir = tempDir(t)
  const repeated = await buildImage({layers: [[{path: 'a', content: 'a\n'}], [{path: 'b', content: 'b\n'}], [{path: 'a', content: 'a\n'}]]})
  t.is(repeated.layers[0].diffID, repeated.layers[2].diffID)
  const unnamed = path.join(dir, 'unnamed.tar')
  await putBuiltImage(await parse(unnamed).newDestination({}), repeated)
  const manifest = JSON.parse((await listTar(readFileSync(unnamed))).find((e) => e.path === 'manifest.json')!.content.toString())
  t.deepEqual(manifest[0].RepoTags, [])
  t.is(manifest[0].Layers[0], manifest[0].Layers[2])
  const entries = (await listTar(readFileSync(unnamed))).filter((e) => e.path.endsWith('.tar') && !e.path.includes('/'))
  t.is(entries.length, 2, 'the repeated layer is stored once')
  const read = await readImage(await parse(unnamed).newSource({}))
  t.deepEqual(read.layers, repeated.layers.map(layerTar))

  const tagged = path.join(dir, 'tagged.tar')
  const ref = new DockerArchiveReference(tagged, parse(`${tagged}:app:1`).name, -1, {additionalTags: ['app:2', 'quay.io/x/app']})
  await putBuiltImage(await ref.newDestination({}), repeated)
  const source = (await parse(`${tagged}:quay.io/x/app:latest`).newSource({})) as DockerArchiveSource
  t.deepEqual(source.repoTags, ['docker.io/library/app:1', 'docker.io/library/app:2', 'quay.io/x/app:latest'])
  await source.close()

  const layout = path.join(dir, 'layout')
  const image = await smallImage('from oci\n')
  await writeOciLayout(layout, [{image, ref: 'x'}])
  const fromOci = path.join(dir, 'from-oci.tar')
  await copyImage(await parseImageName(`oci:${layout}:x`).newSource({}), await parse(`${fromOci}:app`).newDestination({}))
  const back = await readImage(await parse(fromOci).newSource({}))
  t.deepEqual(back.layers, image.layers.map(layerTar))
  t.deepEqual(diffIds(back.config), image.layers.map((l) => l.diffID))
})

test('destination refuses bad blobs and inconsistent images, leaving FILE alone', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'x.tar')
  writeFileSync(file, 'previous')
  const image = await smallImage()
  const other = await smallImage('other\n')

  const dest = await parse(file).newDestination({})
  await t.throwsAsync(dest.putBlob(Readable.from([Buffer.from('garbage')]), {digest: image.layers[0].digest, size: -1}, {isConfig: false}), {
    message: `writing blob ${image.layers[0].digest} to docker-archive:${file}: unsupported or corrupt layer compression`,
  })
  await t.throwsAsync(dest.putBlob(Readable.from([other.layers[0].data]), {digest: image.layers[0].digest, size: -1}, {isConfig: false}), {
    message: `writing blob ${image.layers[0].digest} to docker-archive:${file}: Digest did not match, expected ${image.layers[0].digest}, got ${other.layers[0].digest}`,
  })
  t.is(await dest.tryReusingBlob({digest: image.layers[0].digest, size: -1}), undefined)
  await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true})
  await dest.putBlob(Readable.from([other.layers[0].data]), {digest: other.layers[0].digest, size: -1}, {isConfig: false})
  await dest.putBlob(Readable.from([other.layers[1].data]), {digest: other.layers[1].digest, size: -1}, {isConfig: false})
  // a manifest pairing image's config with other's layers: the diffIDs do not match
  const mixed = {...JSON.parse(image.manifest.toString()), layers: other.layers.map((l) => ({mediaType: l.mediaType, digest: l.digest, size: l.size}))}
  await dest.putManifest({bytes: Buffer.from(JSON.stringify(mixed)), mediaType: image.mediaType})
  await t.throwsAsync(dest.commit(), {message: new RegExp(`^committing docker-archive:${file}: the layers \\(${other.layers[0].diffID}, .*\\) are not the diffIDs of the image config`)})
  await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
  await t.throwsAsync(dest.commit(), {message: `committing docker-archive:${file}: layer ${image.layers[0].digest} was not written`})
  await dest.close()
  t.is(readFileSync(file, 'utf8'), 'previous')
  t.deepEqual(readdirSync(dir), ['x.tar'])

  const list = await parse(path.join(dir, 'y.tar')).newDestination({})
  t.teardown(() => list.close())
  const {buildIndex} = await import('../../../../helpers/oci-image')
  const index = buildIndex([image])
  await t.throwsAsync(list.putManifest({bytes: index.manifest, mediaType: index.mediaType}), {
    message: `writing manifest to docker-archive:${path.join(dir, 'y.tar')}: expected an image manifest, got a manifest list (${index.mediaType})`,
  })
})

test('source: archives in the docker save layout, compressed layers or archives, several images', async (t) => {
  const dir = tempDir(t)
  const one = await smallImage('one\n')
  const two = await smallImage('two\n', 'none')

  // what docker save writes: <id>/layer.tar members
  const saved = path.join(dir, 'saved.tar')
  await writeDockerArchive(saved, one, ['one:latest'])
  let read = await readImage(await parse(saved).newSource({}))
  t.deepEqual(read.layers, one.layers.map(layerTar))

  // gzip-compressed layer members: presented decompressed, with the uncompressed size
  const files = dockerArchiveFiles(one, ['one:latest'])
  for (const [name, content] of files) if (name.endsWith('layer.tar')) files.set(name, gzip(content))
  const gzLayers = path.join(dir, 'gz-layers.tar')
  writeFileSync(gzLayers, await tarOf(files))
  const source = await parse(gzLayers).newSource({})
  t.deepEqual(parseImageManifest((await source.getManifest()).bytes).layers.map((l) => l.size), one.layers.map((l) => layerTar(l).length))
  read = await readImage(source)
  t.deepEqual(read.layers, one.layers.map(layerTar))
  await source.close()

  // a gzip-compressed archive, decompressed into tmpDir and cleaned up on close
  const work = path.join(dir, 'work')
  const {mkdirSync} = await import('node:fs')
  mkdirSync(work)
  const gzArchive = path.join(dir, 'archive.tar.gz')
  writeFileSync(gzArchive, gzip(readFileSync(saved)))
  const gzSource = await dockerArchiveTransport.parseReference(gzArchive, {tmpDir: work}).newSource({})
  t.is(readdirSync(work).length, 1)
  t.deepEqual((await readImage(gzSource)).layers, one.layers.map(layerTar))
  await gzSource.close()
  t.deepEqual(readdirSync(work), [])

  // two images: chosen by tag or index, refused without either
  const both = new Map([...dockerArchiveFiles(one, ['one:latest']), ...dockerArchiveFiles(two, ['docker.io/library/two:2'])])
  const items = [
    ...JSON.parse(dockerArchiveFiles(one, ['one:latest']).get('manifest.json')!.toString()),
    ...JSON.parse(dockerArchiveFiles(two, ['docker.io/library/two:2']).get('manifest.json')!.toString()),
  ]
  both.set('manifest.json', Buffer.from(JSON.stringify(items)))
  const multi = path.join(dir, 'multi.tar')
  writeFileSync(multi, await tarOf(both))
  t.deepEqual((await readImage(await parse(`${multi}:two:2`).newSource({}))).config, two.config)
  t.deepEqual((await readImage(await parse(`${multi}:@0`).newSource({}))).config, one.config)
  t.deepEqual((await readImage(await parse(`${multi}:one`).newSource({}))).config, one.config)
  await t.throwsAsync(parse(multi).newSource({}), {message: 'Unexpected tar manifest.json: expected 1 item, got 2'})
  await t.throwsAsync(parse(`${multi}:three`).newSource({}), {message: 'Tag "docker.io/library/three:latest" not found'})
  await t.throwsAsync(parse(`${multi}:@2`).newSource({}), {message: 'Invalid source index @2, only 2 manifest items available'})
})

test('source: broken archives are refused with the member at fault', async (t) => {
  const dir = tempDir(t)
  const image = await smallImage()
  const write = async (name: string, files: Map<string, Buffer>) => {
    const file = path.join(dir, name)
    writeFileSync(file, await tarOf(files))
    return file
  }
  const noManifest = dockerArchiveFiles(image, [])
  noManifest.delete('manifest.json')
  let file = await write('no-manifest.tar', noManifest)
  await t.throwsAsync(parse(file).newSource({}), {message: `loading tar component "manifest.json" of ${file}: file does not exist`})

  const missingLayer = dockerArchiveFiles(image, [])
  const layerName = [...missingLayer.keys()].find((n) => n.endsWith('layer.tar'))!
  missingLayer.delete(layerName)
  file = await write('missing-layer.tar', missingLayer)
  await t.throwsAsync(parse(file).newSource({}), {message: `layer tarfile "${layerName}" is missing from ${file}`})

  const extraLayer = dockerArchiveFiles(image, [])
  const manifest = JSON.parse(extraLayer.get('manifest.json')!.toString())
  manifest[0].Layers.push(manifest[0].Layers[0])
  extraLayer.set('manifest.json', Buffer.from(JSON.stringify(manifest)))
  file = await write('extra-layer.tar', extraLayer)
  await t.throwsAsync(parse(file).newSource({}), {message: 'Inconsistent layer count: 3 in manifest, 2 in config'})

  const badConfig = dockerArchiveFiles(image, [])
  badConfig.set(manifest[0].Config, Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["nope"]}}'))
  file = await write('bad-config.tar', badConfig)
  await t.throwsAsync(parse(file).newSource({}), {message: /^decoding tar config ".*\.json": invalid image config: "rootfs\.diff_ids\[0\]" must be a digest/})

  file = path.join(dir, 'truncated.tar')
  writeFileSync(file, readFileSync(await write('whole.tar', dockerArchiveFiles(image, []))).subarray(0, 1000))
  await t.throwsAsync(parse(file).newSource({}), {message: /truncated/})
  t.false(existsSync(path.join(dir, 'work')))
})

test('the Docker schema2 form of an image goes in unchanged', async (t) => {
  const dir = tempDir(t)
  const image = toDockerSchema2(await smallImage())
  const file = path.join(dir, 'docker.tar')
  await putBuiltImage(await parse(`${file}:app`).newDestination({}), image)
  const read = await readImage(await parse(file).newSource({}))
  t.deepEqual(read.config, image.config)
  t.deepEqual(read.layers, image.layers.map(layerTar))
})

test('layers put concurrently, after a failed one, make a valid archive', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'concurrent.tar')
  const image = await smallImage('concurrent\n')
  const dest = await parse(`${file}:app`).newDestination({})
  const failing = new Readable({
    read() {
      this.push(image.layers[0].data.subarray(0, 20))
      this.destroy(new Error('connection reset'))
    },
  })
  await t.throwsAsync(dest.putBlob(failing, {digest: image.layers[0].digest, size: -1}, {isConfig: false}), {message: /connection reset$/})
  await Promise.all([
    dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: image.config.length}, {isConfig: true}),
    ...image.layers.map((l, i) => dest.putBlob(Readable.from([l.data]), {digest: l.digest, size: l.size}, {isConfig: false, layerIndex: i})),
  ])
  await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
  await dest.commit()
  await dest.close()
  const read = await readImage(await parse(file).newSource({}))
  t.deepEqual(read.layers, image.layers.map(layerTar))
  t.deepEqual(read.config, image.config)
})

test('a zstd layer is stored decompressed when a zstd decoder is installed, and refused naming it otherwise', async (t) => {
  const {execFileSync} = await import('node:child_process')
  const dir = tempDir(t)
  const image = await smallImage('zstd\n', 'none')
  const zstd = execFileSync('zstd', ['-q', '-c'], {input: image.layers[0].data})
  const dest = await parse(path.join(dir, 'z.tar')).newDestination({})
  t.teardown(() => dest.close())
  const putting = dest.putBlob(Readable.from([zstd]), {digest: sha256(zstd), size: zstd.length}, {isConfig: false})
  let decoder = true
  try {
    require.resolve('fzstd')
  } catch {
    decoder = false
  }
  if (decoder) t.deepEqual(await putting, {digest: image.layers[0].diffID, size: image.layers[0].size, mediaType: MEDIA_TYPE_DOCKER_LAYER})
  else await t.throwsAsync(putting, {message: /zstd layers need the "fzstd" package/})
})

test('the same layer put twice at once is stored once', async (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'twice.tar')
  const image = await smallImage('twice\n')
  const dest = await parse(file).newDestination({})
  const layer = image.layers[0]
  const [a, b] = await Promise.all([
    dest.putBlob(Readable.from([layer.data]), {digest: layer.digest, size: layer.size}, {isConfig: false}),
    dest.putBlob(Readable.from([layerTar(layer)]), {digest: layer.diffID, size: -1}, {isConfig: false}),
  ])
  t.deepEqual(a, b)
  await dest.putBlob(Readable.from([image.config]), {digest: image.configDigest, size: -1}, {isConfig: true})
  await dest.putBlob(Readable.from([image.layers[1].data]), {digest: image.layers[1].digest, size: -1}, {isConfig: false})
  await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
  await dest.commit()
  await dest.close()
  const names = (await listTar(readFileSync(file))).map((e) => e.path)
  t.is(names.filter((n) => n === `${layer.diffID.slice(7)}.tar`).length, 1)
})
