// @userns
// applyLayer in this process (as real root): metadata, whiteouts, every hostile entry class, and
// damaged archives. Ownership as the rootless user is in unpack-rootless.test.ts.
import test, {ExecutionContext} from 'ava'
import nodeCrypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import * as zlib from 'node:zlib'

import {AppliedLayer, applyLayer} from '../../../../src/storage/store/archive/apply-layer'
import {native} from '../../../../src/native'
import {TarEntry, ZSTD_FIXTURE, ZSTD_FIXTURE_DIFFID, buildTar, sha256, tarEntryBlocks, zstdStored} from './layer-tar'

const CAPABILITY = Buffer.from([1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // v2, cap_net_bind_service
const BINARY_XATTR = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28])

interface World {
  root: string
  dest: string
  /** a dir and a file outside dest that hostile entries aim at */
  outside: string
  secret: string
}

function world(t: ExecutionContext): World {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-apply-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  const dest = path.join(root, 'dest')
  const outside = path.join(root, 'outside')
  fs.mkdirSync(dest)
  fs.mkdirSync(outside)
  const secret = path.join(outside, 'secret')
  fs.writeFileSync(secret, 'do not touch\n', {mode: 0o600})
  fs.utimesSync(outside, 1_000_000_000, 1_000_000_000)
  return {root, dest, outside, secret}
}

/** Everything under `dir`, with what identifies each entry, to prove nothing changed. */
function snapshot(dir: string, opts: {mtimes: boolean} = {mtimes: true}): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (p: string, rel: string): void => {
    const st = fs.lstatSync(p)
    const content = st.isFile() ? sha256(fs.readFileSync(p)) : st.isSymbolicLink() ? fs.readlinkSync(p) : ''
    out[rel] = [st.mode, st.uid, st.gid, st.size, st.nlink, opts.mtimes ? st.mtimeMs : '', content].join(' ')
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name), `${rel}/${name}`)
  }
  walk(dir, '.')
  return out
}

function apply(blob: Buffer, dest: string, warnings: string[] = []): Promise<AppliedLayer> {
  return applyLayer(Readable.from([blob]), dest, {ignoreChownErrors: false, onWarning: (w) => warnings.push(w)})
}

/**
 * Apply a hostile layer: it must fail with `message` (or succeed when undefined) and leave the
 * world outside dest as it was.
 */
async function hostile(t: ExecutionContext, entries: TarEntry[], message: RegExp | undefined): Promise<World> {
  const w = world(t)
  const before = snapshot(w.outside)
  const rootBefore = fs.readdirSync(w.root).sort()
  if (message) await t.throwsAsync(apply(buildTar(entries), w.dest), {message})
  else await apply(buildTar(entries), w.dest)
  t.deepEqual(snapshot(w.outside), before, 'the outside dir is unchanged')
  t.deepEqual(fs.readdirSync(w.root).sort(), rootBefore, 'nothing new next to dest')
  return w
}

const BUSYBOX_LIKE: TarEntry[] = [
  {name: './', type: 'dir', mode: 0o755},
  {name: './bin/', type: 'dir', mode: 0o755, mtime: 1_600_000_001},
  {name: './bin/busybox', data: 'ELF busybox\n', mode: 0o4755, mtime: 1_600_000_002.25},
  {name: './bin/sh', type: 'symlink', linkname: 'busybox', mtime: 1_600_000_003},
  {name: './bin/ls', type: 'link', linkname: 'bin/busybox', mode: 0o4755, mtime: 1_600_000_002.25},
  {
    name: './bin/ping',
    data: 'ping\n',
    mode: 0o755,
    xattrs: {
      'security.capability': CAPABILITY,
      'user.binary': BINARY_XATTR,
      'security.selinux': 'system_u:object_r:bin_t:s0',
    },
  },
  {name: './etc/', type: 'dir', mode: 0o2755, uid: 5, gid: 6},
  {name: './etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644, uid: 1234, gid: 4321},
  {name: './tmp/', type: 'dir', mode: 0o1777, mtime: 1_500_000_000},
  {name: './run/fifo', type: 'fifo', mode: 0o620},
  {name: './abs-link', type: 'symlink', linkname: '/etc/passwd'},
]

test('a busybox-like layer: modes with setuid/setgid/sticky, symlinks, hardlinks, mtimes, xattrs, owners', async (t) => {
  const w = world(t)
  const tar = buildTar(BUSYBOX_LIKE)
  const warnings: string[] = []
  const result = await apply(zlib.gzipSync(tar), w.dest, warnings)
  t.deepEqual(result, {diffID: sha256(tar), size: 12 + 5 + 30, entries: BUSYBOX_LIKE.length, compression: 'gzip'})
  t.deepEqual(warnings, [])
  const st = (p: string): fs.Stats => fs.lstatSync(path.join(w.dest, p))
  t.is(st('bin/busybox').mode & 0o7777, 0o4755)
  t.is(st('bin/busybox').mtimeMs, 1_600_000_002_250)
  t.is(st('bin/busybox').nlink, 2)
  t.is(st('bin/ls').ino, st('bin/busybox').ino)
  t.true(st('bin/sh').isSymbolicLink())
  t.is(fs.readlinkSync(path.join(w.dest, 'bin/sh')), 'busybox')
  t.is(st('bin/sh').mtimeMs, 1_600_000_003_000)
  t.is(fs.readlinkSync(path.join(w.dest, 'abs-link')), '/etc/passwd')
  t.is(st('bin').mtimeMs, 1_600_000_001_000, 'directory mtimes are set after their children')
  t.is(st('tmp').mode & 0o7777, 0o1777)
  t.is(st('tmp').mtimeMs, 1_500_000_000_000)
  t.is(st('etc').mode & 0o7777, 0o2755)
  t.deepEqual([st('etc').uid, st('etc').gid], [5, 6])
  t.deepEqual([st('etc/passwd').uid, st('etc/passwd').gid], [1234, 4321])
  t.true(st('run/fifo').isFIFO())
  t.is(st('run/fifo').mode & 0o7777, 0o620)
  t.is(st('run').mode & 0o7777, 0o755, 'parents missing from the tar are 0755')
  t.is(fs.readFileSync(path.join(w.dest, 'bin/busybox'), 'utf8'), 'ELF busybox\n')
  const ping = path.join(w.dest, 'bin/ping')
  t.deepEqual(native().getxattr(ping, 'security.capability'), CAPABILITY)
  t.deepEqual(native().getxattr(ping, 'user.binary'), BINARY_XATTR, 'binary PAX xattr values survive byte for byte')
  t.is(native().getxattr(ping, 'security.selinux'), null)
})

test.serial('knownDiffID (a build\'s own layer, hashed as it was written): returned as given, the tar not hashed again', async (t) => {
  const w = world(t)
  const tar = buildTar(BUSYBOX_LIKE)
  const known = `sha256:${'ab'.repeat(32)}`
  const hashes = countingHashes(t)
  const result = await applyLayer(Readable.from([tar]), w.dest, {ignoreChownErrors: false, knownDiffID: known})
  t.deepEqual(result, {diffID: known, size: 12 + 5 + 30, entries: BUSYBOX_LIKE.length, compression: 'none'})
  t.is(hashes.count, 0, 'no sha256 over the tar')
  t.is(fs.readFileSync(path.join(w.dest, 'etc/passwd'), 'utf8'), 'root:x:0:0:root:/root:/bin/sh\n')
  const without = await apply(tar, world(t).dest)
  t.is(without.diffID, sha256(tar), 'without it the tar is hashed')
  t.true(hashes.count > 0)
})

/** Counts the sha256 hashes made until the test ends (serial tests run alone: no other test's count). */
function countingHashes(t: ExecutionContext): {count: number} {
  const counter = {count: 0}
  // the module object itself (a namespace import's properties are read-only getters onto it)
  const original = nodeCrypto.createHash
  nodeCrypto.createHash = ((algorithm: string, options?: nodeCrypto.HashOptions) => {
    if (algorithm === 'sha256') counter.count++
    return original(algorithm, options)
  }) as typeof nodeCrypto.createHash
  t.teardown(() => {
    nodeCrypto.createHash = original
  })
  return counter
}

test('whiteouts become char 0/0 nodes and opaque dirs get trusted.overlay.opaque (real root)', async (t) => {
  const w = world(t)
  await apply(
    buildTar([
      {name: 'dir/', type: 'dir'},
      {name: 'dir/.wh..wh..opq', data: ''},
      {name: 'dir/new', data: 'layer 2'},
      {name: '.wh.gone', data: '', uid: 7, gid: 8},
      {name: 'deep/er/.wh.x', data: ''},
      {name: '.wh..wh.plnk', type: 'dir'},
    ]),
    w.dest,
  )
  const gone = fs.lstatSync(path.join(w.dest, 'gone'))
  t.true(gone.isCharacterDevice())
  t.is(gone.rdev, 0)
  t.deepEqual([gone.uid, gone.gid], [7, 8])
  t.true(fs.lstatSync(path.join(w.dest, 'deep/er/x')).isCharacterDevice())
  t.deepEqual(native().getxattr(path.join(w.dest, 'dir'), 'trusted.overlay.opaque'), Buffer.from('y'))
  t.deepEqual(fs.readdirSync(path.join(w.dest, 'dir')), ['new'], 'entries of the same layer stay')
  t.false(fs.existsSync(path.join(w.dest, '.wh..wh.plnk')))
  t.false(fs.readdirSync(w.dest).some((n) => n.startsWith('.wh.')))
})

test("whiteouts 'remove' (vfs, dest holding the parent's tree): named entries go, an opaque dir keeps only this layer's", async (t) => {
  const w = world(t)
  await apply(
    buildTar([
      {name: 'dir/', type: 'dir'},
      {name: 'dir/old', data: 'layer 1'},
      {name: 'dir/sub/', type: 'dir'},
      {name: 'dir/sub/deep', data: 'layer 1'},
      {name: 'gone/', type: 'dir'},
      {name: 'gone/inside', data: 'layer 1'},
      {name: 'kept', data: 'layer 1'},
    ]),
    w.dest,
  )
  await applyLayer(
    Readable.from([
      buildTar([
        {name: 'dir/', type: 'dir'},
        {name: 'dir/.wh..wh..opq', data: ''},
        {name: 'dir/new', data: 'layer 2'},
        {name: '.wh.gone', data: ''},
        {name: '.wh.never-was', data: ''},
      ]),
    ]),
    w.dest,
    {ignoreChownErrors: false, whiteouts: 'remove'},
  )
  t.deepEqual(fs.readdirSync(path.join(w.dest, 'dir')), ['new'])
  t.false(fs.existsSync(path.join(w.dest, 'gone')))
  t.false(fs.existsSync(path.join(w.dest, 'never-was')))
  t.is(fs.readFileSync(path.join(w.dest, 'kept'), 'utf8'), 'layer 1')
  t.is(native().getxattr(path.join(w.dest, 'dir'), 'trusted.overlay.opaque'), null)
})

test('xattrs reserved for overlay and containers-storage are not taken from an image', async (t) => {
  const w = world(t)
  const warnings: string[] = []
  await apply(
    buildTar([
      {
        name: 'd/',
        type: 'dir',
        xattrs: {'trusted.overlay.redirect': '/etc', 'user.overlay.opaque': 'y', 'user.ok': '1'},
      },
      {name: 'f', data: 'x', xattrs: {'user.containers.override_stat': '0:0:0755'}},
    ]),
    w.dest,
    warnings,
  )
  const d = path.join(w.dest, 'd')
  t.is(native().getxattr(d, 'trusted.overlay.redirect'), null)
  t.is(native().getxattr(d, 'user.overlay.opaque'), null)
  t.deepEqual(native().getxattr(d, 'user.ok'), Buffer.from('1'))
  t.is(native().getxattr(path.join(w.dest, 'f'), 'user.containers.override_stat'), null)
  t.deepEqual(warnings, [
    'ignoring xattr trusted.overlay.redirect of layer entry "d/": reserved for the storage driver',
    'ignoring xattr user.overlay.opaque of layer entry "d/": reserved for the storage driver',
    'ignoring xattr user.containers.override_stat of layer entry "f": reserved for the storage driver',
  ])
})

test('later entries replace earlier ones; a dir merges with a dir', async (t) => {
  const w = world(t)
  await apply(
    buildTar([
      {name: 'a/', type: 'dir', mode: 0o700},
      {name: 'a/keep', data: '1'},
      {name: 'a/', type: 'dir', mode: 0o751},
      {name: 'f', data: 'old'},
      {name: 'f', data: 'new'},
      {name: 'd/', type: 'dir'},
      {name: 'd/x', data: 'x'},
      {name: 'd', type: 'symlink', linkname: 'a'},
      {name: '.wh.f', data: ''},
    ]),
    w.dest,
  )
  t.is(fs.lstatSync(path.join(w.dest, 'a')).mode & 0o777, 0o751)
  t.is(fs.readFileSync(path.join(w.dest, 'a/keep'), 'utf8'), '1')
  t.true(fs.lstatSync(path.join(w.dest, 'd')).isSymbolicLink())
  t.true(fs.lstatSync(path.join(w.dest, 'f')).isCharacterDevice())
})

test('gzip, zstd and plain tar layers unpack identically', async (t) => {
  const tar = buildTar([...BUSYBOX_LIKE, {name: 'big', data: Buffer.alloc(400_000, 'z')}])
  const trees: Record<string, string>[] = []
  for (const blob of [tar, zlib.gzipSync(tar), zstdStored(tar, 2)]) {
    const w = world(t)
    const result = await apply(blob, w.dest)
    t.is(result.diffID, sha256(tar))
    // the dest itself and dirs missing from the tar (run/) have the time of unpacking as mtime
    const tree = snapshot(w.dest)
    tree['./run'] = snapshot(w.dest, {mtimes: false})['./run']
    delete tree['.']
    trees.push(tree)
  }
  t.deepEqual(trees[1], trees[0])
  t.deepEqual(trees[2], trees[0])
  const w = world(t)
  const fixture = await apply(ZSTD_FIXTURE, w.dest)
  t.deepEqual([fixture.diffID, fixture.compression], [ZSTD_FIXTURE_DIFFID, 'zstd'])
  t.is(fs.readFileSync(path.join(w.dest, 'etc/motd'), 'utf8'), 'welcome to tspod\n'.repeat(64))
  t.is(fs.readlinkSync(path.join(w.dest, 'etc/issue')), 'motd')
})

test('an empty blob and an empty tar are empty layers', async (t) => {
  const w = world(t)
  t.deepEqual(await apply(Buffer.alloc(0), w.dest), {
    diffID: sha256(Buffer.alloc(0)),
    size: 0,
    entries: 0,
    compression: 'none',
  })
  t.is((await apply(zlib.gzipSync(Buffer.alloc(1024)), w.dest)).entries, 0)
  t.deepEqual(fs.readdirSync(w.dest), [])
})

// Hostile entries. Each must be refused (or neutralised) without touching anything outside dest.

test('hostile: names climbing out of dest are refused', async (t) => {
  await hostile(t, [{name: '../outside/pwned', data: 'x'}], /^"\.\.\/outside\/pwned" is outside of ".*\/dest"$/)
  await hostile(t, [{name: 'a/../../outside/secret', data: 'x'}], /is outside of/)
  await hostile(t, [{name: '../outside/', type: 'dir', mode: 0o777}], /is outside of/)
})

test('hostile: absolute names are made relative to dest', async (t) => {
  const w0 = world(t)
  const w = await hostile(
    t,
    [
      {name: `${w0.secret}`, data: 'overwritten?'},
      {name: '/etc/passwd', data: 'x'},
    ],
    undefined,
  )
  t.is(fs.readFileSync(path.join(w.dest, w0.secret), 'utf8'), 'overwritten?')
  t.is(fs.readFileSync(w0.secret, 'utf8'), 'do not touch\n')
})

test('hostile: nothing is written through a symlink in a parent', async (t) => {
  for (const linkname of ['/', '../outside', '/tmp', '.']) {
    const entries: TarEntry[] = [
      {name: 'link', type: 'symlink', linkname},
      {name: 'link/pwned', data: 'x'},
    ]
    // relative links climbing out are refused by containers-storage's own check first
    const expected =
      linkname === '../outside'
        ? /^invalid symlink "link" -> "\.\.\/outside"$/
        : /^layer entry "link\/pwned": path escapes through symlink "link"$/
    await hostile(t, entries, expected)
  }
  const w = world(t)
  fs.symlinkSync(w.outside, path.join(w.dest, 'pre-existing'))
  await t.throwsAsync(apply(buildTar([{name: 'pre-existing/secret', data: 'x'}]), w.dest), {
    message: /path escapes through symlink "pre-existing"/,
  })
  await t.throwsAsync(apply(buildTar([{name: 'pre-existing/newdir/', type: 'dir'}]), w.dest), {
    message: /path escapes through symlink/,
  })
  t.is(fs.readFileSync(w.secret, 'utf8'), 'do not touch\n')
  t.deepEqual(fs.readdirSync(w.outside), ['secret'])
})

test('hostile: a dir replaced by a symlink is not trusted for later entries', async (t) => {
  const w0 = world(t)
  await hostile(
    t,
    [
      {name: 'd/', type: 'dir'},
      {name: 'd/a', data: 'fine'},
      {name: 'd', type: 'symlink', linkname: w0.outside},
      {name: 'd/pwned', data: 'x'},
    ],
    /layer entry "d\/pwned": path escapes through symlink "d"/,
  )
})

test('hostile: hardlinks must point inside dest, not through symlinks, not to dirs', async (t) => {
  const w0 = world(t)
  await hostile(
    t,
    [{name: 'h', type: 'link', linkname: '../outside/secret'}],
    /^invalid hardlink "h" -> "\.\.\/outside\/secret"$/,
  )
  const w = await hostile(
    t,
    [
      {name: 'link', type: 'symlink', linkname: w0.outside},
      {name: 'h', type: 'link', linkname: 'link/secret'},
    ],
    /layer entry "h": path escapes through symlink "link"/,
  )
  t.is(fs.lstatSync(w.secret).nlink, 1)
  await hostile(
    t,
    [{name: 'h', type: 'link', linkname: w0.secret}],
    /^layer entry "h": hardlink target ".*\/outside\/secret" does not exist$/,
  )
  await hostile(
    t,
    [
      {name: 'd/', type: 'dir'},
      {name: 'h', type: 'link', linkname: 'd'},
    ],
    /hardlink target "d" is a directory/,
  )
  // a hardlink to a symlink links the symlink itself, never what it points to
  const ok = await hostile(
    t,
    [
      {name: 'l', type: 'symlink', linkname: w0.secret},
      {name: 'h', type: 'link', linkname: 'l'},
    ],
    undefined,
  )
  t.true(fs.lstatSync(path.join(ok.dest, 'h')).isSymbolicLink())
})

test('hostile: whiteouts cannot reach outside dest', async (t) => {
  const w0 = world(t)
  await hostile(t, [{name: '../outside/.wh.secret', data: ''}], /is outside of/)
  await hostile(
    t,
    [
      {name: 'link', type: 'symlink', linkname: w0.outside},
      {name: 'link/.wh.secret', data: ''},
    ],
    /path escapes through symlink "link"/,
  )
  await hostile(
    t,
    [
      {name: 'link', type: 'symlink', linkname: w0.outside},
      {name: 'link/.wh..wh..opq', data: ''},
    ],
    /path escapes through symlink "link"/,
  )
  await hostile(t, [{name: 'sub/.wh...', data: ''}], /layer entry "sub\/\.wh\.\.\.": invalid whiteout name/)
  await hostile(t, [{name: '.wh.', data: ''}], /invalid whiteout name/)
  // a whiteout of a symlink removes the link, not its target
  const w = await hostile(
    t,
    [
      {name: 'l', type: 'symlink', linkname: w0.secret},
      {name: '.wh.l', data: ''},
    ],
    undefined,
  )
  t.true(fs.lstatSync(path.join(w.dest, 'l')).isCharacterDevice())
})

test('hostile: a file replacing a symlink replaces the link and never writes through it', async (t) => {
  const w0 = world(t)
  const w = await hostile(
    t,
    [
      {name: 'f', type: 'symlink', linkname: w0.secret},
      {name: 'f', data: 'replaced', mode: 0o4777},
    ],
    undefined,
  )
  t.true(fs.lstatSync(path.join(w.dest, 'f')).isFile())
  t.is(fs.readFileSync(path.join(w.dest, 'f'), 'utf8'), 'replaced')
  await hostile(
    t,
    [
      {name: 'dir', type: 'symlink', linkname: w0.outside},
      {name: 'dir/', type: 'dir', mode: 0o777},
    ],
    undefined,
  )
  await hostile(
    t,
    [
      {name: 'p', type: 'symlink', linkname: w0.secret},
      {name: 'p', type: 'fifo'},
    ],
    undefined,
  )
})

test('hostile: absurd owners, the root as a file, unknown entry types', async (t) => {
  await hostile(t, [{name: 'f', data: 'x', uid: 4294967295}], /^layer entry "f": owner 4294967295:0 is out of range$/)
  await hostile(t, [{name: 'f', data: 'x', gid: 2 ** 40}], /owner 0:1099511627776 is out of range/)
  await hostile(t, [{name: './', type: 'symlink', linkname: '/'}], /layer entry "\.\/": the root must be a directory/)
  await hostile(t, [{name: 'sparse', type: 'sparse'}], /layer entry "sparse": unhandled tar header type/)
})

// Damaged archives.

test('a truncated tar fails naming the entry, a corrupt header naming the last good one', async (t) => {
  const first = tarEntryBlocks({name: 'etc/hostname', data: 'tspod\n'})
  const big = tarEntryBlocks({name: 'usr/big', data: Buffer.alloc(100_000, 1)})
  const w = world(t)
  await t.throwsAsync(apply(Buffer.concat([first, big.subarray(0, 50_000)]), w.dest), {
    message: 'unexpected end of layer in entry "usr/big"',
  })
  await t.throwsAsync(apply(Buffer.concat([first, big.subarray(0, 300)]), w.dest), {
    message: 'unexpected end of layer after entry "etc/hostname"',
  })
  await t.throwsAsync(apply(zlib.gzipSync(Buffer.concat([first, big.subarray(0, 50_000)])), w.dest), {
    message: 'unexpected end of layer in entry "usr/big"',
  })
  const corrupt = Buffer.from(big)
  corrupt[10] ^= 1
  await t.throwsAsync(apply(Buffer.concat([first, corrupt, Buffer.alloc(1024)]), w.dest), {
    message: 'invalid tar header in layer after entry "etc/hostname"',
  })
  t.deepEqual(fs.readdirSync(w.root).sort(), ['dest', 'outside'], 'partial content stays inside dest')
})

test('a corrupt gzip or an unknown format fails with the compression named', async (t) => {
  const w = world(t)
  const gz = zlib.gzipSync(buildTar(BUSYBOX_LIKE))
  const corrupt = Buffer.from(gz)
  for (let i = 30; i < gz.length - 20; i++) corrupt[i] ^= 0x33
  await t.throwsAsync(apply(corrupt, w.dest), {message: /^corrupt gzip layer: /})
  await t.throwsAsync(apply(gz.subarray(0, gz.length - 30), w.dest), {
    message: 'corrupt gzip layer: unexpected end of file',
  })
  await t.throwsAsync(apply(Buffer.from('BZh91AY&SY this is not supported'), w.dest), {
    message: 'unsupported or corrupt layer compression',
  })
  t.deepEqual(fs.readdirSync(w.root).sort(), ['dest', 'outside'])
})

test('the destination must be an existing directory, not a symlink', async (t) => {
  const w = world(t)
  const link = path.join(w.root, 'link')
  fs.symlinkSync(w.dest, link)
  await t.throwsAsync(apply(buildTar([]), link), {message: `layer destination ${link} is not a directory`})
  await t.throwsAsync(apply(buildTar([]), path.join(w.root, 'missing')), {code: 'ENOENT'})
})
