// @userns
// Layer unpacking as the real rootless user: the worker runs as root of the user's namespace, so
// image owners land on subordinate ids; whiteouts and opaque dirs are proven by a real overlay mount.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'

import {native} from '../../../../src/native'
import {NOSUB_USER, TEST_USER, TestUser, lookupUser, removeTree, runAs, userTempDir} from '../../../helpers/rootless'
import {TarEntry, buildTar, sha256, tarEntryBlocks, zstdStored} from './layer-tar'

const FIXTURE = path.join(__dirname, '..', '..', '..', 'fixtures', 'unpack-layers.js')
const SPAWN_REPORT = path.join(__dirname, '..', '..', '..', 'fixtures', 'spawn-report.js')

const CAPABILITY_V2 = Buffer.from([1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // cap_net_bind_service

interface Report {
  mappingMode: string
  results?: {diffID: string; size: number; entries: number}[]
  error?: {name: string; message: string}
  warnings: string[]
}

interface Job {
  blob: string
  dest: string
  expectedDiffID?: string
  digest?: string
  index?: number
}

function subIdStart(file: string, user: string): number {
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`))
  if (!line) throw new Error(`${user} has no range in ${file}`)
  return Number(line.split(':')[1])
}

/** A temp dir of the user's, removed (as root) after the test. */
function workdir(t: ExecutionContext, user: TestUser): string {
  const dir = userTempDir(user, 'tspod-unpack-')
  t.teardown(() => removeTree(dir))
  return dir
}

/** A blob file (written as root, readable by all) and an empty dest dir owned by the user. */
function stage(dir: string, user: TestUser, name: string, blob: Buffer): Job {
  const blobPath = path.join(dir, `${name}.blob`)
  fs.writeFileSync(blobPath, blob, {mode: 0o644})
  const dest = path.join(dir, name)
  fs.mkdirSync(dest)
  fs.chownSync(dest, user.uid, user.gid)
  return {blob: blobPath, dest}
}

async function unpackAs(user: TestUser, jobs: Job[], ignoreChownErrors = false): Promise<Report> {
  const r = await runAs(user, [process.execPath, FIXTURE, JSON.stringify({op: 'unpack', jobs, ignoreChownErrors})])
  if (r.code !== 0) throw new Error(`unpack-layers failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as Report
}

const LAYER: TarEntry[] = [
  {name: 'bin/', type: 'dir'},
  {name: 'bin/busybox', data: 'ELF busybox\n', mode: 0o4755},
  {name: 'bin/sh', type: 'symlink', linkname: 'busybox'},
  {name: 'bin/ls', type: 'link', linkname: 'bin/busybox', mode: 0o4755},
  {
    name: 'bin/ping',
    data: 'ping\n',
    mode: 0o755,
    xattrs: {'security.capability': CAPABILITY_V2, 'user.note': 'kept', 'trusted.note': 'not for namespaces'},
  },
  {name: 'home/app/', type: 'dir', mode: 0o2750, uid: 1234, gid: 1234},
  {name: 'home/app/suid', data: 'x', mode: 0o6755, uid: 1234, gid: 1234, mtime: 1_600_000_000},
  {name: 'home/app/owned', data: 'y', mode: 0o600, uid: 1000, gid: 50},
  {name: 'dev/null', type: 'char', devmajor: 1, devminor: 3},
  {name: 'dev/sda', type: 'block', devmajor: 8, devminor: 0},
  {name: 'run/fifo', type: 'fifo', mode: 0o600, uid: 1234},
  {name: 'opq/.wh..wh..opq', data: ''},
  {name: '.wh.gone', data: ''},
]

test('rootless: image owners land on subordinate ids; setuid, hardlinks, fifos, capabilities, whiteouts', async (t) => {
  const user = lookupUser(TEST_USER)
  const subuid = subIdStart('/etc/subuid', user.name)
  const subgid = subIdStart('/etc/subgid', user.name)
  const dir = workdir(t, user)
  const tar = buildTar(LAYER)
  const job = stage(dir, user, 'layer', zlib.gzipSync(tar))
  const report = await unpackAs(user, [{...job, expectedDiffID: sha256(tar)}])
  t.is(report.error, undefined)
  t.is(report.mappingMode, 'subid')
  t.deepEqual(report.results, [{diffID: sha256(tar), size: 12 + 5 + 1 + 1, entries: LAYER.length}])
  t.deepEqual(report.warnings, [
    `ignoring xattr trusted.note of layer entry "bin/ping": lsetxattr: Operation not permitted \`${job.dest}/bin/ping\``,
    'skipping device node dev/null: not permitted in a user namespace',
    'skipping device node dev/sda: not permitted in a user namespace',
  ])

  const st = (p: string): fs.Stats => fs.lstatSync(path.join(job.dest, p))
  const owner = (p: string): [number, number] => [st(p).uid, st(p).gid]
  t.deepEqual(owner('bin/busybox'), [user.uid, user.gid], 'image id 0 is the user')
  t.deepEqual(owner('home/app'), [subuid + 1233, subgid + 1233], 'image id N is subuid start + N - 1')
  t.deepEqual(owner('home/app/suid'), [subuid + 1233, subgid + 1233])
  t.deepEqual(owner('home/app/owned'), [subuid + 999, subgid + 49])
  t.deepEqual(owner('run/fifo'), [subuid + 1233, user.gid])
  t.is(st('bin/busybox').mode & 0o7777, 0o4755)
  t.is(st('home/app/suid').mode & 0o7777, 0o6755, 'setuid and setgid survive the chown')
  t.is(st('home/app').mode & 0o7777, 0o2750)
  t.is(st('home/app/suid').mtimeMs, 1_600_000_000_000)
  t.is(st('bin/ls').ino, st('bin/busybox').ino)
  t.is(fs.readlinkSync(path.join(job.dest, 'bin/sh')), 'busybox')
  t.true(st('run/fifo').isFIFO())
  t.false(fs.existsSync(path.join(job.dest, 'dev/null')))
  t.false(fs.existsSync(path.join(job.dest, 'dev/sda')))

  // Set by the namespace's root, the v2 capability is stored by the kernel as v3 with the host
  // uid of that root (the user) as rootid: it is only effective inside such a namespace.
  const cap = native().getxattr(path.join(job.dest, 'bin/ping'), 'security.capability')!
  t.is(cap.length, 24)
  t.is(cap.readUInt32LE(0), 0x03000001)
  t.deepEqual(cap.subarray(4, 20), CAPABILITY_V2.subarray(4, 20))
  t.is(cap.readUInt32LE(20), user.uid)
  t.deepEqual(native().getxattr(path.join(job.dest, 'bin/ping'), 'user.note'), Buffer.from('kept'))

  t.true(st('gone').isCharacterDevice())
  t.is(st('gone').rdev, 0)
  t.deepEqual(owner('gone'), [user.uid, user.gid])
  t.deepEqual(native().getxattr(path.join(job.dest, 'opq'), 'user.overlay.opaque'), Buffer.from('y'))
})

test('rootless: whiteouts and opaque dirs work in a real overlay mount over two unpacked layers', async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = workdir(t, user)
  const layer1 = buildTar([
    {name: 'gone', data: 'hidden by layer 2'},
    {name: 'keep', data: 'still here'},
    {name: 'dir/', type: 'dir'},
    {name: 'dir/a', data: 'a'},
    {name: 'dir/b', data: 'b', uid: 1234},
  ])
  const layer2 = buildTar([
    {name: '.wh.gone', data: ''},
    {name: 'dir/', type: 'dir'},
    {name: 'dir/.wh..wh..opq', data: ''},
    {name: 'dir/c', data: 'c'},
  ])
  const l1 = stage(dir, user, 'l1', zlib.gzipSync(layer1))
  const l2 = stage(dir, user, 'l2', zstdStored(layer2))
  const report = await unpackAs(user, [l1, l2])
  t.is(report.error, undefined)
  t.deepEqual(
    report.results?.map((r) => r.diffID),
    [sha256(layer1), sha256(layer2)],
  )
  const [upper, work, merged] = ['upper', 'work', 'merged'].map((name) => {
    const p = path.join(dir, name)
    fs.mkdirSync(p)
    fs.chownSync(p, user.uid, user.gid)
    return p
  })
  const MS_REC = native().constants.MS_REC
  const MS_PRIVATE = native().constants.MS_PRIVATE
  const request = {
    namespaces: ['user', 'mount'],
    steps: [
      {kind: 'mount', name: 'make / private', source: 'none', path: '/', flags: MS_REC | MS_PRIVATE},
      {
        kind: 'mount',
        name: 'mount overlay',
        source: 'overlay',
        fstype: 'overlay',
        path: merged,
        data: `lowerdir=${l2.dest}:${l1.dest},upperdir=${upper},workdir=${work},userxattr`,
      },
    ],
    command: {
      file: '/bin/sh',
      argv: ['sh', '-c', `ls -a ${merged}; echo --; ls -a ${merged}/dir; echo --; cat ${merged}/keep`],
      env: ['PATH=/usr/bin:/bin'],
    },
  }
  const r = await runAs(user, [process.execPath, SPAWN_REPORT, JSON.stringify(request)])
  const spawned = JSON.parse(r.stdout) as {exit?: {code: number}; stdout?: string; error?: {message: string}}
  t.is(spawned.error, undefined)
  t.deepEqual(spawned.exit, {code: 0, signal: null})
  const [top, inDir, keep] = spawned.stdout!.split('--\n')
  t.deepEqual(top.trim().split('\n'), ['.', '..', 'dir', 'keep'], '`gone` is hidden by its whiteout')
  t.deepEqual(inDir.trim().split('\n'), ['.', '..', 'c'], 'the opaque dir shows only layer 2')
  t.is(keep, 'still here')
})

test('rootless: a DiffID mismatch, a corrupt gzip and a truncated tar fail the layer, and nothing leaks out of its dest', async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = workdir(t, user)
  const tar = buildTar([{name: 'etc/hostname', data: 'tspod\n'}])
  const ok = stage(dir, user, 'ok', tar)
  const mismatch = await unpackAs(user, [
    {...ok, expectedDiffID: `sha256:${'0'.repeat(64)}`, digest: 'sha256:abc', index: 3},
  ])
  t.is(mismatch.error?.message, `layer 3 (blob sha256:abc) does not match config's DiffID "sha256:${'0'.repeat(64)}"`)

  const gz = zlib.gzipSync(tar)
  const corrupt = Buffer.from(gz)
  for (let i = 30; i < gz.length - 20; i++) corrupt[i] ^= 0x33
  const bad = stage(dir, user, 'bad', corrupt)
  const after = stage(dir, user, 'after', tar)
  const corruptReport = await unpackAs(user, [{...bad, digest: 'sha256:bad'}, after])
  t.regex(corruptReport.error!.message, /^layer 0 \(blob sha256:bad\): corrupt gzip layer: /)
  t.deepEqual(fs.readdirSync(after.dest), [], 'layers after a failed one are not unpacked')

  const big = tarEntryBlocks({name: 'usr/big', data: Buffer.alloc(200_000, 1)})
  const truncated = stage(
    dir,
    user,
    'truncated',
    Buffer.concat([tarEntryBlocks({name: 'a', data: 'a'}), big.subarray(0, 70_000)]),
  )
  const truncatedReport = await unpackAs(user, [truncated])
  t.is(truncatedReport.error?.message, `layer 0 (blob ${truncated.blob}): unexpected end of layer in entry "usr/big"`)
  t.deepEqual(fs.readdirSync(dir).sort(), [
    'after',
    'after.blob',
    'bad',
    'bad.blob',
    'ok',
    'ok.blob',
    'truncated',
    'truncated.blob',
  ])
})

test("rootless: hostile entries are refused and the user's files outside dest are untouched", async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = workdir(t, user)
  const canary = path.join(dir, 'canary')
  fs.mkdirSync(canary)
  fs.writeFileSync(path.join(canary, 'file'), 'canary\n')
  fs.chownSync(canary, user.uid, user.gid)
  fs.chownSync(path.join(canary, 'file'), user.uid, user.gid)
  const before = fs.readdirSync(canary)
  const cases: [TarEntry[], RegExp][] = [
    [
      [
        {name: 'l', type: 'symlink', linkname: canary},
        {name: 'l/pwned', data: 'x'},
      ],
      /path escapes through symlink "l"/,
    ],
    [
      [
        {name: 'l', type: 'symlink', linkname: canary},
        {name: 'l/.wh.file', data: ''},
      ],
      /path escapes through symlink "l"/,
    ],
    [
      [
        {name: 'l', type: 'symlink', linkname: canary},
        {name: 'h', type: 'link', linkname: 'l/file'},
      ],
      /path escapes through symlink "l"/,
    ],
    [[{name: '../canary/file', data: 'x'}], /is outside of/],
    [[{name: 'up', type: 'symlink', linkname: '../../../../../../..'}], /invalid symlink "up"/],
  ]
  for (const [i, [entries, message]] of cases.entries()) {
    const job = stage(dir, user, `case${i}`, buildTar(entries))
    const report = await unpackAs(user, [job])
    t.regex(report.error?.message ?? '', message)
  }
  t.deepEqual(fs.readdirSync(canary), before)
  t.is(fs.readFileSync(path.join(canary, 'file'), 'utf8'), 'canary\n')
  t.is(fs.lstatSync(path.join(canary, 'file')).nlink, 1)
})

test('rootless: trees of subordinate-owned files are removed as the mapped root', async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = workdir(t, user)
  const job = stage(
    dir,
    user,
    'layer',
    buildTar([
      {name: 'locked/', type: 'dir', mode: 0o555, uid: 1234},
      {name: 'locked/file', data: 'x', uid: 1234},
      {name: 'no-access/', type: 'dir', mode: 0o000, uid: 99},
      {name: 'no-access/deep/', type: 'dir', uid: 99},
    ]),
  )
  t.is((await unpackAs(user, [job])).error, undefined)
  // rm reads its stdin to the end first: runAs writes to it, and a child that exits before that
  // write lands makes it fail with EPIPE
  const plain = await runAs(user, ['sh', '-c', 'cat >/dev/null; exec rm -rf -- "$0"', job.dest])
  t.not(plain.code, 0, 'the host user alone cannot delete subordinate-owned trees')
  t.true(fs.existsSync(path.join(job.dest, 'locked/file')))
  const r = await runAs(user, [process.execPath, FIXTURE, JSON.stringify({op: 'remove', dirs: [job.dest]})])
  const report = JSON.parse(r.stdout) as Report
  t.is(report.error, undefined)
  t.false(fs.existsSync(job.dest))
})

test("single mapping (no subordinate ids): other owners fail in containers-storage's words; ignoreChownErrors squashes them", async (t) => {
  const user = lookupUser(NOSUB_USER)
  const dir = workdir(t, user)
  const tar = buildTar([
    {name: 'etc/', type: 'dir'},
    {name: 'etc/shadow', data: 's', mode: 0o640, uid: 0, gid: 42},
    {name: 'etc/motd', data: 'm'},
  ])
  const strict = stage(dir, user, 'strict', tar)
  const report = await unpackAs(user, [strict])
  t.is(report.mappingMode, 'single')
  t.is(
    report.error?.message,
    `layer 0 (blob ${strict.blob}): potentially insufficient UIDs or GIDs available in user namespace ` +
      '(requested 0:42 for /etc/shadow): Check /etc/subuid and /etc/subgid if configured locally: ' +
      `lchown ${strict.dest}/etc/shadow: invalid argument`,
  )
  const squashed = stage(dir, user, 'squashed', tar)
  const lenient = await unpackAs(user, [squashed], true)
  t.is(lenient.error, undefined)
  t.deepEqual(lenient.warnings, [
    `Chown error detected. Ignoring due to ignoreChownErrors flag: lchown ${squashed.dest}/etc/shadow: invalid argument`,
  ])
  const shadow = fs.lstatSync(path.join(squashed.dest, 'etc/shadow'))
  t.deepEqual([shadow.uid, shadow.gid, shadow.mode & 0o7777], [user.uid, user.gid, 0o640])
  t.true(fs.existsSync(path.join(squashed.dest, 'etc/motd')))
})
