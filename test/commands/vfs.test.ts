// The vfs storage driver, as the rootless user: full-tree layers, a container root copied from
// its image's top layer, and a store that keeps the driver it was made with.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot} from '../helpers/image-sandbox'
import {busyboxImage, multiLayerImage, writeOciArchive} from '../helpers/oci-image'
import {Sandbox, TEST_USER, lookupUser, removeTree, sandbox, tspod, tspodOk} from '../helpers/rootless'

const VFS = ['--storage-driver=vfs']

async function vfsSandbox(t: {teardown(fn: () => unknown): void}): Promise<Sandbox> {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const archive = path.join(box.dir, 'images.tar')
  await writeOciArchive(archive, [
    {image: await busyboxImage(), ref: 'localhost/busybox:latest'},
    {image: await multiLayerImage(), ref: 'localhost/multi:latest'},
  ])
  fs.chmodSync(archive, 0o644)
  await tspodOk(box, [...VFS, 'load', '-q', '-i', archive])
  return box
}

function layerDirs(box: Sandbox): string[] {
  const vfs = path.join(graphRoot(box), 'vfs')
  return fs.readdirSync(vfs).map((id) => path.join(vfs, id, 'dir'))
}

test('vfs: each layer a full tree with whiteouts applied; run, exec, rm and rmi on it', async (t) => {
  const box = await vfsSandbox(t)
  const root = graphRoot(box)
  t.false(fs.existsSync(path.join(root, 'overlay')))
  // busybox's layer is shared: 3 layers in all, each holding busybox; the top one of multi has
  // every file of the image and none that a whiteout removed, and no whiteout marker
  const dirs = layerDirs(box)
  t.is(dirs.length, 3)
  for (const dir of dirs) t.true(fs.existsSync(path.join(dir, 'bin', 'busybox')), dir)
  const top = dirs.find((d) => fs.existsSync(path.join(d, 'opq', 'upper.txt')))!
  t.truthy(top)
  t.true(fs.existsSync(path.join(top, 'opq', 'upper.txt')))
  t.false(fs.existsSync(path.join(top, 'data', 'gone.txt')))
  t.false(fs.existsSync(path.join(top, 'opq', 'lower.txt')))

  const run = await tspod(box, ['run', '--name', 'c1', 'localhost/multi', 'sh', '-c', 'ls /data /opq; stat -c %u /data/user-owned.txt; echo new > /data/keep.txt; mount | grep " / "'])
  t.is(run.code, 0, run.stderr)
  t.regex(run.stdout, /^\/data:\nkeep\.txt\nsetuid\nuser-owned\.txt\n\n\/opq:\nupper\.txt\n1234\n/)
  t.notRegex(run.stdout, / on \/ type overlay/)
  // the container wrote into its own copy, not into the layer
  t.is(fs.readFileSync(path.join(top, 'data', 'keep.txt'), 'utf8'), 'keep\n')
  const inspect = await tspod(box, ['container', 'inspect', '--format', '{{.GraphDriver.Name}} {{.Driver}}', 'c1'])
  t.is(inspect.stdout, 'vfs vfs\n')

  // a later command needs no --storage-driver: the store keeps its driver
  const started = await tspod(box, ['run', '-d', '--name', 'c2', 'localhost/busybox', 'sleep', '100'])
  t.is(started.code, 0, started.stderr)
  const exec = await tspod(box, ['exec', 'c2', 'cat', '/etc/hostname'])
  t.is(exec.code, 0, exec.stderr)
  t.is((await tspod(box, ['rm', '-f', '-t', '0', 'c1', 'c2'])).code, 0)
  t.deepEqual(fs.readdirSync(path.join(root, 'containers')), [])
  t.is((await tspod(box, ['rmi', '-a'])).code, 0)
  t.deepEqual(fs.readdirSync(path.join(root, 'vfs')), [])
})

test('vfs: a store keeps the driver and volume path it was made with; bad drivers and options fail with 125', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const other = path.join(box.dir, 'other-root')
  const volumes = path.join(box.dir, 'vols')
  const info = await tspod(box, [...VFS, '--root', other, '--volumepath', volumes, 'info', '--format', '{{.Store.GraphDriverName}} {{.Store.GraphOptions}} {{.Store.VolumePath}}'])
  t.is(info.code, 0, info.stderr)
  t.is(info.stdout, `vfs map[] ${volumes}\n`)

  const overlay = await tspod(box, ['--storage-driver=overlay', '--root', other, '--volumepath', volumes, 'images'])
  t.is(overlay.code, 125)
  t.is(overlay.stderr, 'Error: database storage graph driver "vfs" does not match our storage graph driver "overlay": database configuration mismatch\n')
  const vols = await tspod(box, ['--root', other, 'images'])
  t.is(vols.code, 125)
  t.regex(vols.stderr, /^Error: database volume path ".*\/vols" does not match our volume path ".*\/other-root\/volumes": database configuration mismatch\n$/)

  const unknown = await tspod(box, ['--storage-driver=btrfs', '--root', path.join(box.dir, 'third'), 'images'])
  t.is(unknown.code, 125)
  t.regex(unknown.stderr, /^Error: failed to GetDriver graph btrfs .*\/third: driver not supported\n$/)
  const opt = await tspod(box, [...VFS, '--storage-opt', 'vfs.foo=1', '--root', path.join(box.dir, 'fourth'), 'info'])
  t.is(opt.code, 125)
  t.is(opt.stderr, 'Error: vfs driver does not support foo options\n')
  const chown = await tspod(box, [...VFS, '--storage-opt', 'vfs.ignore_chown_errors=true', '--root', path.join(box.dir, 'fourth'), 'info', '--format', '{{.Store.GraphOptions}}'])
  t.is(chown.stdout, 'map[vfs.ignore_chown_errors:true]\n')
})

// what the layer's own diff names is checked; entries its parent gave it are checked in the parent
test('vfs: system check compares each full-tree layer with its blob; --repair rebuilds it on its parent', async (t) => {
  const box = await vfsSandbox(t)
  const clean = await tspod(box, ['system', 'check'])
  t.is(clean.code, 0, clean.stdout + clean.stderr)
  const top = layerDirs(box).find((d) => fs.existsSync(path.join(d, 'opq', 'upper.txt')))!
  fs.rmSync(path.join(top, 'opq', 'upper.txt'))
  fs.writeFileSync(path.join(top, 'data', 'gone.txt'), 'back\n')
  fs.writeFileSync(path.join(top, 'opq', 'lower.txt'), 'back\n')
  const check = await tspod(box, ['system', 'check'])
  t.is(check.code, 1, check.stderr)
  t.regex(check.stdout, /opq\/upper\.txt: missing/)
  t.regex(check.stdout, /data\/gone\.txt: a file, expected removed by a whiteout/)
  t.regex(check.stdout, /opq\/lower\.txt: not in the layer/)
  const repair = await tspod(box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  t.true(fs.existsSync(path.join(top, 'opq', 'upper.txt')))
  t.false(fs.existsSync(path.join(top, 'data', 'gone.txt')))
  t.false(fs.existsSync(path.join(top, 'opq', 'lower.txt')))
  t.true(fs.existsSync(path.join(top, 'bin', 'busybox')))
  t.is((await tspod(box, ['system', 'check'])).code, 0)
})
