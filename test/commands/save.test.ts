// tspod save as the rootless user: archives that load back with the same image ID, in tspod and
// in Podman, and that skopeo reads.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {leftovers} from '../helpers/image-sandbox'
import {busyboxImage, multiLayerImage, writeDockerArchive, writeOciArchive} from '../helpers/oci-image'
import {TEST_USER, TSPOD_BIN, lookupUser, removeTree, runAs, sandbox, tspod, tspodOk} from '../helpers/rootless'

async function loaded(t: {teardown(fn: () => unknown): void}) {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const image = await multiLayerImage()
  const archive = path.join(box.dir, 'in.tar')
  await writeOciArchive(archive, [{image, ref: 'localhost/multi:1'}])
  fs.chmodSync(archive, 0o644)
  await tspodOk(box, ['load', '-q', '-i', archive])
  return {box, id: image.configDigest.slice(7)}
}

/** busybox loaded into BOX as localhost/bb:1 */
async function loadBusybox(box: ReturnType<typeof sandbox>) {
  const busybox = await busyboxImage()
  const dockerTar = path.join(box.dir, 'busybox.tar')
  await writeDockerArchive(dockerTar, busybox, ['localhost/bb:1'])
  fs.chmodSync(dockerTar, 0o644)
  await tspodOk(box, ['load', '-q', '-i', dockerTar])
  return busybox
}

test('save docker-archive, oci-archive and oci-dir; each loads back with the same ID and name', async (t) => {
  const {box, id} = await loaded(t)
  for (const format of ['docker-archive', 'oci-archive', 'oci-dir']) {
    const out = path.join(box.dir, `out-${format}`)
    const save = await tspod(box, ['save', '-q', '--format', format, '-o', out, 'localhost/multi:1'])
    t.is(save.code, 0, save.stderr)
    const other = sandbox(box.user)
    t.teardown(() => removeTree(other.dir))
    const load = format === 'oci-dir' ? await tspod(other, ['pull', '-q', `oci:${out}`]) : await tspod(other, ['load', '-q', '-i', out])
    t.is(load.code, 0, load.stderr)
    const ids = await tspod(other, ['images', '--format', '{{.Id}} {{.Repository}}:{{.Tag}}'])
    t.is(ids.stdout, `${id} localhost/multi:1\n`, format)
  }
  t.deepEqual(leftovers(box), [])
  const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${path.join(box.dir, 'out-docker-archive')}`]).toString())
  t.is(inspected.Layers.length, 3)
})

test('save to redirected stdout; errors are one line with exit 125', async (t) => {
  const {box, id} = await loaded(t)
  const stdout = await tspod(box, ['save', 'localhost/multi:1'])
  t.is(stdout.code, 0, stdout.stderr)
  t.true(stdout.stdout.length > 10_000)
  const missing = await tspod(box, ['save', '-o', path.join(box.dir, 'x.tar'), 'nothere'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: nothere: image not known\n')
  t.false(fs.existsSync(path.join(box.dir, 'x.tar')))
  t.is((await tspod(box, ['images', '-q', '--no-trunc'])).stdout, `sha256:${id}\n`)
})

test('Podman loads what tspod saved, with the same image ID', async (t) => {
  const {box, id} = await loaded(t)
  const out = path.join(box.dir, 'for-podman.tar')
  t.is((await tspod(box, ['save', '-q', '-o', out, 'localhost/multi:1'])).code, 0)
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-podman-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  const podman = ['--root', `${root}/root`, '--runroot', `${root}/run`, '--storage-driver', 'vfs', '--events-backend', 'file', '--cgroup-manager', 'cgroupfs']
  execFileSync('podman', [...podman, 'load', '-q', '-i', out], {stdio: 'ignore'})
  const podmanId = execFileSync('podman', [...podman, 'images', '--no-trunc', '--format', '{{.ID}}']).toString().trim()
  t.is(podmanId, `sha256:${id}`)
})

test('save -m pipes several images into one archive that load reads from stdin, every image and name', async (t) => {
  const {box, id} = await loaded(t)
  const busybox = await loadBusybox(box)
  t.is((await tspod(box, ['tag', 'localhost/bb:1', 'localhost/bb:2'])).code, 0)

  const other = sandbox(box.user)
  t.teardown(() => removeTree(other.dir))
  const tspodIn = (b: typeof box) => `XDG_DATA_HOME=${b.env.XDG_DATA_HOME} XDG_CONFIG_HOME=${b.env.XDG_CONFIG_HOME} ${process.execPath} ${TSPOD_BIN}`
  const piped = await runAs(box.user, ['sh', '-c', `${tspodIn(box)} save -m localhost/multi:1 localhost/bb:1 localhost/bb:2 | ${tspodIn(other)} load`])
  t.is(piped.code, 0, piped.stderr)
  t.deepEqual(piped.stdout.split('\n').filter(Boolean).sort(), ['Loaded image: localhost/bb:1', 'Loaded image: localhost/bb:2', 'Loaded image: localhost/multi:1'])
  const images = await tspod(other, ['images', '--format', '{{.Id}} {{.Repository}}:{{.Tag}}'])
  const bb = busybox.configDigest.slice(7)
  t.deepEqual(images.stdout.split('\n').filter(Boolean).sort(), [`${bb} localhost/bb:1`, `${bb} localhost/bb:2`, `${id} localhost/multi:1`].sort())

  // without -m the names after the first are more tags of the first image
  const tagsOut = path.join(box.dir, 'tags.tar')
  const tagged = await tspod(box, ['save', '-q', '-o', tagsOut, 'localhost/bb:1', 'localhost/more:tag'])
  t.is(tagged.code, 0, tagged.stderr)
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', tagsOut, 'manifest.json']).toString())
  t.deepEqual(manifest.map((item: {RepoTags: string[]}) => item.RepoTags), [['localhost/bb:1', 'localhost/more:tag']])

  const notDocker = await tspod(box, ['save', '-m', '--format', 'oci-archive', '-o', path.join(box.dir, 'x.tar'), 'localhost/multi:1', 'localhost/bb:1'])
  t.is(notDocker.code, 125)
  t.is(notDocker.stderr, 'Error: unsupported format "oci-archive" for saving multiple images (only docker-archive)\n')
  t.false(fs.existsSync(path.join(box.dir, 'x.tar')))
  t.deepEqual(leftovers(box), [])
})

test('save by a short image ID writes no name: load (from -i or stdin) gives the same ID, untagged', async (t) => {
  const {box, id} = await loaded(t)
  const out = path.join(box.dir, 'by-id.tar')
  t.is((await tspod(box, ['save', '-q', '-o', out, id.slice(0, 12)])).code, 0)
  for (const input of ['file', 'stdin']) {
    const other = sandbox(box.user)
    t.teardown(() => removeTree(other.dir))
    const load = input === 'file' ? await tspod(other, ['load', '-i', out]) : await tspod(other, ['image', 'load'], {input: fs.readFileSync(out)})
    t.is(load.code, 0, load.stderr)
    t.is(load.stdout, `Loaded image: sha256:${id}\n`, input)
    t.is((await tspod(other, ['images', '-a', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'])).stdout, `${id.slice(0, 12)} <none>:<none>\n`, input)
  }
})

test('save --uncompressed to an oci-archive keeps uncompressed layers as plain tar blobs', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  await loadBusybox(box)
  const out = path.join(box.dir, 'oci.tar')
  const save = await tspod(box, ['save', '-q', '--format', 'oci-archive', '--uncompressed', '-o', out, 'localhost/bb:1'])
  t.is(save.code, 0, save.stderr)
  const untar = path.join(box.dir, 'untar')
  fs.mkdirSync(untar)
  execFileSync('tar', ['-C', untar, '-xf', out])
  const index = JSON.parse(fs.readFileSync(path.join(untar, 'index.json'), 'utf8'))
  const manifest = JSON.parse(fs.readFileSync(path.join(untar, 'blobs', ...index.manifests[0].digest.split(':')), 'utf8'))
  t.true(manifest.layers.length > 0)
  for (const layer of manifest.layers) {
    const blob = fs.readFileSync(path.join(untar, 'blobs', ...layer.digest.split(':')))
    t.is(blob.subarray(257, 262).toString(), 'ustar', layer.digest)
  }
})

test('save --uncompressed writes gzip layers as their tar (DiffID blobs, tar media type); the image loads back with its ID', async (t) => {
  const {box, id} = await loaded(t)
  const out = path.join(box.dir, 'oci.tar')
  const save = await tspod(box, ['save', '-q', '--format', 'oci-archive', '--uncompressed', '-o', out, 'localhost/multi:1'])
  t.is(save.code, 0, save.stderr)
  const untar = path.join(box.dir, 'untar')
  fs.mkdirSync(untar)
  execFileSync('tar', ['-C', untar, '-xf', out])
  const index = JSON.parse(fs.readFileSync(path.join(untar, 'index.json'), 'utf8'))
  const manifest = JSON.parse(fs.readFileSync(path.join(untar, 'blobs', ...index.manifests[0].digest.split(':')), 'utf8'))
  const config = JSON.parse(fs.readFileSync(path.join(untar, 'blobs', ...manifest.config.digest.split(':')), 'utf8'))
  t.deepEqual(manifest.layers.map((l: {digest: string}) => l.digest), config.rootfs.diff_ids)
  for (const layer of manifest.layers) {
    t.is(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar')
    const blob = fs.readFileSync(path.join(untar, 'blobs', ...layer.digest.split(':')))
    t.is(blob.length, layer.size)
    t.is(blob.subarray(257, 262).toString(), 'ustar', layer.digest)
  }
  const other = sandbox(box.user)
  t.teardown(() => removeTree(other.dir))
  t.is((await tspod(other, ['load', '-q', '-i', out])).code, 0)
  t.is((await tspod(other, ['images', '--format', '{{.Id}}'])).stdout, `${id}\n`)
})

test('Podman loads a multi-image archive tspod saved: every image, ID and name', async (t) => {
  const {box, id} = await loaded(t)
  const busybox = await loadBusybox(box)
  const out = path.join(box.dir, 'multi-for-podman.tar')
  const save = await tspod(box, ['save', '-q', '-m', '-o', out, 'localhost/multi:1', 'localhost/bb:1'])
  t.is(save.code, 0, save.stderr)
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-podman-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  const podman = ['--root', `${root}/root`, '--runroot', `${root}/run`, '--storage-driver', 'vfs', '--events-backend', 'file', '--cgroup-manager', 'cgroupfs']
  execFileSync('podman', [...podman, 'load', '-q', '-i', out], {stdio: 'ignore'})
  const listed = execFileSync('podman', [...podman, 'images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']).toString()
  t.deepEqual(listed.split('\n').filter(Boolean).sort(), [`sha256:${busybox.configDigest.slice(7)} localhost/bb:1`, `sha256:${id} localhost/multi:1`].sort())
})

test('save without -o to a terminal and load from a terminal stdin refuse, exit 125, as Podman does', async (t) => {
  const {box} = await loaded(t)
  const cli = `XDG_DATA_HOME=${box.env.XDG_DATA_HOME} XDG_CONFIG_HOME=${box.env.XDG_CONFIG_HOME} ${process.execPath} ${TSPOD_BIN}`
  const onTerminal = (args: string) => runAs(box.user, ['script', '-qec', `${cli} ${args}`, '/dev/null'])
  const save = await onTerminal('save localhost/multi:1')
  t.is(save.code, 125)
  t.is(save.stdout.replace(/\r/g, ''), 'Error: refusing to save to terminal. Use -o flag or redirect\n')
  const load = await onTerminal('load')
  t.is(load.code, 125)
  t.is(load.stdout.replace(/\r/g, ''), 'Error: cannot read from terminal, use command-line redirection or the --input flag\n')
})
