// @userns
// Real containers from OCI runtime specs, run as the rootless test user: busybox images built
// locally, unpacked as the user into its namespace, mounted with overlay by tspod's child, which
// pivots into them and execs the process.
import test from 'ava'
import {spawnSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {OciSpec} from '../../src/runtime/oci-spec'
import {RootfsLayout} from '../../src/runtime/plan'
import {BuiltImage, busyboxImage, multiLayerImage} from '../helpers/oci-image'
import {NOSUB_USER, SUPP_GROUP, TEST_USER, TestUser, groupId, lookupUser, removeTree, runAs, userTempDir} from '../helpers/rootless'
import {DEFAULT_CAPABILITIES} from '../../src/runtime/spec/defaults'

const RUN = path.join(__dirname, '..', 'fixtures', 'run-container.js')
const UNPACK = path.join(__dirname, '..', 'fixtures', 'unpack-layers.js')
const SPAWN_REPORT = path.join(__dirname, '..', 'fixtures', 'spawn-report.js')

const user = lookupUser(TEST_USER)


function subIdRange(file: string, name = user.name): {start: number; count: number} | undefined {
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  if (!line) return undefined
  const [, start, count] = line.split(':')
  return {start: Number(start), count: Number(count)}
}

const subuid = subIdRange('/etc/subuid')!
const subgid = subIdRange('/etc/subgid')!

/** What Podman maps for a rootless user: itself as 0, then its subordinate range (if it has one). */
function idMappings(u: TestUser, file: string, own: number) {
  const range = subIdRange(file, u.name)
  const mappings = [{containerID: 0, hostID: own, size: 1}]
  if (range) mappings.push({containerID: 1, hostID: range.start, size: range.count})
  return mappings
}

/** The spec Podman generates for a rootless `podman run busybox`, trimmed to what tspod consumes. */
function podmanLikeSpec(merged: string, args: string[], overrides: Partial<OciSpec['process']> = {}, u = user): OciSpec {
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: {uid: 0, gid: 0, additionalGids: [0]},
      args,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci', 'TEST=here'],
      cwd: '/',
      capabilities: {bounding: [...DEFAULT_CAPABILITIES], effective: [...DEFAULT_CAPABILITIES], permitted: [...DEFAULT_CAPABILITIES], inheritable: [], ambient: []},
      rlimits: [{type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024}],
      noNewPrivileges: true,
      ...overrides,
    },
    root: {path: merged, readonly: false},
    hostname: 'tspod-test',
    mounts: [
      {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
      {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      {destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']},
      {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro']},
    ],
    linux: {
      namespaces: [{type: 'pid'}, {type: 'network'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}, {type: 'user'}, {type: 'cgroup'}],
      uidMappings: idMappings(u, '/etc/subuid', u.uid),
      gidMappings: idMappings(u, '/etc/subgid', u.gid),
      maskedPaths: [
        '/proc/acpi',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/proc/scsi',
        '/sys/firmware',
        '/sys/fs/selinux',
        '/sys/dev/block',
        '/proc/interrupts',
      ],
      readonlyPaths: ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  }
}

interface Store {
  user: TestUser
  dir: string
  busybox: string[]
  multi: string[]
}

/** Write an image's layer blobs and unpack them, as the user, into `<dir>/layers/<n>`; lower dirs top first. */
async function unpackImage(u: TestUser, dir: string, name: string, image: BuiltImage): Promise<string[]> {
  const jobs = image.layers.map((layer, i) => {
    const blob = path.join(dir, `${name}-${i}.blob`)
    fs.writeFileSync(blob, layer.data, {mode: 0o644})
    const dest = path.join(dir, 'layers', `${name}-${i}`)
    fs.mkdirSync(dest, {recursive: true})
    fs.chownSync(dest, u.uid, u.gid)
    return {blob, dest, expectedDiffID: layer.diffID}
  })
  fs.chownSync(path.join(dir, 'layers'), u.uid, u.gid)
  // without subordinate ids, the image's other owners are squashed to the user, as Podman's ignore_chown_errors
  const ignoreChownErrors = !subIdRange('/etc/subuid', u.name)
  const r = await runAs(u, [process.execPath, UNPACK, JSON.stringify({op: 'unpack', jobs, ignoreChownErrors})])
  const report = JSON.parse(r.stdout) as {error?: {message: string}}
  if (r.code !== 0 || report.error) throw new Error(`unpacking ${name} failed: ${r.stderr} ${report.error?.message}`)
  return jobs.map((j) => j.dest).reverse()
}

async function makeStore(u: TestUser, dir: string): Promise<Store> {
  const [busybox, multi] = await Promise.all([busyboxImage(), multiLayerImage()])
  return {user: u, dir, busybox: await unpackImage(u, dir, 'busybox', busybox), multi: await unpackImage(u, dir, 'multi', multi)}
}

let counter = 0

/** Fresh upper, work and merged dirs for one container, owned by the user. */
function containerLayout(store: Store, lowerDirs: string[]): RootfsLayout {
  const dir = path.join(store.dir, 'containers', String(counter++))
  const [upperDir, workDir, mergedDir] = ['upper', 'work', 'merged'].map((name) => path.join(dir, name))
  for (const d of [path.dirname(dir), dir, upperDir, workDir, mergedDir]) {
    fs.mkdirSync(d, {recursive: true})
    fs.chownSync(d, store.user.uid, store.user.gid)
  }
  return {lowerDirs, upperDir, workDir, mergedDir, rootless: true}
}

interface RunReport {
  mappingMode?: string
  exit?: {code: number | null; signal: string | null}
  stdout?: string
  stderr?: string
  error?: {name: string; message: string; exitCode: number; code?: string}
}

interface RunOptions {
  kill?: {signal: string; whenStdout: string}
  setgroupsFirst?: boolean
}

async function run(spec: OciSpec, layout: RootfsLayout, opts: RunOptions = {}, u = user): Promise<RunReport> {
  const r = await runAs(u, [process.execPath, RUN, JSON.stringify({spec, layout, ...opts})])
  if (r.code !== 0) throw new Error(`run-container failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as RunReport
}

async function sh(store: Store, script: string, opts: {lower?: string[]; process?: Partial<OciSpec['process']>} = {}) {
  const layout = containerLayout(store, opts.lower ?? store.busybox)
  const spec = podmanLikeSpec(layout.mergedDir, ['sh', '-c', script], opts.process, store.user)
  const report = await run(spec, layout, {}, store.user)
  return {layout, report}
}

let store: Store

test.before(async () => {
  store = await makeStore(user, userTempDir(user, 'tspod-run-'))
})

test.after.always(() => {
  if (store) removeTree(store.dir)
})

test('id: container root is uid 0 with its own groups; the subuid range is mapped and setgroups stays allow', async (t) => {
  const {report} = await sh(store, 'id; echo --; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; echo --; cat /proc/self/setgroups')
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 0, signal: null})
  const [id, uidMap, gidMap, setgroups] = report.stdout!.split('--\n')
  t.is(id, 'uid=0(root) gid=0(root) groups=0(root)\n')
  const rows = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number))
  t.deepEqual(rows(uidMap), [[0, user.uid, 1], [1, subuid.start, subuid.count]])
  t.deepEqual(rows(gidMap), [[0, user.gid, 1], [1, subgid.start, subgid.count]])
  t.is(setgroups.trim(), 'allow')
  t.is(report.mappingMode, 'subid')
})

test('--user 1234: the process runs as 1234:1234 and still has the env (TEST=here, container=oci)', async (t) => {
  const {report} = await sh(store, 'id; echo "TEST=$TEST container=$container"', {
    process: {user: {uid: 1234, gid: 1234, additionalGids: [1234]}},
  })
  t.is(report.error, undefined)
  t.is(report.stdout, 'uid=1234(user) gid=1234(user) groups=1234(user)\nTEST=here container=oci\n')
})

test('hostname, /proc, /dev and /dev/pts of the container', async (t) => {
  const script = [
    'hostname',
    'echo pid=$$',
    'cat /proc/self/status | grep -c ^Name',
    'echo discard > /dev/null && echo null-ok',
    'head -c 4 /dev/zero | wc -c',
    'ls /dev | tr "\\n" " "; echo',
    'test -c /dev/pts/ptmx && stat -c "ptmx %a" /dev/pts/ptmx',
    'readlink /dev/ptmx',
    'grep -E " /dev/(pts|mqueue|shm) " /proc/mounts | cut -d" " -f2,3 | sort | tr "\\n" " "; echo',
  ].join('; ')
  const {report} = await sh(store, script)
  t.is(report.error, undefined)
  const lines = report.stdout!.split('\n')
  t.is(lines[0], 'tspod-test')
  t.is(lines[1], 'pid=1', 'a new pid namespace')
  t.is(lines[2], '1')
  t.is(lines[3], 'null-ok')
  t.is(lines[4].trim(), '4')
  t.deepEqual(lines[5].trim().split(' ').sort(), [
    'core', 'fd', 'full', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero',
  ])
  t.is(lines[6], 'ptmx 666', 'ptmxmode=0666')
  t.is(lines[7], 'pts/ptmx')
  t.is(lines[8].trim(), '/dev/mqueue mqueue /dev/pts devpts /dev/shm tmpfs')
})

test('multi-layer image: a whited-out file is absent, an opaque dir shows only the upper layer, writes land in the upper dir', async (t) => {
  const {report, layout} = await sh(
    store,
    'ls /data | tr "\\n" " "; echo; ls /opq; cat /data/keep.txt; echo written > /new-file; stat -c "%u:%g" /data/user-owned.txt',
    {lower: store.multi},
  )
  t.is(report.error, undefined)
  const lines = report.stdout!.split('\n')
  t.deepEqual(lines[0].trim().split(' ').sort(), ['keep.txt', 'setuid', 'user-owned.txt'], 'gone.txt is whited out')
  t.is(lines[1], 'upper.txt', 'the opaque dir hides lower.txt')
  t.is(lines[2], 'keep')
  t.is(lines[3], '1234:1234')
  const written = path.join(layout.upperDir, 'new-file')
  t.is(fs.readFileSync(written, 'utf8'), 'written\n')
  t.deepEqual([fs.statSync(written).uid, fs.statSync(written).gid], [user.uid, user.gid])
  t.false(fs.existsSync(path.join(store.multi[store.multi.length - 1], 'new-file')), 'the lower dirs are untouched')
})

test('masked paths read empty, missing ones are skipped; read-only paths and /sys (the host one) are read-only', async (t) => {
  t.not(fs.readFileSync('/proc/interrupts', 'utf8'), '', 'the host file has content')
  t.not(fs.readdirSync('/sys/dev/block').length, 0, 'the host dir has content')
  const script = [
    'wc -c < /proc/interrupts',
    'ls -A /sys/dev/block | wc -l',
    'test -e /proc/kcore && echo kcore || echo no-kcore',
    'grep -E " /proc/sys | /sys | /sys/fs/cgroup " /proc/mounts | cut -d" " -f2,4 | cut -d, -f1 | tr "\\n" " "; echo',
    'echo 1 > /proc/sys/kernel/ns_last_pid',
  ].join('; ')
  const {report} = await sh(store, script)
  t.is(report.error, undefined)
  const lines = report.stdout!.split('\n')
  t.is(lines[0].trim(), '0', '/proc/interrupts is /dev/null')
  t.is(lines[1].trim(), '0', '/sys/dev/block is an empty tmpfs')
  t.is(lines[2], fs.existsSync('/proc/kcore') ? 'kcore' : 'no-kcore')
  // the last line for a mount point is its top mount (the rbind of /sys brings the host's /sys/fs/cgroup along)
  const top = new Map(lines[3].trim().split(' ').reduce<[string, string][]>((pairs, w, i, all) => (i % 2 ? pairs : [...pairs, [w, all[i + 1]]]), []))
  t.deepEqual(Object.fromEntries(top), {'/proc/sys': 'ro', '/sys': 'ro', '/sys/fs/cgroup': 'ro'})
  t.regex(report.stderr!, /ns_last_pid: Read-only file system/)
})

test('capabilities: bounding, effective and permitted sets are the requested ones; rlimits and no_new_privs apply', async (t) => {
  const {report} = await sh(store, 'grep -E "^(Cap|NoNewPrivs)" /proc/self/status; ulimit -n')
  t.is(report.error, undefined)
  t.is(
    report.stdout,
    [
      'CapInh:\t0000000000000000',
      'CapPrm:\t00000000800405fb',
      'CapEff:\t00000000800405fb',
      'CapBnd:\t00000000800405fb',
      'CapAmb:\t0000000000000000',
      'NoNewPrivs:\t1',
      '1024',
      '',
    ].join('\n'),
  )
})

test('capabilities: a non-root user gets its ambient capabilities', async (t) => {
  const caps = ['CAP_NET_BIND_SERVICE', 'CAP_KILL']
  const {report} = await sh(store, 'grep -E "^Cap" /proc/self/status', {
    process: {
      user: {uid: 1234, gid: 1234},
      capabilities: {bounding: caps, effective: caps, permitted: caps, inheritable: caps, ambient: ['CAP_NET_BIND_SERVICE']},
    },
  })
  t.is(report.error, undefined)
  t.is(
    report.stdout,
    ['CapInh:\t0000000000000420', 'CapPrm:\t0000000000000400', 'CapEff:\t0000000000000400', 'CapBnd:\t0000000000000420', 'CapAmb:\t0000000000000400', ''].join('\n'),
  )
})

test('exit codes: the process status, a signal, 127 for a missing program or interpreter, 126 for a directory or a mode-000 file', async (t) => {
  const exit3 = await sh(store, 'exit 3')
  t.deepEqual(exit3.report.exit, {code: 3, signal: null})

  const layout = containerLayout(store, store.busybox)
  const killed = await run(podmanLikeSpec(layout.mergedDir, ['sh', '-c', 'echo ready; exec sleep 60']), layout, {
    kill: {signal: 'SIGKILL', whenStdout: 'ready'},
  })
  t.deepEqual(killed.exit, {code: null, signal: 'SIGKILL'})

  const exec = async (args: string[], prepare?: (l: RootfsLayout) => void) => {
    const l = containerLayout(store, store.busybox)
    prepare?.(l)
    return (await run(podmanLikeSpec(l.mergedDir, args), l)).error
  }
  const missing = await exec(['/no/such'])
  t.is(missing?.exitCode, 127)
  t.is(missing?.message, 'executable file `/no/such` not found: No such file or directory')
  t.regex(missing!.message, /\/no\/such.*[Nn]o such file or directory/, "Podman's 030-run.bats expectation")
  const notInPath = await exec(['no-such-cmd'])
  t.is(notInPath?.message, 'executable file `no-such-cmd` not found in $PATH: No such file or directory')
  t.is(notInPath?.exitCode, 127)

  const podman126 = /(exec.*(permission denied|is a directory)|is not a regular file)/
  const dir = await exec(['/etc'])
  t.is(dir?.exitCode, 126)
  t.regex(dir!.message, podman126)
  t.is(dir?.message, 'exec `/etc`: permission denied')

  const mode000 = await exec(['/noexec'], (l) => {
    const file = path.join(l.upperDir, 'noexec')
    fs.writeFileSync(file, '#!/bin/sh\necho ran\n', {mode: 0})
    fs.chmodSync(file, 0)
    fs.chownSync(file, user.uid, user.gid)
  })
  t.is(mode000?.exitCode, 126)
  t.regex(mode000!.message, podman126)
  t.is(mode000?.message, 'exec `/noexec`: permission denied')

  const noInterpreter = await exec(['/script'], (l) => {
    const file = path.join(l.upperDir, 'script')
    fs.writeFileSync(file, '#!/no/such/interpreter\n', {mode: 0o755})
    fs.chownSync(file, user.uid, user.gid)
  })
  t.is(noInterpreter?.exitCode, 127)
  t.is(noInterpreter?.message, 'exec container process (missing dynamic library?) `/script`: No such file or directory')
})

test('mount destinations behind image symlinks pointing outside the rootfs resolve inside it, or are refused', async (t) => {
  const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-escape-'))
  t.teardown(() => removeTree(hostDir))
  fs.chmodSync(hostDir, 0o777) // writable by the user: only the resolution keeps the child out
  const layoutWith = (links: Record<string, string>, mirror: boolean): RootfsLayout => {
    const layout = containerLayout(store, store.busybox)
    if (mirror) {
      // the same path inside the rootfs (owned by the container's root): where the links must lead
      let dir = layout.upperDir
      for (const part of hostDir.split('/').filter(Boolean)) {
        dir = path.join(dir, part)
        fs.mkdirSync(dir, {mode: 0o1777})
        fs.chownSync(dir, user.uid, user.gid)
      }
    }
    for (const [name, target] of Object.entries(links)) {
      fs.symlinkSync(target, path.join(layout.upperDir, name))
      fs.lchownSync(path.join(layout.upperDir, name), user.uid, user.gid)
    }
    return layout
  }
  const tmpfs = (destination: string) => ({destination, type: 'tmpfs', source: 'tmpfs', options: ['size=1m']})

  const layout = layoutWith({escape: hostDir, up: `../../../../../../..${hostDir}`}, true)
  const spec = podmanLikeSpec(layout.mergedDir, ['sh', '-c', `grep -c " ${hostDir}/mnt[12] tmpfs" /proc/mounts`])
  spec.mounts!.push(tmpfs('/escape/mnt1'), tmpfs('/up/mnt2'))
  const report = await run(spec, layout)
  t.is(report.error, undefined)
  t.is(report.stdout, '2\n', 'both mounts are at the links targets inside the rootfs')
  t.deepEqual(fs.readdirSync(hostDir), [], 'nothing was created in the host dir')
  t.deepEqual(fs.readdirSync(path.join(layout.upperDir, hostDir)).sort(), ['mnt1', 'mnt2'])

  const dangling = layoutWith({escape: hostDir}, false)
  const refusedSpec = podmanLikeSpec(dangling.mergedDir, ['true'])
  refusedSpec.mounts!.push(tmpfs('/escape/mnt'))
  const refused = await run(refusedSpec, dangling)
  t.is(refused.error?.message, 'create `/escape/mnt`: No such file or directory')
  t.deepEqual(fs.readdirSync(hostDir), [], 'a link whose target is missing in the rootfs is not followed to the host')
})

test('bind mounts: a dir volume read-write and read-only, a file volume; a read-only root with a writable /dev/shm', async (t) => {
  const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-vol-'))
  t.teardown(() => removeTree(hostDir))
  fs.chownSync(hostDir, user.uid, user.gid)
  fs.writeFileSync(path.join(hostDir, 'file.txt'), 'from the host\n', {mode: 0o644})
  const layout = containerLayout(store, store.busybox)
  const script = [
    'echo from-container > /vol/new.txt && echo rw-ok',
    'echo x > /vol-ro/other.txt || echo ro-refused',
    'cat /etc/volume-file.txt',
    'touch /root-file || echo root-ro',
    'echo shm > /dev/shm/x && echo shm-ok',
  ].join('; ')
  const spec = podmanLikeSpec(layout.mergedDir, ['sh', '-c', script])
  spec.root.readonly = true
  spec.mounts!.push(
    {destination: '/vol', type: 'bind', source: hostDir, options: ['rbind', 'rprivate']},
    {destination: '/vol-ro', type: 'bind', source: hostDir, options: ['rbind', 'ro', 'nosuid', 'nodev']},
    {destination: '/etc/volume-file.txt', type: 'bind', source: path.join(hostDir, 'file.txt'), options: ['bind', 'ro']},
  )
  const report = await run(spec, layout)
  t.is(report.error, undefined)
  t.is(report.stdout, 'rw-ok\nro-refused\nfrom the host\nroot-ro\nshm-ok\n')
  t.regex(report.stderr!, /other.txt: Read-only file system/)
  t.regex(report.stderr!, /root-file: Read-only file system/)
  t.is(fs.readFileSync(path.join(hostDir, 'new.txt'), 'utf8'), 'from-container\n')
  t.false(fs.existsSync(path.join(hostDir, 'other.txt')))
})

/** A host file only the supplementary group can read: root:tspodstor 0640. */
function groupOnlyFile(t: {teardown: (fn: () => void) => void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-keep-'))
  t.teardown(() => removeTree(dir))
  fs.chmodSync(dir, 0o755)
  const file = path.join(dir, 'secret')
  fs.writeFileSync(file, 'for the group\n')
  fs.chownSync(file, 0, groupId(SUPP_GROUP))
  fs.chmodSync(file, 0o640)
  return file
}

test('keep-groups: a root:tspodstor 0640 volume file is readable only when setgroups is skipped', async (t) => {
  const secret = groupOnlyFile(t)
  const bind = {destination: '/mnt/secret', type: 'bind', source: secret, options: ['bind', 'rprivate']}
  const script = 'id; cat /mnt/secret 2>&1'

  const kept = containerLayout(store, store.busybox)
  const keepSpec = podmanLikeSpec(kept.mergedDir, ['sh', '-c', script])
  keepSpec.mounts!.push(bind)
  keepSpec.annotations = {'run.oci.keep_original_groups': '1'}
  const withKeep = await run(keepSpec, kept)
  t.is(withKeep.error, undefined)
  const [id, content] = withKeep.stdout!.split('\n')
  t.regex(id, /^uid=0\(root\) gid=0\(root\) groups=/)
  t.deepEqual(id.replace(/.*groups=/, '').split(',').sort(), ['0(root)', '65534(nogroup)'], 'the unmapped tspodstor shows as 65534')
  t.is(content, 'for the group')

  const dropped = containerLayout(store, store.busybox)
  const dropSpec = podmanLikeSpec(dropped.mergedDir, ['sh', '-c', script])
  dropSpec.mounts!.push(bind)
  const withoutKeep = await run(dropSpec, dropped)
  t.is(withoutKeep.error, undefined)
  t.regex(withoutKeep.stdout!, /^uid=0\(root\) gid=0\(root\) groups=0\(root\)\n/)
  t.regex(withoutKeep.stdout!, /cat: can't open '\/mnt\/secret': Permission denied/)
})

test('field note 1: storage under a root:tspodstor 0750 dir runs without keep-groups (pivot before setgroups)', async (t) => {
  const guarded = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-sg-'))
  t.teardown(() => removeTree(guarded))
  fs.chownSync(guarded, 0, groupId(SUPP_GROUP))
  fs.chmodSync(guarded, 0o750)
  const storeDir = path.join(guarded, 'storage')
  fs.mkdirSync(storeDir, {mode: 0o700})
  fs.chownSync(storeDir, user.uid, user.gid)
  const guardedStore = {user, dir: storeDir, busybox: await unpackImage(user, storeDir, 'busybox', await busyboxImage()), multi: []}

  const {report, layout} = await sh(guardedStore, 'id; echo hello > /hello; cat /hello')
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 0, signal: null})
  t.is(report.stdout, 'uid=0(root) gid=0(root) groups=0(root)\nhello\n', 'the supplementary group is gone')
  t.is(fs.readFileSync(path.join(layout.upperDir, 'hello'), 'utf8'), 'hello\n')

  // crun's order (setgroups first, then the rootfs) fails on the same store: the mount walks
  // through the group-only dir without the group.
  const crunLayout = containerLayout(guardedStore, guardedStore.busybox)
  const crunOrder = await run(podmanLikeSpec(crunLayout.mergedDir, ['true']), crunLayout, {setgroupsFirst: true})
  t.is(crunOrder.error?.code, 'EACCES')
  t.regex(crunOrder.error!.message, /^mount overlay to `….*\/merged`: Permission denied$/)

  // The same path walk after the groups are dropped is what breaks crun's order.
  const ids = ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups']
  const walk = spawnSync('setpriv', [...ids, '--', 'ls', layout.mergedDir], {encoding: 'utf8'})
  t.not(walk.status, 0)
  t.regex(walk.stderr, /Permission denied/)
})

test('a user without subordinate ids: single mapping, setgroups deny (groups kept), devpts without gid=5', async (t) => {
  const nosub = lookupUser(NOSUB_USER)
  const dir = userTempDir(nosub, 'tspod-run-nosub-')
  t.teardown(() => removeTree(dir))
  const nosubStore = {user: nosub, dir, busybox: await unpackImage(nosub, dir, 'busybox', await busyboxImage()), multi: []}
  const {report} = await sh(nosubStore, 'id -u; cat /proc/self/setgroups; grep " /dev/pts " /proc/mounts | grep -c gid=; test -c /dev/pts/ptmx && echo ptmx-ok')
  t.is(report.error, undefined)
  t.is(report.mappingMode, 'single')
  t.is(report.stdout, '0\ndeny\n0\nptmx-ok\n')
})

test('child steps: paths in the root are clamped to it, optional and onlyIf skip, a fallback runs on its errno, rlimit and umask', async (t) => {
  const dir = userTempDir(user, 'tspod-steps-')
  t.teardown(() => removeTree(dir))
  const steps = [
    {kind: 'mount', name: 'mount tmpfs', source: 'tmpfs', fstype: 'tmpfs', path: dir, data: 'mode=0755'},
    {kind: 'chdir', name: 'chdir', path: dir},
    {kind: 'mkdirp', name: 'mkdirp a/b/c', path: '/a/b/c', mode: 0o755, inRoot: true},
    {kind: 'symlink', name: 'symlink esc', source: '../../../../..', path: '/esc', inRoot: true},
    {kind: 'mkdirp', name: 'mkdirp esc/d', path: '/esc/d', mode: 0o755, inRoot: true},
    {kind: 'touch', name: 'touch esc/f', path: '/esc/f', mode: 0o600, inRoot: true},
    // no ipc namespace of its own: mqueue fails with EPERM and the tmpfs alternative runs
    {kind: 'mount', name: 'mount mqueue', source: 'mqueue', fstype: 'mqueue', path: '/a', inRoot: true, fallback: {errno: os.constants.errno.EPERM, steps: 1}},
    {kind: 'mount', name: 'mount tmpfs on a', source: 'tmpfs', fstype: 'tmpfs', path: '/a', data: 'mode=0711', inRoot: true},
    // succeeds, so its alternative (which would fail) is skipped
    {kind: 'mkdirp', name: 'mkdirp g', path: '/g', mode: 0o755, inRoot: true, fallback: {errno: os.constants.errno.EPERM, steps: 1}},
    {kind: 'mount', name: 'never', source: 'none', fstype: 'none', path: '/nowhere'},
    {kind: 'mount', name: 'optional', source: 'tmpfs', fstype: 'tmpfs', path: '/missing', inRoot: true, optional: true},
    {kind: 'mount', name: 'only dirs', source: 'tmpfs', fstype: 'tmpfs', path: '/f', inRoot: true, onlyIf: 'dir'},
    {kind: 'rlimit', name: 'rlimit', resource: 7, soft: 100, hard: 200},
    {kind: 'umask', name: 'umask', mode: 0o027},
  ]
  const script = 'stat -c %a a; ls; stat -c %a f; ulimit -n; ulimit -Hn; umask'
  const command = {file: '/bin/sh', argv: ['sh', '-c', script], env: ['PATH=/usr/bin:/bin']}
  const r = await runAs(user, [process.execPath, SPAWN_REPORT, JSON.stringify({namespaces: ['user', 'mount'], steps, command})])
  const report = JSON.parse(r.stdout) as RunReport
  t.is(report.error, undefined)
  t.is(report.stdout, '711\na\nd\nesc\nf\ng\n600\n100\n200\n0027\n')
  t.deepEqual(fs.readdirSync(dir), [], 'everything happened on the tmpfs, in the child mount namespace')
})
