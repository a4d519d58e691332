// Hole 3 of issue 10 (CVE-2024-21626 class): a working directory through /proc/self/fd leads out
// of the container's root when the process entering it holds a host directory open. The attack,
// for real: tspod is started holding a host directory on fd 3 (as runc once leaked one of its
// own), and `-w`, an image's WorkingDir and `exec -w` name /proc/self/fd/3, or another magic link
// directly or through a symlink in the image. Each is refused with one line and exit 126, and
// nothing of the host directory is read.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {DEFAULT_CONFIG, busyboxLayer, buildImage, writeOciArchive} from '../helpers/oci-image'
import {Sandbox, tspod, tspodOk} from '../helpers/rootless'

const SECRET = 'host secret'
const SHOW = ['sh', '-c', 'pwd; cat secret; ls ..']

const MAGIC = /^Error: chdir to `[^`]+`: the working directory goes through a \/proc magic link \(such as \/proc\/self\/fd\/N\), which can lead out of the container: refused\n$/
// fd 3 is closed in the container: its chdir fails as a missing directory, in Podman's words
const REFUSED = /^Error: (chdir to `\/proc\/self\/fd\/3`: [^\n]+|workdir "\/proc\/self\/fd\/3" does not exist on container)\n$/

/** A host directory holding a secret, open on an fd to hand to tspod as its fd 3. */
function hostDirFd(t: {teardown(fn: () => unknown): void}, box: Sandbox): number {
  const dir = path.join(box.dir, 'host-dir')
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, 'secret'), SECRET)
  fs.chownSync(dir, box.user.uid, box.user.gid)
  const fd = fs.openSync(dir, 'r')
  t.teardown(() => fs.closeSync(fd))
  return fd
}

async function loadWorkdirImages(box: Sandbox): Promise<void> {
  const layer = await busyboxLayer()
  const viaFd = await buildImage({layers: [layer], config: {...DEFAULT_CONFIG, WorkingDir: '/proc/self/fd/3'}})
  const viaSymlink = await buildImage({
    layers: [layer, [{path: 'work', type: 'symlink', linkname: '/proc/self/fd/0'}]],
    config: {...DEFAULT_CONFIG, WorkingDir: '/work'},
  })
  const archive = path.join(box.dir, 'workdir-images.tar')
  await writeOciArchive(archive, [
    {image: viaFd, ref: 'localhost/workdir-fd:latest'},
    {image: viaSymlink, ref: 'localhost/workdir-link:latest'},
  ])
  fs.chmodSync(archive, 0o644)
  await tspodOk(box, ['load', '-q', '-i', archive])
}

function assertRefused(t: import('ava').ExecutionContext, r: {code: number | null; stdout: string; stderr: string}, message: RegExp): void {
  t.is(r.code, 126, r.stdout + r.stderr)
  t.regex(r.stderr, message)
  t.false(r.stdout.includes(SECRET))
  t.is(r.stdout, '')
}

test('run -w /proc/self/fd/N is refused, with a host directory open on N or a magic link to anything else', async (t) => {
  const box = await sandboxWithImages(t)
  const fd = hostDirFd(t, box)
  assertRefused(t, await tspod(box, ['run', '--rm', '-w', '/proc/self/fd/3', 'busybox', ...SHOW], {extraFds: [fd]}), REFUSED)
  assertRefused(t, await tspod(box, ['run', '--rm', '-w', '/proc/self/fd/0', 'busybox', ...SHOW]), MAGIC)
  assertRefused(t, await tspod(box, ['run', '--rm', '-w', '/proc/self/cwd', 'busybox', ...SHOW]), MAGIC)
  // a working dir of the container's own stays fine
  const fine = await tspod(box, ['run', '--rm', '-w', '/tmp', 'busybox', 'pwd'])
  t.is(fine.code, 0, fine.stderr)
  t.is(fine.stdout, '/tmp\n')
})

test('an image WorkingDir through /proc/self/fd, directly or by a symlink in the image, is refused', async (t) => {
  const box = await sandboxWithImages(t)
  await loadWorkdirImages(box)
  const fd = hostDirFd(t, box)
  assertRefused(t, await tspod(box, ['run', '--rm', 'workdir-fd', ...SHOW], {extraFds: [fd]}), REFUSED)
  assertRefused(t, await tspod(box, ['run', '--rm', 'workdir-link', ...SHOW], {extraFds: [fd]}), MAGIC)
})

test('exec -w /proc/self/fd/N is refused', async (t) => {
  const box = await sandboxWithImages(t)
  const fd = hostDirFd(t, box)
  const run = await tspod(box, ['run', '-d', '--name', 'target', 'busybox', 'sleep', '1000'])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'target']))
  assertRefused(t, await tspod(box, ['exec', '-w', '/proc/self/fd/3', 'target', ...SHOW], {extraFds: [fd]}), REFUSED)
  assertRefused(t, await tspod(box, ['exec', '-w', '/proc/self/fd/1', 'target', ...SHOW]), MAGIC)
  const fine = await tspod(box, ['exec', '-w', '/tmp', 'target', 'pwd'])
  t.is(fine.stdout, '/tmp\n', fine.stderr)
})
