// planContainer: the OCI runtime spec as the ordered list of child steps (no privileges needed;
// test/runtime/container-run.test.ts runs the plans for real as the rootless user).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ChildStep, native} from '../../src/native'
import {OciSpec} from '../../src/runtime/oci-spec'
import {CAPABILITIES, RLIMITS, overlaySteps, planContainer, rootfsSteps} from '../../src/runtime/plan'
import {MS, parseMountOptions, stepName} from '../../src/runtime/rootfs-mount'
import {SAMPLE_LAYOUT} from '../helpers/sample-layout'

const LAYOUT = SAMPLE_LAYOUT

const USER_MAP = [
  {containerID: 0, hostID: 1001, size: 1},
  {containerID: 1, hostID: 100000, size: 65536},
]

function spec(overrides: Partial<OciSpec> = {}, process: Partial<OciSpec['process']> = {}): OciSpec {
  return {
    ociVersion: '1.0.2',
    process: {
      user: {uid: 0, gid: 0, additionalGids: [0, 10]},
      args: ['sh', '-c', 'true'],
      env: ['PATH=/bin', 'container=oci'],
      cwd: '/work',
      ...process,
    },
    root: {path: LAYOUT.mergedDir},
    hostname: 'box',
    mounts: [
      {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
      {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']},
      {destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
    ],
    linux: {
      namespaces: [{type: 'pid'}, {type: 'network'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}, {type: 'user'}],
      uidMappings: USER_MAP,
      gidMappings: USER_MAP,
      maskedPaths: ['/proc/kcore'],
      readonlyPaths: ['/proc/sys'],
    },
    ...overrides,
  }
}

function names(steps: ChildStep[]): string[] {
  return steps.map((s) => s.name)
}

function find(steps: ChildStep[], name: string): ChildStep & {kind: string} {
  const step = steps.find((s) => s.name === name)
  if (!step) throw new Error(`no step named ${name}: ${names(steps).join(' | ')}`)
  return step
}

test('the order: rootfs mounted, made private and pivoted into before groups, ids, umask, caps and no_new_privs', (t) => {
  const plan = planContainer(
    spec({}, {
      capabilities: {bounding: ['CAP_CHOWN', 'CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'], inheritable: [], ambient: []},
      rlimits: [{type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096}],
      noNewPrivileges: true,
    }),
    LAYOUT,
  )
  t.deepEqual(plan.namespaces, ['pid', 'net', 'ipc', 'uts', 'mount', 'user'])
  t.deepEqual(plan.command, {file: 'sh', argv: ['sh', '-c', 'true'], env: ['PATH=/bin', 'container=oci'], cwd: '/work'})
  const steps = plan.steps
  t.deepEqual(steps.slice(0, 5), [
    {kind: 'mount', name: 'make `/` private', source: 'none', path: '/', flags: MS.REC | MS.PRIVATE},
    {
      kind: 'mount',
      name: 'mount overlay to `/store/c1/merged`',
      source: 'overlay',
      fstype: 'overlay',
      path: '/store/c1/merged',
      flags: MS.NODEV,
      data: 'lowerdir=/store/layers/top:/store/layers/base,upperdir=/store/c1/upper,workdir=/store/c1/work,userxattr',
    },
    {kind: 'mount', name: 'bind `/store/c1/merged`', source: '/store/c1/merged', path: '/store/c1/merged', flags: MS.BIND | MS.REC},
    {kind: 'mount', name: 'make `/store/c1/merged` private', source: 'none', path: '/store/c1/merged', flags: MS.PRIVATE},
    {kind: 'chdir', name: 'chdir to `/store/c1/merged`', path: '/store/c1/merged'},
  ])
  const kinds = steps.map((s) => s.kind)
  const pivot = kinds.indexOf('pivot_root')
  t.deepEqual(steps.slice(pivot, pivot + 3), [
    {kind: 'pivot_root', name: 'pivot_root', path: '.', source: '.'},
    {kind: 'umount_detach', name: 'unmount the old root', path: '.'},
    {kind: 'chdir', name: 'chdir to `/`', path: '/'},
  ])
  t.deepEqual(steps.slice(pivot + 3), [
    {kind: 'sethostname', name: 'sethostname', path: 'box'},
    {kind: 'loopback_up', name: 'bring up lo'},
    {kind: 'setsid', name: 'setsid'},
    {kind: 'rlimit', name: 'setrlimit `RLIMIT_NOFILE`', resource: 7, soft: 1024, hard: 4096},
    {kind: 'setgroups', name: 'setgroups', groups: [0, 10]},
    {kind: 'setresgid', name: 'setresgid', id: 0},
    {kind: 'setresuid', name: 'setresuid', id: 0},
    {kind: 'umask', name: 'umask', mode: 0o022},
    {kind: 'caps', name: 'set capabilities', bounding: [0, 5], effective: [5], permitted: [5], inheritable: [], ambient: []},
    {kind: 'no_new_privs', name: 'set no_new_privs'},
  ])
  // Between the chdir into the rootfs and pivot_root, every path is resolved inside the rootfs.
  for (const step of steps.slice(5, pivot))
    t.true('inRoot' in step && step.inRoot === true, `${step.name} is resolved in the root`)
  t.deepEqual(plan.mapping, {mode: 'subid', uidMap: USER_MAP, gidMap: USER_MAP, setgroups: 'allow'})
})

test('spec mounts: a new proc without fallback, a fresh /dev with bound host devices and symlinks, devpts, mqueue and sysfs with their fallbacks', (t) => {
  const steps = planContainer(spec(), LAYOUT).steps
  t.deepEqual(find(steps, 'mount `proc` to `/proc`'), {
    kind: 'mount',
    name: 'mount `proc` to `/proc`',
    source: 'proc',
    fstype: 'proc',
    path: '/proc',
    flags: MS.NOSUID | MS.NOEXEC | MS.NODEV,
    data: '',
    inRoot: true,
  })
  t.false(
    steps.some((s) => s.kind === 'mount' && s.source === '/proc'),
    'with a pid namespace of its own the container never gets the host /proc, not even when a new one fails',
  )
  t.like(find(steps, 'mount `tmpfs` to `/dev`'), {flags: MS.NOSUID | MS.STRICTATIME | MS.NODEV, data: 'mode=755,size=65536k'}, 'nodev: its devices are bound host nodes')
  for (const device of ['null', 'zero', 'full', 'tty', 'random', 'urandom']) {
    t.like(find(steps, `create \`/dev/${device}\``), {kind: 'touch', inRoot: true})
    t.like(find(steps, `bind mount \`/dev/${device}\``), {source: `/dev/${device}`, path: `/dev/${device}`, flags: MS.BIND, inRoot: true})
  }
  t.like(find(steps, 'create `/dev/ptmx`'), {kind: 'symlink', source: 'pts/ptmx', inRoot: true})
  t.like(find(steps, 'create `/dev/fd`'), {kind: 'symlink', source: '/proc/self/fd'})
  t.true(names(steps).indexOf('bind mount `/dev/null`') < names(steps).indexOf('mount `devpts` to `/dev/pts`'), 'devices right after /dev')
  t.like(find(steps, 'mount `devpts` to `/dev/pts`'), {data: 'newinstance,ptmxmode=0666,mode=0620,gid=5'}, 'gid 5 is mapped')

  const mqueue = steps.findIndex((s) => s.name === 'mount `mqueue` to `/dev/mqueue`')
  t.like(steps[mqueue], {fstype: 'mqueue', fallback: {errno: os.constants.errno.EPERM, steps: 2}})
  t.like(steps[mqueue + 1], {kind: 'mount', source: '/dev/mqueue', path: '/dev/mqueue', flags: MS.BIND | MS.REC})
  t.like(steps[mqueue + 2], {kind: 'mount', flags: MS.BIND | MS.REMOUNT | MS.NOSUID | MS.NOEXEC | MS.NODEV, keepLockedFlags: true})

  // a sysfs of the network namespace the child is in; the host's, read-only, where the kernel refuses one
  const sys = steps.findIndex((s) => s.name === 'mount `sysfs` to `/sys`')
  t.like(steps[sys], {fstype: 'sysfs', source: 'sysfs', flags: MS.RDONLY | MS.NOSUID | MS.NOEXEC | MS.NODEV, fallback: {errno: os.constants.errno.EPERM, steps: 2}})
  t.like(steps[sys + 1], {kind: 'mount', source: '/sys', path: '/sys', flags: MS.BIND | MS.REC})
  t.like(steps[sys + 2], {kind: 'mount', flags: MS.BIND | MS.REMOUNT | MS.RDONLY | MS.NOSUID | MS.NOEXEC | MS.NODEV, keepLockedFlags: true})
})

test('masked paths: /dev/null over a file, a read-only tmpfs over a dir, skipped when missing; read-only paths', (t) => {
  const steps = planContainer(spec(), LAYOUT).steps
  t.deepEqual(
    steps.filter((s) => s.name === 'mask `/proc/kcore`'),
    [
      {kind: 'mount', name: 'mask `/proc/kcore`', source: '/dev/null', path: '/proc/kcore', flags: MS.BIND, inRoot: true, optional: true, onlyIf: 'notdir'},
      {kind: 'mount', name: 'mask `/proc/kcore`', source: 'tmpfs', fstype: 'tmpfs', path: '/proc/kcore', flags: MS.RDONLY, inRoot: true, optional: true, onlyIf: 'dir'},
    ],
  )
  t.deepEqual(
    steps.filter((s) => s.name === 'make `/proc/sys` read-only'),
    [
      {kind: 'mount', name: 'make `/proc/sys` read-only', source: '/proc/sys', sourceInRoot: true, path: '/proc/sys', flags: MS.BIND | MS.REC, inRoot: true, optional: true},
      {
        kind: 'mount',
        name: 'make `/proc/sys` read-only',
        source: 'none',
        path: '/proc/sys',
        flags: MS.BIND | MS.REMOUNT | MS.RDONLY,
        inRoot: true,
        optional: true,
        keepLockedFlags: true,
      },
    ],
  )
  const all = names(steps)
  t.true(all.indexOf('mask `/proc/kcore`') > all.indexOf('mount `sysfs` to `/sys`') || all.indexOf('mask `/proc/kcore`') > all.lastIndexOf('bind mount `/sys`'))
  t.true(all.indexOf('make `/proc/sys` read-only') < all.indexOf('pivot_root'))
})

test('bind mounts: a dir gets a dir, a file an empty file; propagation and flags are applied by further mounts', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-plan-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'file')
  fs.writeFileSync(file, 'x')
  const s = spec({
    mounts: [
      {destination: '/data', type: 'bind', source: dir, options: ['rbind', 'rprivate', 'ro', 'nosuid']},
      {destination: '/etc/hosts', source: file, options: ['bind']},
    ],
  })
  const steps = planContainer(s, LAYOUT).steps
  const chdir = steps.findIndex((st) => st.name === 'chdir to `/store/c1/merged`')
  t.deepEqual(steps.slice(chdir + 1, chdir + 9), [
    {kind: 'mkdirp', name: 'create `/data`', path: '/data', mode: 0o755, inRoot: true},
    {kind: 'mount', name: 'bind mount `/data`', source: dir, path: '/data', flags: MS.BIND | MS.REC, inRoot: true},
    {kind: 'mount', name: 'set propagation of `/data`', source: 'none', path: '/data', flags: MS.PRIVATE | MS.REC, inRoot: true},
    {kind: 'mount', name: 'remount `/data`', source: 'none', path: '/data', flags: MS.BIND | MS.REMOUNT | MS.RDONLY | MS.NOSUID, inRoot: true, keepLockedFlags: true},
    {kind: 'mkdirp', name: 'create `/etc`', path: '/etc', mode: 0o755, inRoot: true},
    {kind: 'touch', name: 'create `/etc/hosts`', path: '/etc/hosts', mode: 0o644, inRoot: true},
    {kind: 'mount', name: 'bind mount `/etc/hosts`', source: file, path: '/etc/hosts', flags: MS.BIND, inRoot: true},
    // no /dev mount in this spec: the devices go after the spec mounts, without /dev symlinks
    {kind: 'mkdirp', name: 'create `/dev`', path: '/dev', mode: 0o755, inRoot: true},
  ])
  t.false(names(steps).includes('create `/dev/ptmx`'))

  const missing = spec({mounts: [{destination: '/x', type: 'bind', source: path.join(dir, 'nope'), options: ['bind']}]})
  t.throws(() => planContainer(missing, LAYOUT), {
    message: `bind mount source \`${path.join(dir, 'nope')}\`: No such file or directory`,
  })
})

test('keep-groups skips setgroups; a single mapping of the caller denies setgroups, so no setgroups step and no devpts gid=5', (t) => {
  const keep = planContainer(spec({annotations: {'run.oci.keep_original_groups': '1'}}), LAYOUT).steps
  t.deepEqual(find(keep, 'setgroups'), {kind: 'setgroups', name: 'setgroups', groups: 'keep'})
  const notKept = planContainer(spec({annotations: {'run.oci.keep_original_groups': '0'}}), LAYOUT).steps
  t.deepEqual(find(notKept, 'setgroups'), {kind: 'setgroups', name: 'setgroups', groups: [0, 10]})

  const own = [{containerID: 0, hostID: process.getuid!(), size: 1}]
  const ownGroup = [{containerID: 0, hostID: process.getgid!(), size: 1}]
  const single = planContainer(spec({linux: {...spec().linux, uidMappings: own, gidMappings: ownGroup}}), LAYOUT)
  t.deepEqual(single.mapping, {mode: 'single', uidMap: own, gidMap: ownGroup, setgroups: 'deny'})
  t.false(single.steps.some((s) => s.kind === 'setgroups'))
  t.like(find(single.steps, 'mount `devpts` to `/dev/pts`'), {data: 'newinstance,ptmxmode=0666,mode=0620'})
})

test('without a pid namespace the host /proc is bound; without rootless, sysfs is mounted and overlay has no userxattr', (t) => {
  const linux = {...spec().linux, namespaces: [{type: 'mount' as const}, {type: 'user' as const}, {type: 'uts' as const}]}
  const steps = planContainer(spec({linux}), LAYOUT).steps
  t.like(find(steps, 'bind mount `/proc`'), {source: '/proc', flags: MS.BIND | MS.REC})

  const rootful = planContainer(spec(), {...LAYOUT, rootless: false}).steps
  t.like(find(rootful, 'mount `sysfs` to `/sys`'), {fstype: 'sysfs', flags: MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RDONLY})
  t.false((find(rootful, 'mount overlay to `/store/c1/merged`') as {data: string}).data.includes('userxattr'))
})

test('overlay: paths with : and , are escaped; options past a page use paths relative to a common parent; too many layers fail', (t) => {
  const odd = overlaySteps({...LAYOUT, lowerDirs: ['/s/a:b', '/s/c,d']})
  t.is((odd[0] as {data: string}).data, 'lowerdir=/s/a\\:b:/s/c\\,d,upperdir=/store/c1/upper,workdir=/store/c1/work,userxattr')

  const base = '/var/lib/very/long/storage/path/overlay'
  const lowerDirs = Array.from({length: 60}, (_, i) => `${base}/${'l'.repeat(40)}${String(i).padStart(3, '0')}/diff`)
  const long = overlaySteps({lowerDirs, upperDir: `${base}/c/upper`, workDir: `${base}/c/work`, mergedDir: `${base}/c/merged`, rootless: true})
  t.is(long.length, 2)
  t.deepEqual(long[0], {kind: 'chdir', name: `chdir to \`${base}\``, path: base})
  const data = (long[1] as {data: string}).data
  t.true(data.length < 4096)
  t.true(data.startsWith(`lowerdir=${'l'.repeat(40)}000/diff:${'l'.repeat(40)}001/diff:`))
  t.true(data.endsWith(',upperdir=c/upper,workdir=c/work,userxattr'))

  const tooMany = Array.from({length: 200}, (_, i) => `${base}/${'l'.repeat(40)}${i}/diff`)
  t.throws(() => overlaySteps({...LAYOUT, lowerDirs: tooMany, upperDir: `${base}/u`, workDir: `${base}/w`}), {
    message: /^cannot mount layer, mount label too large \d+ > page size 4096$/,
  })
})

test('spec errors are refused with one clear line', (t) => {
  const linux = spec().linux!
  const cases: [OciSpec, string | RegExp][] = [
    [spec({hostname: 'x', linux: {...linux, namespaces: [{type: 'mount'}, {type: 'user'}]}}), 'unable to set hostname without a private UTS namespace'],
    [spec({}, {args: []}), 'process.args must name the program to run'],
    [spec({}, {cwd: 'relative'}), 'process.cwd `relative` must be an absolute path'],
    [spec({linux: {...linux, namespaces: [{type: 'user'}, {type: 'mount'}, {type: 'network', path: '/proc/1/ns/net'}]}}), 'joining the network namespace at `/proc/1/ns/net` needs the user namespace that owns it (linux.namespaces)'],
    [spec({hostname: undefined, linux: {...linux, namespaces: [{type: 'user'}]}}), 'the container needs a mount namespace (linux.namespaces)'],
    [spec({hostname: undefined, linux: {...linux, namespaces: [{type: 'mount'}]}}), 'a rootless container needs a user namespace (linux.namespaces)'],
    [spec({linux: {...linux, uidMappings: []}}), 'a user namespace needs linux.uidMappings and linux.gidMappings'],
    [spec({root: {path: '/elsewhere'}}), 'root.path `/elsewhere` is not the rootfs mount point `/store/c1/merged`'],
    [spec({}, {capabilities: {bounding: ['CAP_FOO']}}), 'unknown cap: `CAP_FOO`'],
    [spec({}, {rlimits: [{type: 'RLIMIT_FOO', soft: 1, hard: 1}]}), 'unknown rlimit `RLIMIT_FOO`'],
    [spec({mounts: [{destination: 'tmp', type: 'tmpfs'}]}), 'mount destination `tmp` must be an absolute path'],
    [spec({mounts: [{destination: '/', type: 'tmpfs'}]}), 'mount destination `/` is not allowed: the rootfs is mounted there'],
    [spec({mounts: [{destination: '/run', type: 'tmpfs', options: ['copy-symlink']}]}), 'mount option "copy-symlink" for `/run` is not supported'],
    [spec({linux: {...linux, rootfsPropagation: 'sideways'}}), 'invalid rootfsPropagation "sideways"'],
  ]
  for (const [s, message] of cases) t.throws(() => planContainer(s, LAYOUT), {message}, String(message))
})

test('capabilities and rlimits: names to numbers, case-insensitive, duplicates folded; RLIM_INFINITY', (t) => {
  const plan = planContainer(
    spec({}, {
      capabilities: {bounding: ['cap_sys_admin', 'CAP_SYS_ADMIN', 'CAP_CHOWN'], ambient: ['CAP_NET_RAW']},
      rlimits: [{type: 'RLIMIT_CORE', soft: 18446744073709551615, hard: 18446744073709551615}],
    }),
    LAYOUT,
  )
  t.like(find(plan.steps, 'set capabilities'), {bounding: [0, 21], effective: [], permitted: [], inheritable: [], ambient: [13]})
  t.like(find(plan.steps, 'setrlimit `RLIMIT_CORE`'), {resource: RLIMITS.RLIMIT_CORE, soft: Infinity, hard: Infinity})
  t.is(Object.keys(CAPABILITIES).length, 41)
  t.false(planContainer(spec(), LAYOUT).steps.some((s) => s.kind === 'caps'), 'no capabilities in the spec: the caps are left alone')
})

test('mount options: flags set and cleared in order, propagation, bind, filesystem data', (t) => {
  t.deepEqual(parseMountOptions(['ro', 'nosuid', 'nodev', 'noexec', 'rw', 'rbind', 'rslave', 'mode=755', 'size=1m', 'defaults', 'notmpcopyup'], '/x'), {
    flags: MS.NOSUID | MS.NODEV | MS.NOEXEC,
    bind: true,
    recursive: true,
    propagation: MS.SLAVE | MS.REC,
    data: ['mode=755', 'size=1m'],
    copyUp: false,
  })
  t.true(parseMountOptions(['rw', 'tmpcopyup'], '/x').copyUp)
  // only a tmpfs is copied up into; the child copies when it mounts it
  const steps = planContainer(spec({mounts: [{destination: '/x', type: 'tmpfs', source: 'tmpfs', options: ['tmpcopyup']}, {destination: '/y', type: 'tmpfs', source: 'tmpfs', options: []}]}), LAYOUT).steps
  t.like(find(steps, 'mount `tmpfs` to `/x`'), {kind: 'mount', copyUp: true})
  t.false('copyUp' in find(steps, 'mount `tmpfs` to `/y`'))
  t.deepEqual(parseMountOptions(['bind', 'relatime', 'strictatime', 'nostrictatime'], '/x'), {
    flags: MS.RELATIME,
    bind: true,
    recursive: false,
    propagation: 0,
    data: [],
    copyUp: false,
  })
  const c = native().constants
  for (const name of ['RDONLY', 'NOSUID', 'NODEV', 'NOEXEC', 'REMOUNT', 'BIND', 'MOVE', 'REC', 'PRIVATE', 'SLAVE', 'SHARED', 'STRICTATIME', 'RELATIME', 'NOATIME'] as const)
    t.is(MS[name] as number, c[`MS_${name}`], `MS_${name}`)
})

test('step names fit the 63 bytes of the child report, keeping the end of the path', (t) => {
  t.is(stepName('mount `proc` to `/proc`'), 'mount `proc` to `/proc`')
  const long = stepName(`mount overlay to \`/home/someone/.local/share/containers/storage/overlay/${'a'.repeat(64)}/merged\``)
  t.true(Buffer.byteLength(long) <= 63)
  t.regex(long, /^mount overlay to `…a+\/merged`$/)
})

test('process.terminal: the console step comes right after setsid, before ids change', (t) => {
  const kinds = planContainer(spec({}, {terminal: true}), LAYOUT).steps.map((s) => s.kind)
  const setsid = kinds.indexOf('setsid')
  t.is(kinds[setsid + 1], 'console')
  t.true(kinds.indexOf('console') < kinds.indexOf('setresuid'))
})

test('a new network namespace gets lo up after the mounts, before the process steps; the host\'s network none', (t) => {
  const withNet = planContainer(spec(), LAYOUT).steps
  const lo = withNet.findIndex((s) => s.kind === 'loopback_up')
  t.deepEqual(withNet[lo], {kind: 'loopback_up', name: 'bring up lo'})
  t.true(lo > withNet.findIndex((s) => s.kind === 'pivot_root'))
  t.true(lo < withNet.findIndex((s) => s.kind === 'setsid'))
  const hostNet = spec({}, {})
  hostNet.linux!.namespaces = hostNet.linux!.namespaces!.filter((n) => n.type !== 'network')
  t.false(planContainer(hostNet, LAYOUT).steps.some((s) => s.kind === 'loopback_up'))
})

test('keep-id maps from the spec go to newuidmap as they are; the caller\'s own id alone is a single mapping', (t) => {
  const keepId = [
    {containerID: 0, hostID: 100000, size: 1001},
    {containerID: 1001, hostID: 1001, size: 1},
    {containerID: 1002, hostID: 101001, size: 64535},
  ]
  const subid = planContainer(spec({linux: {...spec().linux, uidMappings: keepId, gidMappings: keepId}}), LAYOUT).mapping
  t.deepEqual(subid, {mode: 'subid', uidMap: keepId, gidMap: keepId, setgroups: 'allow'})
  const own = [{containerID: 1001, hostID: process.getuid!(), size: 1}]
  const ownGid = [{containerID: 1002, hostID: process.getgid!(), size: 1}]
  const single = planContainer(spec({linux: {...spec().linux, uidMappings: own, gidMappings: ownGid}}, {user: {uid: 1001, gid: 1002}}), LAYOUT)
  t.deepEqual(single.mapping, {mode: 'single', uidMap: own, gidMap: ownGid, setgroups: 'deny'})
  t.false(single.steps.some((s) => s.kind === 'setgroups'))
  t.deepEqual(single.steps.filter((s) => s.kind === 'setresuid' || s.kind === 'setresgid').map((s) => s.name), ['setresgid', 'setresuid'])
})

test('a layout without lower dirs (the vfs driver) binds its upper dir, the whole root, on the merged dir', (t) => {
  const steps = rootfsSteps({lowerDirs: [], upperDir: '/g/containers/c/rootfs', workDir: '/g/containers/c/work', mergedDir: '/g/containers/c/merged', rootless: true})
  t.is(steps.length, 1)
  t.like(steps[0], {kind: 'mount', source: '/g/containers/c/rootfs', path: '/g/containers/c/merged'})
  t.not(steps[0].kind === 'mount' ? steps[0].fstype : undefined, 'overlay')
})

test('namespaces with a path are joined (the user namespace among them), the others made; the id maps are not written again', (t) => {
  const linux = spec().linux!
  const plan = planContainer(
    spec({
      hostname: undefined,
      linux: {...linux, namespaces: [{type: 'user', path: '/proc/7/ns/user'}, {type: 'network', path: '/proc/7/ns/net'}, {type: 'pid'}, {type: 'ipc'}, {type: 'mount'}]},
    }),
    LAYOUT,
  )
  t.deepEqual(plan.joins, [
    {namespace: 'user', path: '/proc/7/ns/user'},
    {namespace: 'net', path: '/proc/7/ns/net'},
  ])
  t.deepEqual(plan.namespaces, ['pid', 'ipc', 'mount'])
  t.is(plan.mapping, undefined)
  t.false(plan.steps.some((s) => s.kind === 'loopback_up'), 'a joined network is set up already')
})

test('maps that leave the user out (nomap, auto): the child starts in the store\'s namespace and nests the container\'s below it before its ids change', (t) => {
  const me = {uid: process.getuid!(), gid: process.getgid!()}
  const store = {
    mode: 'subid' as const,
    uidMap: [{containerID: 0, hostID: me.uid, size: 1}, {containerID: 1, hostID: 100000, size: 65536}],
    gidMap: [{containerID: 0, hostID: me.gid, size: 1}, {containerID: 1, hostID: 100000, size: 65536}],
    setgroups: 'allow' as const,
  }
  const own = [{containerID: 0, hostID: 100000, size: 2000}, {containerID: 2000, hostID: 100500 + 2000, size: 10}]
  const plan = planContainer(spec({linux: {...spec().linux, uidMappings: own, gidMappings: own}}), LAYOUT, {storeMapping: store})
  t.deepEqual(plan.mapping, store)
  const kinds = plan.steps.map((s) => s.kind)
  const at = kinds.indexOf('nest_userns')
  t.deepEqual(kinds.slice(at - 1, at + 2), ['loopback_up', 'nest_userns', 'setsid'])
  t.true(kinds.indexOf('pivot_root') < at)
  t.like(plan.steps[at], {source: '0 1 2000\n2000 2501 10\n', data: '0 1 2000\n2000 2501 10\n'})
  // mounted in the outer namespace: a tmpfs is the container root's, devpts's gid=5 the container's tty group
  const data = (fstype: string) => plan.steps.filter((s) => s.kind === 'mount' && s.fstype === fstype).map((s) => (s as {data?: string}).data)
  t.true(data('tmpfs').some((d) => d?.endsWith('uid=1,gid=1')), String(data('tmpfs')))
  t.true(data('devpts').some((d) => d?.includes('gid=6')), String(data('devpts')))
  // written before the nesting too: ping_group_range's gids as the outer namespace's
  const withSysctl = planContainer(spec({linux: {...spec().linux, uidMappings: own, gidMappings: own, sysctl: {'net.ipv4.ping_group_range': '0 0'}}}), LAYOUT, {storeMapping: store})
  t.like(withSysctl.steps.find((s) => s.kind === 'write'), {path: '/proc/sys/net/ipv4/ping_group_range', data: '1 1'})
  // maps with the user in them need no nesting, nor does a store without subordinate ranges
  const withUser = planContainer(spec({linux: {...spec().linux, uidMappings: store.uidMap, gidMappings: store.gidMap}}), LAYOUT, {storeMapping: store})
  t.false(withUser.steps.some((s) => s.kind === 'nest_userns'))
  t.false(planContainer(spec({linux: {...spec().linux, uidMappings: own, gidMappings: own}}), LAYOUT).steps.some((s) => s.kind === 'nest_userns'))
})

test('linux.sysctl: each value written through the container\'s /proc, after /proc is mounted and before /proc/sys goes read-only', (t) => {
  const base = spec()
  const steps = planContainer({...base, linux: {...base.linux, sysctl: {'net.ipv4.ping_group_range': '0 0', 'kernel.shmmni': '100'}}}, LAYOUT).steps
  t.deepEqual(
    steps.filter((s) => s.kind === 'write'),
    [
      {kind: 'write', name: 'set sysctl `net.ipv4.ping_group_range`', path: '/proc/sys/net/ipv4/ping_group_range', data: '0 0', inRoot: true},
      {kind: 'write', name: 'set sysctl `kernel.shmmni`', path: '/proc/sys/kernel/shmmni', data: '100', inRoot: true},
    ],
  )
  const all = names(steps)
  const first = all.indexOf('set sysctl `net.ipv4.ping_group_range`')
  t.true(first > all.findIndex((n) => n.includes('`/proc`')))
  t.true(first < all.indexOf('make `/proc/sys` read-only'))
  t.true(first < all.indexOf('pivot_root'))
  t.deepEqual(planContainer(spec(), LAYOUT).steps.filter((s) => s.kind === 'write'), [])
  for (const key of ['net./../../self/attr/current', 'net..x', 'kernel', '/proc/sys/net/x', 'net.ipv4.x y'])
    t.throws(() => planContainer({...base, linux: {...base.linux, sysctl: {[key]: '1'}}}, LAYOUT), {message: /is not a sysctl name/}, key)
})
