// tspod save as the rootless user: archives that load back with the same image ID, in tspod and
// in Podman, and that skopeo reads.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {leftovers} from '../helpers/image-sandbox'
import {multiLayerImage, writeOciArchive} from '../helpers/oci-image'
import {TEST_USER, lookupUser, removeTree, sandbox, tspod} from '../helpers/rootless'

async function loaded(t: {teardown(fn: () => unknown): void}) {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const image = await multiLayerImage()
  const archive = path.join(box.dir, 'in.tar')
  await writeOciArchive(archive, [{image, ref: 'localhost/multi:1'}])
  fs.chmodSync(archive, 0o644)
  const r = await tspod(box, ['load', '-q', '-i', archive])
  if (r.code !== 0) throw new Error(r.stderr)
  return {box, id: image.configDigest.slice(7)}
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
