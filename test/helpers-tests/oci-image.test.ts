import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, existsSync} from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {promisify} from 'node:util'
import * as zlib from 'node:zlib'

import test, {type ExecutionContext} from 'ava'

import {
  BUSYBOX,
  buildImage,
  buildIndex,
  buildLayerTar,
  busyboxApplets,
  busyboxImage,
  dockerArchiveFiles,
  ESCAPE_MARKER,
  GROUP,
  HOSTILE_KINDS,
  HOSTILE_LAYERS,
  hostArchitecture,
  layerFromTar,
  layerTar,
  listTar,
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_DOCKER_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_LAYER_GZIP,
  MEDIA_TYPE_OCI_LAYER_TAR,
  MEDIA_TYPE_OCI_MANIFEST,
  multiLayerImage,
  multiPlatformIndex,
  oddEntriesImage,
  PASSWD,
  sha256,
  toDockerSchema2,
  writeDockerArchive,
  writeOciArchive,
  writeOciLayout,
  type BuiltImage,
  type LayerEntry,
} from '../helpers/oci-image'

const run = promisify(execFile)
const isRoot = process.getuid?.() === 0

function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tspod-oci-test-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

async function skopeoInspect(...args: string[]): Promise<Record<string, any>> {
  const {stdout} = await run('skopeo', ['inspect', ...args], {maxBuffer: 16 << 20})
  return JSON.parse(stdout)
}

function assertDigests(t: ExecutionContext, image: BuiltImage): void {
  t.is(image.manifestDigest, sha256(image.manifest))
  t.is(image.configDigest, sha256(image.config))
  for (const layer of image.layers) {
    t.is(layer.digest, sha256(layer.data))
    t.is(layer.size, layer.data.length)
    t.is(layer.diffID, sha256(layerTar(layer)))
  }
  const manifest = JSON.parse(image.manifest.toString())
  t.deepEqual(manifest.config.digest, image.configDigest)
  t.deepEqual(manifest.config.size, image.config.length)
  t.deepEqual(
    manifest.layers,
    image.layers.map((l) => ({mediaType: l.mediaType, digest: l.digest, size: l.size})),
  )
  t.deepEqual(JSON.parse(image.config.toString()).rootfs, {type: 'layers', diff_ids: image.layers.map((l) => l.diffID)})
}

test('buildLayerTar writes every entry verbatim and in order, hostile ones included', async (t) => {
  const entries: LayerEntry[] = [
    {path: '../x', content: 'up'},
    {path: '/abs', content: 'abs'},
    {path: 'dir/', type: 'dir', mode: 0o1777},
    {path: 'dir/.wh..wh..opq'},
    {path: 'dir/.wh.gone'},
    {path: 'link', type: 'symlink', linkname: '../../etc'},
    {path: 'hard', type: 'link', linkname: '/etc/shadow'},
    {path: 'suid', content: 'x', mode: 0o4755, uid: 1234, gid: 1234},
    {path: 'huge', content: '', uid: 4294967294, gid: 4294967294},
    {path: 'nomode', content: '', mode: 0},
    {path: 'attrs', content: 'a', xattrs: {'user.test': 'yes'}},
    {path: 'dev/null', type: 'char', devmajor: 1, devminor: 3},
    {path: 'dev/sda', type: 'block', devmajor: 8, devminor: 0},
    {path: 'pipe', type: 'fifo'},
    {path: `${'long/'.repeat(40)}name`, content: 'deep'},
  ]
  const listed = await listTar(await buildLayerTar(entries))
  t.deepEqual(
    listed.map((e) => [e.path, e.type, e.mode, e.uid, e.gid, e.linkname, e.content.toString()]),
    [
      ['../x', 'file', 0o644, 0, 0, null, 'up'],
      ['/abs', 'file', 0o644, 0, 0, null, 'abs'],
      ['dir/', 'directory', 0o1777, 0, 0, null, ''],
      ['dir/.wh..wh..opq', 'file', 0o644, 0, 0, null, ''],
      ['dir/.wh.gone', 'file', 0o644, 0, 0, null, ''],
      ['link', 'symlink', 0o777, 0, 0, '../../etc', ''],
      ['hard', 'link', 0o644, 0, 0, '/etc/shadow', ''],
      ['suid', 'file', 0o4755, 1234, 1234, null, 'x'],
      ['huge', 'file', 0o644, 4294967294, 4294967294, null, ''],
      ['nomode', 'file', 0, 0, 0, null, ''],
      ['attrs', 'file', 0o644, 0, 0, null, 'a'],
      ['dev/null', 'character-device', 0o666, 0, 0, null, ''],
      ['dev/sda', 'block-device', 0o660, 0, 0, null, ''],
      ['pipe', 'fifo', 0o644, 0, 0, null, ''],
      [`${'long/'.repeat(40)}name`, 'file', 0o644, 0, 0, null, 'deep'],
    ],
  )
  t.is(listed[10].pax?.['SCHILY.xattr.user.test'], 'yes')
  t.deepEqual([listed[11].devmajor, listed[11].devminor, listed[12].devmajor, listed[12].devminor], [1, 3, 8, 0])
})

test('the same inputs always give the same bytes', async (t) => {
  const entries: LayerEntry[] = [{path: 'a', content: 'a'}, {path: 'b/', type: 'dir'}]
  t.deepEqual(await buildLayerTar(entries), await buildLayerTar(entries))
  const [one, two] = await Promise.all([multiLayerImage(), multiLayerImage()])
  t.is(one.manifestDigest, two.manifestDigest)
  t.deepEqual(one.manifest, two.manifest)
})

test('layers are gzip-compressed by default and plain tars on request', async (t) => {
  const tarData = await buildLayerTar([{path: 'f', content: 'hello'}])
  const gz = layerFromTar(tarData)
  t.is(gz.mediaType, MEDIA_TYPE_OCI_LAYER_GZIP)
  t.deepEqual(zlib.gunzipSync(gz.data), tarData)
  t.is(gz.diffID, sha256(tarData))
  t.is(gz.digest, sha256(gz.data))

  const plain = await buildImage({layers: [[{path: 'f', content: 'hello'}]], compression: 'none'})
  t.is(plain.layers[0].mediaType, MEDIA_TYPE_OCI_LAYER_TAR)
  t.deepEqual(plain.layers[0].data, tarData)
  t.is(plain.layers[0].digest, plain.layers[0].diffID)
  assertDigests(t, plain)
})

test('the busybox rootfs layer holds busybox, its applet links, users and directories', async (t) => {
  const image = await busyboxImage()
  t.is(image.layers.length, 1)
  const entries = await listTar(layerTar(image.layers[0]))
  const byPath = new Map(entries.map((e) => [e.path, e]))

  const busybox = byPath.get('bin/busybox')!
  t.is(busybox.type, 'file')
  t.is(busybox.mode, 0o755)
  t.deepEqual(busybox.content, readFileSync(BUSYBOX))

  const applets = await busyboxApplets()
  t.true(applets.length > 100)
  const links = entries.filter((e) => e.type === 'symlink')
  t.deepEqual(links.map((e) => e.path).sort(), [...applets].sort())
  t.true(links.every((e) => e.linkname === '/bin/busybox'))
  t.is(byPath.get('bin/sh')?.linkname, '/bin/busybox')

  const dirs = Object.fromEntries(entries.filter((e) => e.type === 'directory').map((e) => [e.path, [e.mode, e.uid, e.gid]]))
  t.like(dirs, {
    'bin/': [0o755, 0, 0],
    'sbin/': [0o755, 0, 0],
    'usr/bin/': [0o755, 0, 0],
    'usr/sbin/': [0o755, 0, 0],
    'etc/': [0o755, 0, 0],
    'tmp/': [0o1777, 0, 0],
    'root/': [0o700, 0, 0],
    'home/user/': [0o755, 1234, 1234],
    'proc/': [0o555, 0, 0],
    'sys/': [0o555, 0, 0],
    'dev/': [0o755, 0, 0],
    'var/': [0o755, 0, 0],
  })

  t.is(byPath.get('etc/passwd')?.content.toString(), PASSWD)
  t.true(PASSWD.includes('root:x:0:0:root:/root:/bin/sh\n'))
  t.true(PASSWD.includes('user:x:1234:1234:user:/home/user:/bin/sh\n'))
  t.true(PASSWD.includes('nobody:x:65534:65534:'))
  t.is(byPath.get('etc/group')?.content.toString(), GROUP)
  t.regex(GROUP, /^nogroup:x:65534:$/m)

  // every parent comes before its children
  const seen = new Set<string>()
  for (const e of entries) {
    const parent = e.path.replace(/\/$/, '').split('/').slice(0, -1).join('/')
    if (parent) t.true(seen.has(`${parent}/`), `${e.path} before its parent`)
    seen.add(e.type === 'directory' ? e.path : `${e.path}/`)
  }
})

test('the busybox image: OCI manifest, config and digests', async (t) => {
  const image = await busyboxImage()
  assertDigests(t, image)
  t.is(image.mediaType, MEDIA_TYPE_OCI_MANIFEST)
  const manifest = JSON.parse(image.manifest.toString())
  t.is(manifest.schemaVersion, 2)
  t.is(manifest.mediaType, MEDIA_TYPE_OCI_MANIFEST)
  t.is(manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json')
  t.is(manifest.layers[0].mediaType, MEDIA_TYPE_OCI_LAYER_GZIP)

  const config = JSON.parse(image.config.toString())
  t.is(config.architecture, hostArchitecture())
  const expectedArch: Record<string, string> = {x64: 'amd64', arm64: 'arm64'}
  if (expectedArch[process.arch]) t.is(config.architecture, expectedArch[process.arch])
  t.is(config.os, 'linux')
  t.deepEqual(config.config, {
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci'],
    Cmd: ['/bin/sh'],
  })
  t.is(config.history.length, 1)
})

test('buildImage takes the runtime config, platform and creation time', async (t) => {
  const image = await buildImage({
    layers: [[{path: 'f', content: 'x'}]],
    config: {Entrypoint: ['/bin/echo'], Cmd: ['hi'], WorkingDir: '/tmp', User: '1234:1234', Labels: {a: 'b'}},
    architecture: 'arm',
    variant: 'v7',
    created: '2020-02-02T02:02:02Z',
  })
  const config = JSON.parse(image.config.toString())
  t.deepEqual(config.config, {Entrypoint: ['/bin/echo'], Cmd: ['hi'], WorkingDir: '/tmp', User: '1234:1234', Labels: {a: 'b'}})
  t.like(config, {architecture: 'arm', variant: 'v7', os: 'linux', created: '2020-02-02T02:02:02Z'})
  t.deepEqual(image.platform, {architecture: 'arm', os: 'linux', variant: 'v7'})
})

test('the Docker schema2 variant keeps config and layer blobs under Docker media types', async (t) => {
  const oci = await busyboxImage()
  const docker = toDockerSchema2(oci)
  assertDigests(t, docker)
  t.is(docker.mediaType, MEDIA_TYPE_DOCKER_MANIFEST)
  const manifest = JSON.parse(docker.manifest.toString())
  t.is(manifest.mediaType, MEDIA_TYPE_DOCKER_MANIFEST)
  t.is(manifest.config.mediaType, MEDIA_TYPE_DOCKER_CONFIG)
  t.deepEqual(
    manifest.layers.map((l: {mediaType: string}) => l.mediaType),
    [MEDIA_TYPE_DOCKER_LAYER_GZIP],
  )
  t.is(docker.configDigest, oci.configDigest)
  t.deepEqual(
    docker.layers.map((l) => l.digest),
    oci.layers.map((l) => l.digest),
  )
  t.not(docker.manifestDigest, oci.manifestDigest)
  t.is((await busyboxImage({format: 'docker'})).manifestDigest, docker.manifestDigest)
})

test('an OCI index and a Docker manifest list over images for several platforms', async (t) => {
  const index = await multiPlatformIndex()
  t.is(index.mediaType, MEDIA_TYPE_OCI_INDEX)
  t.is(index.manifestDigest, sha256(index.manifest))
  const parsed = JSON.parse(index.manifest.toString())
  t.is(parsed.schemaVersion, 2)
  t.deepEqual(
    parsed.manifests,
    index.images.map((image) => ({
      mediaType: MEDIA_TYPE_OCI_MANIFEST,
      digest: image.manifestDigest,
      size: image.manifest.length,
      platform: image.platform,
    })),
  )
  t.true(index.images.some((image) => image.platform.architecture === hostArchitecture()))
  t.true(index.images.some((image) => image.platform.architecture === 'arm' && image.platform.variant === 'v7'))
  for (const image of index.images) {
    assertDigests(t, image)
    const top = await listTar(layerTar(image.layers[1]))
    const expected = [image.platform.os, image.platform.architecture, image.platform.variant].filter(Boolean).join('/')
    t.is(top.find((e) => e.path === 'etc/tspod-platform')?.content.toString(), `${expected}\n`)
  }

  const list = buildIndex(index.images, 'docker')
  t.is(list.mediaType, MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  const listParsed = JSON.parse(list.manifest.toString())
  t.is(listParsed.mediaType, MEDIA_TYPE_DOCKER_MANIFEST_LIST)
  t.true(listParsed.manifests.every((m: {mediaType: string}) => m.mediaType === MEDIA_TYPE_DOCKER_MANIFEST))
  t.true(list.images.every((image) => image.mediaType === MEDIA_TYPE_DOCKER_MANIFEST))
})

test('the multi-layer image carries its whiteouts, opaque marker, owned and setuid files', async (t) => {
  const image = await multiLayerImage()
  assertDigests(t, image)
  t.is(image.layers.length, 3)
  const second = await listTar(layerTar(image.layers[1]))
  t.deepEqual(
    second.map((e) => e.path),
    ['data/', 'data/keep.txt', 'data/gone.txt', 'opq/', 'opq/lower.txt'],
  )
  const third = await listTar(layerTar(image.layers[2]))
  t.deepEqual(
    third.map((e) => [e.path, e.mode, e.uid, e.gid]),
    [
      ['data/', 0o755, 0, 0],
      ['data/.wh.gone.txt', 0o644, 0, 0],
      ['opq/', 0o755, 0, 0],
      ['opq/.wh..wh..opq', 0o644, 0, 0],
      ['opq/upper.txt', 0o644, 0, 0],
      ['data/user-owned.txt', 0o644, 1234, 1234],
      ['data/setuid', 0o4755, 0, 0],
    ],
  )
  t.is(JSON.parse(image.config.toString()).history.length, 3)
})

test('skopeo reads images written by writeOciLayout and writeOciArchive', async (t) => {
  const dir = tempDir(t)
  const [busybox, multi, index] = await Promise.all([busyboxImage(), multiLayerImage(), multiPlatformIndex()])
  const layout = path.join(dir, 'layout')
  await writeOciLayout(layout, [
    {image: busybox, ref: 'busybox'},
    {image: multi, ref: 'multi'},
    {image: index, ref: 'index'},
  ])
  t.deepEqual(JSON.parse(readFileSync(path.join(layout, 'oci-layout'), 'utf8')), {imageLayoutVersion: '1.0.0'})
  const indexJson = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'))
  t.deepEqual(
    indexJson.manifests.map((m: {annotations: Record<string, string>}) => m.annotations['org.opencontainers.image.ref.name']),
    ['busybox', 'multi', 'index'],
  )
  t.deepEqual(readFileSync(path.join(layout, 'blobs/sha256', busybox.layers[0].digest.slice(7))), busybox.layers[0].data)

  const seen = await skopeoInspect(`oci:${layout}:busybox`)
  t.is(seen.Digest, busybox.manifestDigest)
  t.deepEqual(seen.Layers, [busybox.layers[0].digest])
  t.is(seen.Architecture, hostArchitecture())
  t.deepEqual(seen.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci'])

  const seenMulti = await skopeoInspect(`oci:${layout}:multi`)
  t.is(seenMulti.Digest, multi.manifestDigest)
  t.deepEqual(
    seenMulti.Layers,
    multi.layers.map((l) => l.digest),
  )

  const rawIndex = await run('skopeo', ['inspect', '--raw', `oci:${layout}:index`])
  t.is(rawIndex.stdout, index.manifest.toString())
  const hostImage = index.images.find((i) => i.platform.architecture === hostArchitecture())!
  const seenIndex = await skopeoInspect(`oci:${layout}:index`)
  t.deepEqual(
    seenIndex.Layers,
    hostImage.layers.map((l) => l.digest),
  )

  const archive = path.join(dir, 'busybox.oci.tar')
  await writeOciArchive(archive, [{image: busybox, ref: 'latest'}])
  t.is((await skopeoInspect(`oci-archive:${archive}:latest`)).Digest, busybox.manifestDigest)
})

test('umoci unpacks the layouts: busybox runs, whiteouts and the opaque marker apply', async (t) => {
  const dir = tempDir(t)
  const layout = path.join(dir, 'layout')
  await writeOciLayout(layout, [{image: await multiLayerImage(), ref: 'multi'}])
  const {stdout: stat} = await run('umoci', ['stat', '--image', `${layout}:multi`])
  t.is(stat.match(/tspod test layer \d/g)?.length, 3)

  const bundle = path.join(dir, 'bundle')
  await run('umoci', ['unpack', ...(isRoot ? [] : ['--rootless']), '--image', `${layout}:multi`, bundle])
  const rootfs = path.join(bundle, 'rootfs')
  const at = (p: string) => path.join(rootfs, p)

  t.is(readlinkSync(at('bin/sh')), '/bin/busybox')
  t.is(readFileSync(at('data/keep.txt'), 'utf8'), 'keep\n')
  t.false(existsSync(at('data/gone.txt')))
  t.false(existsSync(at('data/.wh.gone.txt')))
  t.false(existsSync(at('opq/lower.txt')))
  t.is(readFileSync(at('opq/upper.txt'), 'utf8'), 'upper\n')
  t.is(statSync(at('data/setuid')).mode & 0o7777, 0o4755)
  t.is(statSync(at('tmp')).mode & 0o7777, 0o1777)

  const {stdout: echoed} = await run(at('bin/busybox'), ['echo', 'runs'])
  t.is(echoed, 'runs\n')
  if (isRoot) {
    t.is(statSync(at('data/user-owned.txt')).uid, 1234)
    t.is(statSync(at('home/user')).gid, 1234)
    const {stdout} = await run('chroot', [rootfs, '/bin/sh', '-c', 'grep ^user: /etc/passwd; ls /bin/sh'])
    t.is(stdout, 'user:x:1234:1234:user:/home/user:/bin/sh\n/bin/sh\n')
  }
})

test('skopeo reads the docker-archive written by writeDockerArchive', async (t) => {
  const dir = tempDir(t)
  const image = await multiLayerImage()
  const archive = path.join(dir, 'multi.docker.tar')
  await writeDockerArchive(archive, image, ['localhost/multi:latest'])

  const files = await listTar(readFileSync(archive))
  const manifest = JSON.parse(files.find((f) => f.path === 'manifest.json')!.content.toString())
  const layerNames = image.layers.map((l) => `${l.diffID.slice(7)}/layer.tar`)
  t.deepEqual(manifest, [{Config: `${image.configDigest.slice(7)}.json`, RepoTags: ['localhost/multi:latest'], Layers: layerNames}])
  t.deepEqual([...dockerArchiveFiles(image, []).keys()].sort(), ['manifest.json', `${image.configDigest.slice(7)}.json`, ...layerNames].sort())
  for (const [i, name] of layerNames.entries()) {
    t.is(sha256(files.find((f) => f.path === name)!.content), image.layers[i].diffID)
  }

  const seen = await skopeoInspect(`docker-archive:${archive}`)
  t.deepEqual(
    seen.Layers,
    image.layers.map((l) => l.diffID),
  )
  t.is(seen.Architecture, hostArchitecture())
  const {stdout: config} = await run('skopeo', ['inspect', '--config', '--raw', `docker-archive:${archive}`])
  t.is(config, image.config.toString())
})

test('every hostile case builds an image whose blobs match their digests', async (t) => {
  t.deepEqual(HOSTILE_KINDS, [
    'dotdot',
    'absolute-path',
    'symlink-escape-absolute',
    'symlink-escape-relative',
    'hardlink-outside',
    'whiteout-outside',
    'symlink-then-file-overwrite',
    'absurd-uid',
    'truncated-tar',
    'corrupt-gzip',
    'device-nodes',
  ])
  for (const kind of HOSTILE_KINDS) {
    t.true(HOSTILE_LAYERS[kind].description.length > 0)
    const image = await oddEntriesImage(kind)
    t.is(image.manifestDigest, sha256(image.manifest), kind)
    for (const layer of image.layers) t.is(layer.digest, sha256(layer.data), kind)
    const onBusybox = await oddEntriesImage(kind, {onBusybox: true})
    t.is(onBusybox.layers.length, image.layers.length + 1)
  }
})

test('hostile layers hold exactly the crafted entries', async (t) => {
  const entriesOf = async (kind: (typeof HOSTILE_KINDS)[number], layer = 0) =>
    listTar(layerTar((await oddEntriesImage(kind)).layers[layer]))

  t.deepEqual(
    (await entriesOf('dotdot')).map((e) => e.path),
    [`../${ESCAPE_MARKER}-dotdot`, 'sub/', `sub/../../${ESCAPE_MARKER}-dotdot-nested`],
  )
  t.deepEqual(
    (await entriesOf('absolute-path')).map((e) => e.path),
    [`/tmp/${ESCAPE_MARKER}-absolute`],
  )
  t.deepEqual(
    (await entriesOf('symlink-escape-absolute')).map((e) => [e.path, e.linkname]),
    [
      ['escape', '/tmp'],
      [`escape/${ESCAPE_MARKER}-symlink-absolute`, null],
    ],
  )
  t.regex((await entriesOf('symlink-escape-relative'))[1].linkname!, /^(\.\.\/)+tmp$/)
  t.deepEqual(
    (await entriesOf('hardlink-outside')).filter((e) => e.type === 'link').map((e) => e.linkname),
    ['../../../../../../../../../etc/passwd', '/etc/passwd', 'etc-link/passwd'],
  )
  t.true((await entriesOf('whiteout-outside')).every((e) => e.type === 'symlink' || e.path.includes(`.wh.${ESCAPE_MARKER}-victim`)))
  const overwrite = await oddEntriesImage('symlink-then-file-overwrite')
  t.is(overwrite.layers.length, 2)
  t.deepEqual(
    (await listTar(layerTar(overwrite.layers[1]))).map((e) => [e.path, e.type]),
    [
      ['overwrite', 'file'],
      ['same-layer', 'symlink'],
      ['same-layer', 'file'],
    ],
  )
  t.deepEqual(
    (await entriesOf('absurd-uid')).map((e) => [e.uid, e.gid]),
    [
      [4294967294, 4294967294],
      [100000, 100000],
    ],
  )
  t.deepEqual(
    (await entriesOf('device-nodes')).map((e) => [e.type, e.devmajor, e.devminor]),
    [
      ['directory', 0, 0],
      ['character-device', 1, 3],
      ['block-device', 8, 0],
      ['fifo', 0, 0],
      ['character-device', 0, 0],
    ],
  )

  const truncated = (await oddEntriesImage('truncated-tar')).layers[0]
  t.is(truncated.diffID, sha256(layerTar(truncated)))
  await t.throwsAsync(listTar(layerTar(truncated)))

  const corrupt = (await oddEntriesImage('corrupt-gzip')).layers[0]
  t.is(corrupt.mediaType, MEDIA_TYPE_OCI_LAYER_GZIP)
  t.throws(() => zlib.gunzipSync(corrupt.data))
})
