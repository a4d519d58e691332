import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import test from 'ava'

import {MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from '../../../../../src/storage/image/manifest/media-types'
import {OciLayoutSource} from '../../../../../src/storage/image/transports/oci-layout/source'
import {ociLayoutTransport, OciLayoutReference} from '../../../../../src/storage/image/transports/oci-layout/transport'
import {buildImage, buildIndex, MEDIA_TYPE_DOCKER_MANIFEST, sha256, toDockerSchema2, writeOciLayout} from '../../../../helpers/oci-image'
import {putBuiltImage, putBuiltIndex, readBlob, readImage, tempDir} from './image-io'

const parse = (text: string): OciLayoutReference => ociLayoutTransport.parseReference(text)

function smallImage(content = 'hello\n') {
  return buildImage({
    layers: [
      [{path: 'etc/', type: 'dir'}, {path: 'etc/hello', content}],
      [{path: 'data/', type: 'dir'}, {path: 'data/second', content: `second ${content}`}],
    ],
    config: {Env: ['PATH=/bin'], Cmd: ['/bin/sh'], Labels: {a: 'b'}},
  })
}

function indexJson(dir: string): {manifests: Array<{digest: string; mediaType: string; size: number; annotations?: Record<string, string>}>} {
  return JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'))
}

test('references: DIR[:REF] split at the first colon, resolved against the working directory, round-tripping', (t) => {
  const a = parse('/tmp/layout:busybox')
  t.is(a.dir, '/tmp/layout')
  t.is(a.image, 'busybox')
  t.is(a.toString(), '/tmp/layout:busybox')
  t.is(a.dockerReference(), undefined)
  const b = parse('/tmp/layout:docker.io/library/busybox:latest')
  t.is(b.dir, '/tmp/layout')
  t.is(b.image, 'docker.io/library/busybox:latest')
  const c = parse('relative/dir')
  t.is(c.dir, path.resolve('relative/dir'))
  t.is(c.image, '')
  const d = parse('/tmp/layout:@2')
  t.is(d.sourceIndex, 2)
  t.is(d.image, '')
  for (const ref of [a, b, c, d]) {
    const again = parse(ref.toString())
    t.deepEqual([again.dir, again.image, again.sourceIndex], [ref.dir, ref.image, ref.sourceIndex])
  }
  t.is(parse('/x/').dir, '/x')
})

test('references: invalid ref names and indexes are usage errors', (t) => {
  t.throws(() => parse('/tmp/x:bad name'), {message: 'Invalid image bad name', name: 'UsageError'})
  t.throws(() => parse('/tmp/x:-leading'), {message: 'Invalid image -leading'})
  t.throws(() => parse('/tmp/x:@abc'), {message: 'Invalid source index @abc: not an integer'})
  t.throws(() => parse('/tmp/x:@-1'), {message: 'Invalid source index @-1: must not be negative'})
  t.throws(() => new OciLayoutReference('/tmp/x', 'a', 1), {message: 'Invalid oci: reference: cannot use both an image a and a source index @1'})
})

test('destination then source: the same manifest, config and layer bytes; index.json and oci-layout written', async (t) => {
  const dir = path.join(tempDir(t), 'layout')
  const image = await smallImage()
  await putBuiltImage(await parse(`${dir}:app:1.0`).newDestination({}), image)

  t.deepEqual(JSON.parse(readFileSync(path.join(dir, 'oci-layout'), 'utf8')), {imageLayoutVersion: '1.0.0'})
  t.deepEqual(indexJson(dir).manifests, [
    {mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: image.manifestDigest, size: image.manifest.length, annotations: {'org.opencontainers.image.ref.name': 'app:1.0'}},
  ])
  t.deepEqual(readFileSync(path.join(dir, 'blobs/sha256', image.layers[0].digest.slice(7))), image.layers[0].data)
  t.false(readdirSync(dir).some((name) => name.startsWith('.')), 'no temporary files left')

  const source = (await parse(`${dir}:app:1.0`).newSource({})) as OciLayoutSource
  t.teardown(() => source.close())
  t.is(source.entry.digest, image.manifestDigest)
  const read = await readImage(source)
  t.deepEqual(read.manifestBytes, image.manifest)
  t.deepEqual(read.config, image.config)
  t.deepEqual(read.layers, image.layers.map((l) => l.data))
  t.deepEqual(read.layerSizes, image.layers.map((l) => l.size))
  t.is((await source.getManifest()).mediaType, MEDIA_TYPE_OCI_MANIFEST)
})

test('the only image is found without a ref; several need one; a missing ref is named', async (t) => {
  const dir = tempDir(t)
  const one = await smallImage('one\n')
  const two = await smallImage('two\n')
  await putBuiltImage(await parse(`${dir}:one`).newDestination({}), one)
  const only = await parse(dir).newSource({})
  t.is((only as OciLayoutSource).entry.digest, one.manifestDigest)
  await only.close()

  await putBuiltImage(await parse(`${dir}:two`).newDestination({}), two)
  await t.throwsAsync(parse(dir).newSource({}), {message: 'more than one image in oci, choose an image'})
  await t.throwsAsync(parse(`${dir}:three`).newSource({}), {message: 'no descriptor found for reference "three"'})
  const byIndex = (await parse(`${dir}:@1`).newSource({})) as OciLayoutSource
  t.is(byIndex.entry.digest, two.manifestDigest)
  await t.throwsAsync(parse(`${dir}:@2`).newSource({}), {message: 'index 2 is too large, only 2 entries available'})
  await t.throwsAsync(parse(`${dir}:@0`).newDestination({}), {message: 'Destination reference must not contain a manifest index @0'})
  await t.throwsAsync(parse(path.join(dir, 'missing')).newSource({}), {message: /^reading OCI layout index .*missing\/index\.json: ENOENT/})
})

test('writing a ref again replaces its entry and keeps the other entries', async (t) => {
  const dir = tempDir(t)
  const first = await smallImage('first\n')
  const second = await smallImage('second\n')
  const other = await smallImage('other\n')
  await putBuiltImage(await parse(`${dir}:app`).newDestination({}), first)
  await putBuiltImage(await parse(`${dir}:other`).newDestination({}), other)
  await putBuiltImage(await parse(`${dir}:app`).newDestination({}), second)
  const entries = indexJson(dir).manifests
  t.deepEqual(
    entries.map((e) => [e.annotations?.['org.opencontainers.image.ref.name'], e.digest]),
    [
      ['other', other.manifestDigest],
      ['app', second.manifestDigest],
    ],
  )
  // an unnamed write of an image already listed unnamed replaces that entry instead of adding one
  await putBuiltImage(await parse(dir).newDestination({}), first)
  await putBuiltImage(await parse(dir).newDestination({}), first)
  t.is(indexJson(dir).manifests.length, 3)
})

test('close() without commit leaves the layout as it was; blobs already present are reused', async (t) => {
  const dir = tempDir(t)
  const image = await smallImage()
  await putBuiltImage(await parse(`${dir}:app`).newDestination({}), image)
  const before = readFileSync(path.join(dir, 'index.json'))

  const changed = await smallImage('changed\n')
  const dest = await parse(`${dir}:app`).newDestination({})
  const reused = await dest.tryReusingBlob({digest: image.layers[1].digest, size: -1})
  t.deepEqual(reused, {digest: image.layers[1].digest, size: image.layers[1].size})
  t.is(await dest.tryReusingBlob({digest: changed.layers[0].digest, size: -1}), undefined)
  await dest.putBlob(Readable.from([changed.layers[0].data]), {digest: changed.layers[0].digest, size: changed.layers[0].size}, {isConfig: false})
  t.truthy(await dest.tryReusingBlob({digest: changed.layers[0].digest, size: -1}), 'a blob put earlier is reusable')
  await dest.putManifest({bytes: changed.manifest, mediaType: changed.mediaType})
  await dest.close()

  t.deepEqual(readFileSync(path.join(dir, 'index.json')), before)
  t.false(existsSync(path.join(dir, 'blobs/sha256', changed.layers[0].digest.slice(7))))
  t.false(readdirSync(dir).some((name) => name.startsWith('.')), 'no temporary files left')

  const fresh = path.join(dir, 'new', 'layout')
  const unused = await parse(fresh).newDestination({})
  t.true(existsSync(path.join(fresh, 'blobs')))
  await unused.close()
  t.false(existsSync(path.join(dir, 'new')), 'directories made for nothing are removed again')
})

test('a blob whose bytes do not match its digest or size is refused and not kept', async (t) => {
  const dir = tempDir(t)
  const image = await smallImage()
  const dest = await parse(`${dir}:app`).newDestination({})
  t.teardown(() => dest.close())
  const layer = image.layers[0]
  await t.throwsAsync(dest.putBlob(Readable.from([Buffer.from('not the layer')]), {digest: layer.digest, size: -1}, {isConfig: false}), {
    message: `writing blob ${layer.digest} to oci:${dir}:app: Digest did not match, expected ${layer.digest}, got ${sha256('not the layer')}`,
  })
  await t.throwsAsync(dest.putBlob(Readable.from([layer.data]), {digest: layer.digest, size: layer.size + 1}, {isConfig: false}), {
    message: /Size mismatch when copying sha256:[0-9a-f]{64}, expected \d+, got \d+$/,
  })
  const failing = new Readable({
    read() {
      this.destroy(new Error('connection reset'))
    },
  })
  await t.throwsAsync(dest.putBlob(failing, {digest: layer.digest, size: layer.size}, {isConfig: false}), {message: /connection reset$/})
  t.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith('.')),
    [],
  )
  t.is(await dest.tryReusingBlob({digest: layer.digest, size: -1}), undefined)
})

test('manifest types other than OCI are refused; a missing manifest fails the commit', async (t) => {
  const dir = tempDir(t)
  const docker = toDockerSchema2(await smallImage())
  const dest = await parse(dir).newDestination({})
  t.teardown(() => dest.close())
  t.deepEqual(dest.supportedManifestTypes, [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX])
  await t.throwsAsync(dest.putManifest({bytes: docker.manifest, mediaType: MEDIA_TYPE_DOCKER_MANIFEST}), {
    message: `manifest type "${MEDIA_TYPE_DOCKER_MANIFEST}" is not supported by oci:${dir}: it takes ${MEDIA_TYPE_OCI_MANIFEST}, ${MEDIA_TYPE_OCI_INDEX}`,
  })
  await t.throwsAsync(dest.commit(), {message: `committing oci:${dir}: no manifest was written`})
})

test('an image index entry: the source exposes it, instances are read by digest with their media types', async (t) => {
  const dir = tempDir(t)
  const amd = await buildImage({layers: [[{path: 'amd', content: 'amd64\n'}]], architecture: 'amd64'})
  const arm = await buildImage({layers: [[{path: 'arm', content: 'arm64\n'}]], architecture: 'arm64', variant: 'v8'})
  const index = buildIndex([amd, arm])
  await putBuiltIndex(await parse(`${dir}:multi`).newDestination({}), index)
  t.is(indexJson(dir).manifests[0].mediaType, MEDIA_TYPE_OCI_INDEX)

  const source = (await parse(`${dir}:multi`).newSource({})) as OciLayoutSource
  t.teardown(() => source.close())
  t.is(source.entry.mediaType, MEDIA_TYPE_OCI_INDEX)
  t.is(source.entry.digest, index.manifestDigest)
  t.deepEqual(await source.getManifest(), {bytes: index.manifest, mediaType: MEDIA_TYPE_OCI_INDEX})
  t.deepEqual(await source.getManifest(arm.manifestDigest), {bytes: arm.manifest, mediaType: MEDIA_TYPE_OCI_MANIFEST})
  t.deepEqual((await readBlob(source, arm.layers[0].digest)).data, arm.layers[0].data)
})

test('layouts written by others: media type guessed when index.json has none; missing blobs named', async (t) => {
  const dir = tempDir(t)
  const image = await smallImage()
  await writeOciLayout(dir, [{image, ref: 'x'}])
  const index = indexJson(dir)
  delete (index.manifests[0] as {mediaType?: string}).mediaType
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index))
  await t.throwsAsync(parse(`${dir}:x`).newSource({}), {message: 'reference "x" matches unsupported manifest MIME types [""]'})
  const source = await parse(dir).newSource({})
  t.teardown(() => source.close())
  t.deepEqual(await source.getManifest(), {bytes: image.manifest, mediaType: MEDIA_TYPE_OCI_MANIFEST})

  await t.throwsAsync(source.getBlob({digest: sha256('absent'), size: -1}), {
    message: new RegExp(`^reading blob ${sha256('absent')} from oci:${dir}: ENOENT`),
  })
  await t.throwsAsync(source.getBlob({digest: 'sha256:../../etc/passwd', size: -1}), {message: /invalid digest/})
})

test('an aborted context stops a blob being written', async (t) => {
  const dir = tempDir(t)
  const controller = new AbortController()
  const dest = await parse(dir).newDestination({signal: controller.signal})
  t.teardown(() => dest.close())
  const endless = new Readable({
    read() {
      this.push(Buffer.alloc(1024))
    },
  })
  const putting = dest.putBlob(endless, {digest: '', size: -1}, {isConfig: false})
  setTimeout(() => controller.abort(new Error('pull cancelled')), 20)
  await t.throwsAsync(putting, {message: /pull cancelled|aborted/})
  t.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.')), [])
  await t.throwsAsync(dest.tryReusingBlob({digest: sha256('x'), size: -1}), {message: /pull cancelled|aborted/})
})
