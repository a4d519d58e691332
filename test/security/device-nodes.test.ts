// Item 6 of issue 10: run as real root, a container opens only the devices it is given. The
// attack is mounted for real: a loop device over a file with known bytes, and an image whose
// layer ships a block device node with that loop device's numbers (and /dev/mem's, c 1 1), in
// the rootfs and in a VOLUME dir. The image's nodes are created as real nodes, as containers-storage
// creates them; tspod has no device cgroup, so the rootfs and the fresh /dev are nodev.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {buildImage, busyboxLayer, DEFAULT_CONFIG, writeOciArchive} from '../helpers/oci-image'
import {RunResult, TSPOD_BIN, lookupUser, removeTree, runAs} from '../helpers/rootless'

const root = lookupUser('root')
const SECRET = `tspod-device-secret-${process.pid}`

interface Disk {
  file: string
  loop: string
  major: number
  minor: number
}

let dir: string
let disk: Disk

function devNumbers(rdev: number): {major: number; minor: number} {
  return {major: Math.floor(rdev / 256) & 0xfff, minor: (rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00)}
}

test.before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-devices-'))
  const file = path.join(dir, 'disk.img')
  const bytes = Buffer.alloc(1024 * 1024)
  bytes.write(SECRET)
  fs.writeFileSync(file, bytes)
  const loop = execFileSync('losetup', ['--find', '--show', file], {encoding: 'utf8'}).trim()
  disk = {file, loop, ...devNumbers(fs.statSync(loop).rdev)}
  const image = await buildImage({
    layers: [
      await busyboxLayer(),
      [
        {path: 'disk', type: 'block', devmajor: disk.major, devminor: disk.minor, mode: 0o666},
        {path: 'mem', type: 'char', devmajor: 1, devminor: 1, mode: 0o666},
        {path: 'data/', type: 'dir'},
        {path: 'data/disk', type: 'block', devmajor: disk.major, devminor: disk.minor, mode: 0o666},
        {path: 'data/keep.txt', type: 'file', content: 'kept\n'},
      ],
    ],
    config: {...DEFAULT_CONFIG, Volumes: {'/data': {}}},
  })
  await writeOciArchive(path.join(dir, 'devices.tar'), [{image, ref: 'localhost/devices:latest'}])
  const load = await tspodAsRoot(['load', '-q', '-i', path.join(dir, 'devices.tar')])
  if (load.code !== 0) throw new Error(load.stderr)
})

test.after.always(() => {
  if (disk) execFileSync('losetup', ['--detach', disk.loop])
  if (dir) removeTree(dir)
})

/** tspod as real root, with a store of its own under the test's dir. */
function tspodAsRoot(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runAs(root, [process.execPath, TSPOD_BIN, '--root', path.join(dir, 'graph'), '--runroot', path.join(dir, 'run'), ...args], {env})
}

/** Shell lines that read and write a node and print what happened. */
function tryNode(node: string): string {
  return `if head -c 64 ${node} >/dev/null 2>&1; then echo "${node} read"; else echo "${node} no read"; fi; if printf X 2>/dev/null >${node}; then echo "${node} write"; else echo "${node} no write"; fi`
}

function diskIntact(): boolean {
  return fs.readFileSync(disk.file).subarray(0, SECRET.length).toString() === SECRET
}

test("an image's block and char device nodes exist as in Podman but cannot be opened, read or written", async (t) => {
  const r = await tspodAsRoot(['run', '--rm', 'devices', 'sh', '-c', `stat -c '%F %t:%T' /disk /mem; head -c 64 /disk; ${tryNode('/disk')}; ${tryNode('/mem')}`])
  t.is(r.code, 0, r.stderr)
  t.false(r.stdout.includes(SECRET), 'the host disk was read through the image node')
  const lines = r.stdout.trim().split('\n')
  t.deepEqual(lines, [
    `block special file ${disk.major.toString(16)}:${disk.minor.toString(16)}`,
    'character special file 1:1',
    '/disk no read',
    '/disk no write',
    '/mem no read',
    '/mem no write',
  ])
  t.regex(r.stderr, /head: \/disk: Permission denied/)
  t.true(diskIntact())
})

test("with fuse-overlayfs as the rootfs (storage.conf's mount_program), the image's node cannot be opened either", async (t) => {
  const conf = path.join(dir, 'fuse-storage.conf')
  fs.writeFileSync(conf, '[storage]\ndriver = "overlay"\n\n[storage.options.overlay]\nmount_program = "/usr/bin/fuse-overlayfs"\n')
  const r = await tspodAsRoot(['run', '--rm', 'devices', 'sh', '-c', `mount | grep -c '^fuse-overlayfs on / type fuse.fuse-overlayfs (.*nodev'; ${tryNode('/disk')}`], {TSPOD_STORAGE_CONF: conf})
  t.is(r.code, 0, r.stderr)
  t.deepEqual(r.stdout.trim().split('\n'), ['1', '/disk no read', '/disk no write'])
  t.true(diskIntact())
})

test('a node made in the container with CAP_MKNOD, in / or in /dev, cannot be opened', async (t) => {
  const make = `mknod /made b ${disk.major} ${disk.minor} && mknod /dev/made b ${disk.major} ${disk.minor} && mknod /dev/mem c 1 1`
  const r = await tspodAsRoot(['run', '--rm', '--cap-add', 'MKNOD', 'devices', 'sh', '-c', `${make} && ${tryNode('/made')}; ${tryNode('/dev/made')}; ${tryNode('/dev/mem')}`])
  t.is(r.code, 0, r.stderr)
  t.deepEqual(r.stdout.trim().split('\n'), ['/made no read', '/made no write', '/dev/made no read', '/dev/made no write', '/dev/mem no read', '/dev/mem no write'])
  t.true(diskIntact())
})

test("a volume copied up from the image's VOLUME dir gets none of its device nodes, even mounted dev", async (t) => {
  const named = await tspodAsRoot(['run', '--rm', '-v', 'devvol:/data:dev', 'devices', 'sh', '-c', 'ls /data; test -e /data/disk || echo no disk'])
  t.is(named.code, 0, named.stderr)
  t.deepEqual(named.stdout.trim().split('\n'), ['keep.txt', 'no disk'])
  const anonymous = await tspodAsRoot(['run', '--rm', 'devices', 'sh', '-c', 'ls /data; test -e /data/disk || echo no disk'])
  t.is(anonymous.code, 0, anonymous.stderr)
  t.deepEqual(anonymous.stdout.trim().split('\n'), ['keep.txt', 'no disk'])
  t.is((await tspodAsRoot(['volume', 'rm', 'devvol'])).code, 0)
  t.true(diskIntact())
})

test('with --runtime runc as root: the device cgroup denies image nodes and made ones, allows the defaults and --device', async (t) => {
  const make = `mknod /dev/made b ${disk.major} ${disk.minor}`
  const r = await tspodAsRoot(['run', '--rm', '--runtime', 'runc', '--cap-add', 'MKNOD', 'devices', 'sh', '-c', `${make} && ${tryNode('/disk')}; ${tryNode('/dev/made')}; echo x >/dev/null && echo null`])
  t.is(r.code, 0, r.stderr)
  t.deepEqual(r.stdout.trim().split('\n'), ['/disk no read', '/disk no write', '/dev/made no read', '/dev/made no write', 'null'])
  const given = await tspodAsRoot(['run', '--rm', '--runtime', 'runc', '--device', `${disk.loop}:/dev/xdisk`, 'devices', 'sh', '-c', `head -c ${SECRET.length} /dev/xdisk`])
  t.is(given.stdout, SECRET, given.stderr)
  t.true(diskIntact())
})

test('the default devices work, and --device gives the container the loop device', async (t) => {
  const defaults = await tspodAsRoot(['run', '--rm', 'devices', 'sh', '-c', 'head -c 4 /dev/zero | wc -c; echo x >/dev/null && echo null; head -c 4 /dev/urandom | wc -c; test -c /dev/pts/ptmx && echo ptmx'])
  t.is(defaults.code, 0, defaults.stderr)
  t.deepEqual(defaults.stdout.trim().split('\n').map((l) => l.trim()), ['4', 'null', '4', 'ptmx'])
  const given = await tspodAsRoot(['run', '--rm', '--device', `${disk.loop}:/dev/xdisk`, 'devices', 'sh', '-c', `head -c ${SECRET.length} /dev/xdisk`])
  t.is(given.code, 0, given.stderr)
  t.is(given.stdout, SECRET)
  const same = await tspodAsRoot(['run', '--rm', '--device', disk.loop, 'devices', 'sh', '-c', `head -c ${SECRET.length} ${disk.loop}`])
  t.is(same.stdout, SECRET, same.stderr)
})

test('--device: bad values are refused in Podman\'s words, exit 125', async (t) => {
  const cases: [string, string][] = [
    ['/dev/nope', 'Error: stat /dev/nope: no such file or directory\n'],
    ['/etc/passwd', 'Error: /etc/passwd is not a valid device: not a device node\n'],
    ['/dev/null:/x:rwz', 'Error: invalid device mode: rwz\n'],
    ['/dev/null:rel', 'Error: invalid device mode: rel\n'],
    ['/dev/null:/a:r:x', 'Error: invalid device specification: /dev/null:/a:r:x\n'],
  ]
  for (const [value, message] of cases) {
    const r = await tspodAsRoot(['create', '--device', value, 'devices', 'true'])
    t.is(r.code, 125, value)
    t.is(r.stderr, message)
  }
})
