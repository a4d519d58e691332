// @userns
// -v and --tmpfs parsing: bind mounts, named and anonymous volumes and tmpfs mounts with their
// options as given, Podman's completion of those options for config.json, and its messages.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../src/errors'
import {mountFlagsOf} from '../../src/runtime/spec/host-mount-flags'
import {parseMounts, parseTmpfs, parseVolumes, processMountOptions, validateVolumeOptions} from '../../src/specgen/volumes'

const plain = (): {nosuid: boolean; nodev: boolean; noexec: boolean} => ({nosuid: false, nodev: false, noexec: false})

function hostDir(t: {teardown: (fn: () => void) => void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-vol-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('SRC:DST and SRC:DST:ro become rbind mounts with rprivate propagation', (t) => {
  const src = hostDir(t)
  const parsed = parseVolumes([`${src}:/data`, `${src}/:/ro/:ro`], {cwd: '/'})
  t.deepEqual(parsed, [
    {type: 'bind', source: src, destination: '/data', options: []},
    {type: 'bind', source: `${src}/`, destination: '/ro', options: ['ro']},
  ])
  t.deepEqual(processMountOptions([], {tmpfs: false, source: src, flagsOf: plain}), ['rprivate', 'rbind'])
  t.deepEqual(processMountOptions(['ro'], {tmpfs: false, source: src, flagsOf: plain}), ['ro', 'rprivate', 'rbind'])
})

test('options: bind, propagation, exec flags kept; the source mount’s nosuid/nodev/noexec added', (t) => {
  const src = hostDir(t)
  const flagsOf = (): {nosuid: boolean; nodev: boolean; noexec: boolean} => ({nosuid: true, nodev: true, noexec: true})
  const [mount] = parseVolumes([`${src}:/a:bind,shared,exec,z`], {cwd: '/'})
  t.deepEqual(mount.options, ['bind', 'shared', 'exec', 'z'])
  t.deepEqual(processMountOptions(mount.options, {tmpfs: false, source: src, flagsOf}), ['bind', 'shared', 'exec', 'nosuid', 'nodev'])
  t.deepEqual(processMountOptions([], {tmpfs: false, source: src, flagsOf}), ['rprivate', 'noexec', 'nosuid', 'nodev', 'rbind'])
  t.deepEqual(processMountOptions(['bind'], {tmpfs: false, source: src, flagsOf: plain}), ['bind', 'private'])
})

test('a bind source on a nosuid,nodev,noexec mount keeps those flags (real mount, as root)', (t) => {
  const dir = fs.realpathSync(hostDir(t))
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'nosuid,nodev,noexec,size=1m', 'tmpfs', dir])
  t.teardown(() => execFileSync('umount', [dir]))
  fs.mkdirSync(path.join(dir, 'data'))
  t.deepEqual(mountFlagsOf(path.join(dir, 'data')), {nosuid: true, nodev: true, noexec: true})
  const [mount] = parseVolumes([`${dir}/data:/data:ro`], {cwd: '/'})
  t.deepEqual(processMountOptions(mount.options, {tmpfs: false, source: `${dir}/data`}), ['ro', 'rprivate', 'noexec', 'nosuid', 'nodev', 'rbind'])
})

test('mountinfo: the deepest mount point wins, the last of a stack, escapes decoded', (t) => {
  const info = path.join(hostDir(t), 'mountinfo')
  fs.writeFileSync(
    info,
    [
      '1 0 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
      '2 1 0:5 / /mnt/with\\040space rw,nosuid,noexec - tmpfs tmpfs rw',
      '3 2 0:6 / /mnt/with\\040space rw,nodev - tmpfs tmpfs rw',
      '',
    ].join('\n'),
  )
  t.deepEqual(mountFlagsOf('/mnt/with space/x', info), {nosuid: false, nodev: true, noexec: false})
  t.deepEqual(mountFlagsOf('/mnt/without', info), {nosuid: false, nodev: false, noexec: false})
})

test('./relative sources resolve against cwd; a missing source fails like statfs', (t) => {
  const dir = hostDir(t)
  fs.mkdirSync(path.join(dir, 'sub'))
  const [mount] = parseVolumes(['./sub:/sub'], {cwd: dir})
  t.like(mount, {type: 'bind', source: path.join(fs.realpathSync(dir), 'sub')})
  t.throws(() => parseVolumes(['./missing:/m'], {cwd: dir}), {instanceOf: UsageError, message: 'lstat ./missing: no such file or directory'})
  t.throws(() => parseVolumes(['/no/such/dir:/m'], {cwd: dir}), {message: 'statfs /no/such/dir: no such file or directory'})
})

test('named and anonymous volumes go back to the caller', (t) => {
  const parsed = parseVolumes(['cache:/var/cache:ro,nocopy', '/scratch', 'my_vol.1-x:/v'], {cwd: '/'})
  t.deepEqual(parsed, [
    {type: 'volume', name: 'cache', destination: '/var/cache', options: ['ro', 'nocopy']},
    {type: 'volume', name: '', destination: '/scratch', options: []},
    {type: 'volume', name: 'my_vol.1-x', destination: '/v', options: []},
  ])
  t.throws(() => parseVolumes(['-bad:/x'], {cwd: '/'}), {
    instanceOf: UsageError,
    message: 'creating named volume "-bad": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument',
  })
  t.throws(() => parseVolumes(['a b:/x'], {cwd: '/'}), {message: /^creating named volume "a b": names must match/})
})

test('format errors in Podman words', (t) => {
  const src = hostDir(t)
  const ctx = {cwd: '/'}
  t.throws(() => parseVolumes(['a:b:c:d'], ctx), {message: 'a:b:c:d: incorrect volume format, should be [host-dir:]ctr-dir[:option]'})
  t.throws(() => parseVolumes([':/data'], ctx), {message: 'host directory cannot be empty'})
  t.throws(() => parseVolumes([`${src}:data`], ctx), {message: 'invalid container path "data", must be an absolute path'})
  t.throws(() => parseVolumes([`${src}:`], ctx), {message: 'container directory cannot be empty'})
  t.throws(() => parseVolumes([`${src}:/d:rw,ro`], ctx), {message: `invalid options "rw, ro", can only specify 1 'rw' or 'ro' option`})
  t.throws(() => parseVolumes([`${src}:/d:z,Z`], ctx), {message: `invalid options "z, Z", can only specify 1 'z', 'Z', or 'O' option`})
  t.throws(() => parseVolumes([`${src}:/d:fast`], ctx), {message: 'invalid option type "fast"'})
  t.throws(() => parseVolumes([`${src}:/d:O`], ctx), {message: 'volume option "O" is not supported by tspod (overlay volumes)'})
  t.deepEqual(parseVolumes([`${src}:/d:U`], ctx)[0].options, ['U'])
  t.false(processMountOptions(['U', 'ro'], {tmpfs: false}).includes('U'), 'U is no mount option: tspod chowns before the start')
  t.deepEqual(validateVolumeOptions(['ro', 'cached', 'delegated']), ['ro'])
})

test('duplicate destinations: identical repeats are fine, conflicts are not', (t) => {
  const a = hostDir(t)
  const b = hostDir(t)
  const ctx = {cwd: '/'}
  t.is(parseVolumes([`${a}:/d`, `${a}:/d/`], ctx).length, 1)
  t.throws(() => parseVolumes([`${a}:/d`, `${b}:/d`], ctx), {message: '/d: duplicate mount destination'})
  t.throws(() => parseVolumes([`${a}:/d`, 'vol:/d'], ctx), {message: '/d: duplicate mount destination'})
  t.throws(() => parseVolumes(['one:/d', 'two:/d'], ctx), {message: '/d: duplicate mount destination'})
  t.is(parseVolumes(['/d', '/d'], ctx).length, 1)
  t.throws(() => parseMounts([`${a}:/d`], ['/d'], ctx), {message: '/d: duplicate mount destination'})
  t.throws(() => parseMounts(['vol:/d'], ['/d:size=1m'], ctx), {message: '/d: duplicate mount destination'})
})

test('--tmpfs: destination and options; tmpcopyup unless notmpcopyup, as Podman', (t) => {
  t.deepEqual(parseTmpfs(['/run/x', '/scratch:rw,size=64m,mode=1777,noexec']), [
    {type: 'tmpfs', destination: '/run/x', options: []},
    {type: 'tmpfs', destination: '/scratch', options: ['rw', 'size=64m', 'mode=1777', 'noexec']},
  ])
  t.deepEqual(processMountOptions([], {tmpfs: true}), ['rprivate', 'nosuid', 'nodev', 'tmpcopyup'])
  t.deepEqual(processMountOptions(['rw', 'size=64m', 'mode=1777', 'noexec'], {tmpfs: true}), ['rw', 'size=64m', 'mode=1777', 'noexec', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'])
  t.deepEqual(processMountOptions(parseTmpfs(['/a:notmpcopyup'])[0].options, {tmpfs: true}), ['rprivate', 'nosuid', 'nodev'])
  t.deepEqual(processMountOptions(parseTmpfs(['/a:tmpcopyup'])[0].options, {tmpfs: true}), ['tmpcopyup', 'rprivate', 'nosuid', 'nodev'])
  t.is(parseTmpfs(['/a:size=1m', '/a:size=1m']).length, 1)
  t.throws(() => parseTmpfs(['rel']), {message: 'invalid container path "rel", must be an absolute path'})
  t.throws(() => parseTmpfs(['/a:bind']), {message: "the 'bind' and 'rbind' options are not allowed with tmpfs mounts: invalid mount option"})
  t.throws(() => parseTmpfs(['/a:size=1m,size=2m']), {message: 'only one tmpfs size can be specified: duplicate mount option passed'})
  t.throws(() => parseTmpfs(['/a:bogus']), {message: 'unknown mount option "bogus": invalid mount option'})
  t.throws(() => parseTmpfs(['/a:tmpcopyup,notmpcopyup']), {message: "the 'tmpcopyup' or 'notmpcopyup' option can only be set once: duplicate mount option passed"})
  t.throws(() => processMountOptions(['tmpcopyup'], {tmpfs: false, source: '/', flagsOf: plain}), {message: "the 'tmpcopyup' option is only allowed with tmpfs mounts: invalid mount option"})
  t.throws(() => parseTmpfs(['/a:size=1m', '/a:size=2m']), {message: '/a: duplicate mount destination'})
  t.throws(() => processMountOptions(['size=1m'], {tmpfs: false, source: '/', flagsOf: plain}), {
    message: "the 'size' option is only allowed with tmpfs mounts: invalid mount option",
  })
})
