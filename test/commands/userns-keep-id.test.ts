// --userns=keep-id through the CLI, as the rootless user: the container runs as the user's own
// uid but sees the image's files with the owners the default mapping shows, through a copy of
// the image's layers chowned for its mapping, shared by such containers and removed with the image.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, leftovers, sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, tspod, tspodOk as ok} from '../helpers/rootless'

function copies(box: Sandbox): string[] {
  const dir = path.join(graphRoot(box), 'mapped-layers')
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []
}

const OWNERS = 'stat -c "%u:%g %a %n" / /bin/busybox /root /etc/hostname /home/user /data/user-owned.txt /data/setuid; ls /data /opq'

test('keep-id: the user\'s own uid inside, the image\'s files with the owners the default mapping shows', async (t) => {
  const box = await sandboxWithImages(t)
  const expected = [
    // a layer's root is 0555, as containers-storage makes it
    '0:0 555 /',
    '0:0 755 /bin/busybox',
    '0:0 700 /root',
    // a file tspod binds in, not the image's: the container's root's, as Podman chowns it
    '0:0 644 /etc/hostname',
    '1234:1234 755 /home/user',
    '1234:1234 644 /data/user-owned.txt',
    '0:0 4755 /data/setuid',
    // the upper layer's whiteout and opaque dir apply in the copy too
    '/data:',
    'keep.txt',
    'setuid',
    'user-owned.txt',
    '',
    '/opq:',
    'upper.txt',
  ]
  const keepId = await ok(box, ['run', '--rm', '--userns=keep-id', 'localhost/multi', 'sh', '-c', `id -u; id -g; ${OWNERS}`])
  t.deepEqual(keepId.trimEnd().split('\n'), [String(box.user.uid), String(box.user.gid), ...expected])

  // under the default mapping the user is root; the same owners
  const plain = await ok(box, ['run', '--rm', 'localhost/multi', 'sh', '-c', `id -u; ${OWNERS}`])
  t.deepEqual(plain.trimEnd().split('\n'), ['0', ...expected])
  // every file tspod binds in is the container root's, as in Podman (passwd and group: keep-id adds the user)
  t.is(await ok(box, ['run', '--rm', '--userns=keep-id', 'localhost/multi', 'stat', '-c', '%u:%g', '/etc/hosts', '/etc/resolv.conf', '/etc/passwd', '/etc/group']), '0:0\n0:0\n0:0\n0:0\n')
  // the setuid file runs and the user may write to its own files only
  t.is(await ok(box, ['run', '--rm', '--userns=keep-id', 'localhost/multi', 'sh', '-c', '/data/setuid; touch /data/keep.txt 2>/dev/null || echo denied']), 'setuid\ndenied\n')
})

test('keep-id with --runtime crun and runc: a user namespace nested in tspod\'s, the same ids and owners as the native runtime, no warning', async (t) => {
  const box = await sandboxWithImages(t)
  const script = `id -u; id -g; ${OWNERS}; cat /proc/self/setgroups`
  const native = await tspod(box, ['run', '--rm', '--userns=keep-id', 'localhost/multi', 'sh', '-c', script])
  t.is(native.code, 0, native.stderr)
  for (const runtime of ['crun', 'runc']) {
    const r = await tspod(box, ['--runtime', runtime, 'run', '--rm', '--userns=keep-id', 'localhost/multi', 'sh', '-c', script])
    t.is(r.code, 0, r.stderr)
    t.is(r.stdout, native.stdout, runtime)
    t.is(r.stderr, '', runtime)
  }
})

test('keep-id with --runtime crun: the user\'s dirs above the store made searchable as Podman makes them; a dir the user cannot change is refused before crun runs, naming it (crun#1777)', async (t) => {
  const box = await sandboxWithImages(t)
  // the sandbox dir, above the store: the user's, group root, 0700; Podman (makeAccessible) adds --x--x--x
  fs.chownSync(box.dir, box.user.uid, 0)
  fs.chmodSync(box.dir, 0o700)
  t.is(await ok(box, ['--runtime', 'crun', 'run', '--rm', '--userns=keep-id', 'busybox', 'id', '-u']), `${box.user.uid}\n`)
  t.is(fs.statSync(box.dir).mode & 0o777, 0o711)
  // root's, the user passes through its group only: neither the user nor the container's root may change it
  fs.chownSync(box.dir, 0, box.user.gid)
  fs.chmodSync(box.dir, 0o750)
  t.teardown(() => fs.chownSync(box.dir, box.user.uid, box.user.gid))
  const native = await tspod(box, ['run', '--rm', '--userns=keep-id', 'busybox', 'id', '-u'])
  t.is(native.code, 0, native.stderr)
  const r = await tspod(box, ['--runtime', 'crun', 'run', '--rm', '--userns=keep-id', 'busybox', 'id', '-u'])
  t.is(r.code, 125)
  t.true(r.stderr.startsWith(`Error: ${box.dir} (owner root:${box.user.name}, ids 0:${box.user.gid}, mode 0750) is not searchable by the container's root in a user namespace of its own (--userns=keep-id, nomap, auto): `), r.stderr)
  t.regex(r.stderr, /chmod o\+x /)
  t.is(r.stderr.trimEnd().split('\n').length, 1)
  t.is(await ok(box, ['ps', '-a', '-q']), '')
  // the default mapping has no nested namespace: crun runs as the user, in the dir's group
  t.is(await ok(box, ['--runtime', 'crun', 'run', '--rm', 'busybox', 'id', '-u']), '0\n')
})

test('keep-id with a named volume: it belongs to the user\'s own uid, which writes to it, with tspod\'s runtime and with crun', async (t) => {
  const box = await sandboxWithImages(t)
  const r = await tspod(box, ['run', '--rm', '--userns=keep-id', '-v', 'kv:/data', 'busybox', 'sh', '-c', 'stat -c %u:%g /data; touch /data/mine; stat -c %u:%g /data/mine'])
  const ids = `${box.user.uid}:${box.user.gid}`
  t.deepEqual([r.code, r.stdout, r.stderr], [0, `${ids}\n${ids}\n`, ''])
  t.is(fs.statSync(path.join(graphRoot(box), 'volumes', 'kv', '_data', 'mine')).uid, box.user.uid, 'the user\'s own file on the host')
  const crun = await tspod(box, ['--runtime', 'crun', 'run', '--rm', '--userns=keep-id', '-v', 'kv:/data', 'busybox', 'sh', '-c', 'touch /data/again; stat -c %u:%g /data/again'])
  t.deepEqual([crun.code, crun.stdout, crun.stderr], [0, `${ids}\n`, ''])
})

test('keep-id containers share one copy of the layers; the default mapping uses none; rmi removes the copy', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'plain', 'localhost/multi', 'true'])
  t.deepEqual(copies(box), [], 'the default mapping makes no copy')
  const overlay = path.join(graphRoot(box), 'overlay')
  const plainLower = (await ok(box, ['inspect', '--format', '{{.GraphDriver.Data.LowerDir}}', 'plain'])).trim().split(':')
  t.is(plainLower.length, 3)
  t.true(plainLower.every((d) => d.startsWith(`${overlay}/`) && d.endsWith('/diff')))

  await ok(box, ['create', '--userns=keep-id', '--name', 'k1', 'localhost/multi', 'true'])
  await ok(box, ['run', '-d', '--userns=keep-id', '--name', 'k2', 'localhost/multi', 'sleep', '1000'])
  const [copy] = copies(box)
  t.deepEqual(copies(box), [copy], 'one copy for both')
  const copyDir = path.join(graphRoot(box), 'mapped-layers', copy)
  for (const name of ['k1', 'k2']) {
    const lower = (await ok(box, ['inspect', '--format', '{{.GraphDriver.Data.LowerDir}}', name])).trim()
    t.is(lower, ['2', '1', '0'].map((n) => path.join(copyDir, n)).join(':'), name)
  }
  // exec finds the same owners
  t.is(await ok(box, ['exec', 'k2', 'stat', '-c', '%u:%g', '/bin/busybox', '/data/user-owned.txt']), '0:0\n1234:1234\n')
  t.is(await ok(box, ['start', '-a', 'k1']), '')

  // busybox's own copy is another one, kept when multi goes
  await ok(box, ['create', '--userns=keep-id', '--name', 'k3', 'localhost/busybox', 'true'])
  t.is(copies(box).length, 2)
  const inUse = await tspod(box, ['rmi', 'localhost/multi'])
  t.is(inUse.code, 2)
  t.is(copies(box).length, 2, 'an image in use keeps its copy')
  await ok(box, ['rm', '-f', '-t', '0', 'plain', 'k1', 'k2'])
  await ok(box, ['rmi', 'localhost/multi'])
  const left = copies(box)
  t.is(left.length, 1)
  t.not(left[0], copy)
  await ok(box, ['rmi', '-f', 'localhost/busybox'])
  t.deepEqual(copies(box), [])
  t.deepEqual(leftovers(box), [])
})

test('exec --user NAME finds the user keep-id added to the container\'s /etc/passwd', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['run', '-d', '--userns=keep-id', 'busybox', 'sleep', '60'])).trim()
  const me = (await ok(box, ['exec', id, 'id', '-un'])).trim()
  t.is(await ok(box, ['exec', '--user', me, id, 'id', '-un']), `${me}\n`)
  await ok(box, ['rm', '-t', '0', '-f', id])
})
