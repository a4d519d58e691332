// @userns
// config.json for `tspod run`: a golden spec for the shared busybox test image (unpacked by
// applyLayer), then how each group of options changes it.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {TspodError, UsageError} from '../../../src/errors'
import {supportedCapabilities} from '../../../src/runtime/spec/capabilities'
import {GenerateSpecInput, addMounts, canMountSys, generateSpec, volumeMount} from '../../../src/runtime/spec/generate'
import type {NetworkMode} from '../../../src/specgen/container-spec'
import type {ContainerOptions} from '../../../src/specgen/options'
import {parseContainerSpec} from '../../../src/specgen/parse'
import {writeContainerFiles} from '../../../src/runtime/spec/container-files'
import {HostFacts} from '../../../src/runtime/spec/host-facts'
import {hostAccounts} from '../../../src/runtime/spec/passwd-entries'
import {applyLayer} from '../../../src/storage/store/archive/apply-layer'
import {ImageConfig, parseImageConfig} from '../../../src/storage/image/manifest/image-config'
import {busyboxImage} from '../../helpers/oci-image'
import {BUSYBOX_PASSWD, busyboxLayer, layerDirs} from './layer-dirs'
import {DEFAULT_CAPABILITIES} from '../../../src/runtime/spec/defaults'
import {hostSeccompTarget, ociSeccomp} from '../../../src/runtime/seccomp/convert'
import {defaultProfile} from '../../../src/runtime/seccomp/default-profile'

const ALL_CAPS = supportedCapabilities(40)
const HOST: HostFacts = {
  supportedCapabilities: ALL_CAPS,
  boundingSet: ALL_CAPS,
  limits: {nofile: {soft: 1024, hard: 524288}, nproc: {soft: 63000, hard: 63000}},
  capSysResource: true,
  mqueue: true,
  cgroupVersion: 'v1',
  thermalThrottlePaths: [],
}
const UID_MAP = [
  {containerID: 0, hostID: 1001, size: 1},
  {containerID: 1, hostID: 100000, size: 65536},
]
const GID_MAP = [
  {containerID: 0, hostID: 1002, size: 1},
  {containerID: 1, hostID: 100000, size: 65536},
]
const ROOTFS = '/home/tspoduser/.local/share/containers/storage/overlay/abc/merged'
const noFlags = (): {nosuid: boolean; nodev: boolean; noexec: boolean} => ({nosuid: false, nodev: false, noexec: false})

function imageConfig(config: Record<string, unknown>): ImageConfig {
  return parseImageConfig(JSON.stringify({architecture: 'amd64', os: 'linux', config, rootfs: {type: 'layers', diff_ids: []}}))
}

const BUSYBOX_CONFIG = imageConfig({Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci'], Cmd: ['/bin/sh']})

/** The shared busybox test image, unpacked as the store does it. */
async function busybox(t: ExecutionContext): Promise<{config: ImageConfig; layerDirs: string[]}> {
  const image = await busyboxImage({compression: 'none'})
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spec-busybox-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const diff = path.join(dir, 'diff')
  fs.mkdirSync(diff)
  await applyLayer(Readable.from([image.layers[0].data]), diff, {ignoreChownErrors: false})
  return {config: parseImageConfig(image.config), layerDirs: [diff]}
}

const HOST_ENV = {PATH: '/usr/bin:/bin', HOME: '/home/tspoduser', LANG: 'C.UTF-8'}

/** The options parsed as the CLI parses them (a bad one throws here), then the rest of the input. */
function input(image: GenerateSpecInput['image'], options: ContainerOptions = {}, extra: Partial<GenerateSpecInput> = {}): GenerateSpecInput {
  return {
    image,
    spec: parseContainerSpec(options, {hostEnv: HOST_ENV, supportedCapabilities: HOST.supportedCapabilities}),
    rootfs: ROOTFS,
    hostname: 'c0ffee123456',
    rootless: true,
    uidMappings: UID_MAP,
    gidMappings: GID_MAP,
    host: HOST,
    mountFlagsOf: noFlags,
    ...extra,
  }
}

function richImage(t: ExecutionContext, config: ImageConfig = BUSYBOX_CONFIG): {config: ImageConfig; layerDirs: string[]} {
  return {config, layerDirs: layerDirs(t, [busyboxLayer()])}
}

test('golden: busybox image, rootless, no options', async (t) => {
  const generated = generateSpec(input(await busybox(t)))
  t.deepEqual(generated.namedVolumes, [])
  t.true(generated.createWorkingDir)
  t.false(generated.keepGroups)
  t.deepEqual(generated.warnings, [])
  t.deepEqual(generated.spec, {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: false,
      user: {uid: 0, gid: 0, additionalGids: [], umask: 0o022},
      args: ['/bin/sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm', 'container=oci', 'HOME=/root', 'HOSTNAME=c0ffee123456'],
      cwd: '/',
      capabilities: {bounding: [...DEFAULT_CAPABILITIES], effective: [...DEFAULT_CAPABILITIES], permitted: [...DEFAULT_CAPABILITIES], inheritable: [], ambient: []},
      rlimits: [
        {type: 'RLIMIT_NOFILE', hard: 524288, soft: 1024},
        {type: 'RLIMIT_NPROC', hard: 63000, soft: 63000},
      ],
      noNewPrivileges: false,
    },
    root: {path: ROOTFS, readonly: false},
    hostname: 'c0ffee123456',
    mounts: [
      {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
      {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
      {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']},
      {destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']},
      {destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro']},
    ],
    linux: {
      uidMappings: UID_MAP,
      gidMappings: GID_MAP,
      namespaces: [{type: 'pid'}, {type: 'network'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}, {type: 'user'}],
      maskedPaths: [
        '/proc/acpi',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/sched_debug',
        '/proc/scsi',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/sys/devices/virtual/powercap',
        '/sys/firmware',
        '/sys/fs/selinux',
        '/proc/interrupts',
      ],
      readonlyPaths: ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
      // Podman's default profile (the installed seccomp.json decides like the built-in one)
      seccomp: ociSeccomp(defaultProfile(), hostSeccompTarget([...DEFAULT_CAPABILITIES])),
      // containers.conf's default_sysctls, containers/common's default
      sysctl: {'net.ipv4.ping_group_range': '0 0'},
    },
    annotations: {
      'io.container.manager': 'libpod',
      'org.opencontainers.image.stopSignal': '15',
      'org.systemd.property.KillSignal': '15',
    },
  })
  // config.json is plain JSON
  t.deepEqual(JSON.parse(JSON.stringify(generated.spec)), generated.spec)
})

test('--security-opt: seccomp=unconfined drops the section, a profile file replaces it, the rest land in the spec and its annotations', async (t) => {
  const image = await busybox(t)
  const unconfined = generateSpec(input(image, {securityOpt: ['seccomp=unconfined', 'no-new-privileges', 'label=disable', 'mask=/proc/x', 'unmask=/proc/kcore:/proc/sys']})).spec
  t.is(unconfined.linux?.seccomp, undefined)
  t.true(unconfined.process.noNewPrivileges)
  t.like(unconfined.annotations, {'io.podman.annotations.seccomp': 'unconfined', 'io.podman.annotations.label': 'disable'})
  t.true(unconfined.linux?.maskedPaths?.includes('/proc/x'))
  t.false(unconfined.linux?.maskedPaths?.includes('/proc/kcore'))
  t.false(unconfined.linux?.readonlyPaths?.includes('/proc/sys'))
  t.deepEqual(generateSpec(input(image, {securityOpt: ['unmask=ALL']})).spec.linux?.readonlyPaths, [])

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spec-seccomp-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const profile = path.join(dir, 'p.json')
  fs.writeFileSync(profile, JSON.stringify({defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{names: ['bpf'], action: 'SCMP_ACT_ERRNO', includes: {caps: ['CAP_SYS_ADMIN']}}, {names: ['mkdir'], action: 'SCMP_ACT_ERRNO'}]}))
  const own = generateSpec(input(image, {securityOpt: [`seccomp=${profile}`], capAdd: ['CAP_SYS_ADMIN']})).spec
  t.deepEqual(own.linux?.seccomp, {defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{names: ['bpf'], action: 'SCMP_ACT_ERRNO'}, {names: ['mkdir'], action: 'SCMP_ACT_ERRNO'}]})
  t.is(own.annotations?.['io.podman.annotations.seccomp'], profile)
  // containers.conf's seccomp_profile when no flag says otherwise
  const fromConf = generateSpec(input(image, {}, {containersConf: {seccompProfile: profile}})).spec
  t.deepEqual(fromConf.linux?.seccomp?.syscalls, [{names: ['mkdir'], action: 'SCMP_ACT_ERRNO'}], 'without CAP_SYS_ADMIN the bpf rule is left out')
  t.is(fromConf.annotations?.['io.podman.annotations.seccomp'], undefined)
})

test('--user 1234 -e TEST=here keeps TEST and the image env (field note 4)', async (t) => {
  const {spec} = generateSpec(input(await busybox(t), {user: '1234', env: ['TEST=here']}))
  t.like(spec.process.user, {uid: 1234, gid: 1234, additionalGids: [1234]})
  t.deepEqual(spec.process.env, [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'TERM=xterm',
    'container=oci',
    'TEST=here',
    'HOME=/home/user',
    'HOSTNAME=c0ffee123456',
  ])
  // a non-root user keeps the set only as bounding
  t.deepEqual(spec.process.capabilities, {bounding: [...DEFAULT_CAPABILITIES], effective: [], permitted: [], inheritable: [], ambient: []})
})

test('user, supplementary groups and --group-add land in process.user; keep-groups is annotated', (t) => {
  const image = richImage(t)
  const user = generateSpec(input(image, {user: 'user', groupAdd: ['tty', '4000']}))
  t.deepEqual(user.spec.process.user, {uid: 1234, gid: 1234, additionalGids: [1234, 5, 4000, 10, 50], umask: 0o022})
  t.deepEqual(user.warnings, ['Additional gid=70000 is not present in the user namespace, skip setting it'])

  const keep = generateSpec(input(image, {groupAdd: ['keep-groups']}))
  t.true(keep.keepGroups)
  t.is(keep.spec.annotations?.['run.oci.keep_original_groups'], '1')
  t.deepEqual(keep.spec.process.user.additionalGids, [2, 3, 4, 10])
  t.throws(() => generateSpec(input(image, {groupAdd: ['keep-groups', 'tty']})), {
    instanceOf: UsageError,
    message: "the '--group-add keep-groups' option is not allowed with any other --group-add options",
  })
  t.throws(() => generateSpec(input(image, {user: 'nobody-here'})), {message: 'unable to find user nobody-here: no matching entries in passwd file'})
})

test('the image User is used when --user is not given, with its capabilities rules', (t) => {
  const {spec} = generateSpec(input(richImage(t, imageConfig({User: 'user', Cmd: ['/bin/sh']})), {capAdd: ['net_raw']}))
  t.like(spec.process.user, {uid: 1234, gid: 1234})
  t.deepEqual(spec.process.capabilities?.effective, ['CAP_NET_RAW'])
  t.deepEqual(spec.process.capabilities?.ambient, ['CAP_NET_RAW'])
  t.true(spec.process.env!.includes('HOME=/home/user'))
})

test('--cap-add and --cap-drop for root', (t) => {
  const {spec} = generateSpec(input(richImage(t), {capAdd: ['sys_ptrace', 'CAP_NET_ADMIN'], capDrop: ['chown', 'SETFCAP']}))
  const expected = [...DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN' && c !== 'CAP_SETFCAP'), 'CAP_NET_ADMIN', 'CAP_SYS_PTRACE'].sort()
  t.deepEqual(spec.process.capabilities?.bounding, expected)
  t.deepEqual(spec.process.capabilities?.effective, expected)
  t.throws(() => generateSpec(input(richImage(t), {capAdd: ['teleport']})), {message: '"CAP_TELEPORT": unknown capability'})
})

test('tty, entrypoint, workdir, hostname, env files and no-new-privileges', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spec-env-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.writeFileSync(path.join(dir, 'env'), 'FROM_FILE=yes\nLANG\n')
  const {spec, createWorkingDir} = generateSpec(
    input(richImage(t), {
      tty: true,
      entrypoint: '["/bin/env","-i"]',
      args: ['A=1'],
      workdir: '/work',
      hostname: 'box',
      envFile: [path.join(dir, 'env')],
      noNewPrivileges: true,
    }),
  )
  t.true(spec.process.terminal)
  t.deepEqual(spec.process.args, ['/bin/env', '-i', 'A=1'])
  t.is(spec.process.cwd, '/work')
  t.false(createWorkingDir)
  t.is(spec.hostname, 'box')
  t.true(spec.process.noNewPrivileges)
  t.deepEqual(spec.process.env, [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'TERM=xterm',
    'container=oci',
    'FROM_FILE=yes',
    'LANG=C.UTF-8',
    'HOME=/root',
    'HOSTNAME=box',
  ])
  t.throws(() => generateSpec(input(richImage(t, imageConfig({})))), {message: 'no command or entrypoint provided, and no CMD or ENTRYPOINT from image'})
})

test('--network host: no network namespace, the host /sys read-only, /sys/kernel masked', (t) => {
  const {spec} = generateSpec(input(richImage(t), {network: 'host'}))
  t.deepEqual(spec.linux?.namespaces?.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount', 'user'])
  t.deepEqual(spec.mounts?.find((m) => m.destination === '/sys'), {destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind']})
  t.true(spec.linux?.maskedPaths?.includes('/sys/kernel'))

  const joined = generateSpec(input(richImage(t), {network: 'ns:/run/user/1001/netns/x'})).spec
  t.deepEqual(joined.linux?.namespaces?.[1], {type: 'network', path: '/run/user/1001/netns/x'})
  // another container's namespaces are joined at each start, by the donor's pid then: not in the spec
  const shared = generateSpec(input(richImage(t), {network: 'container:abc', ipc: 'container:abc', uts: 'host', pid: 'container:abc'})).spec
  t.deepEqual(shared.linux?.namespaces?.map((n) => n.type), ['mount', 'user'])
  t.is(shared.hostname, undefined, 'no hostname without a UTS namespace of its own')
  const noShm = generateSpec(input(richImage(t), {ipc: 'none'})).spec
  t.deepEqual(noShm.linux?.namespaces?.map((n) => n.type), ['pid', 'network', 'ipc', 'uts', 'mount', 'user'])
  t.false(noShm.mounts?.some((m) => m.destination === '/dev/shm'))
  for (const network of ['none', 'private', 'slirp4netns', 'pasta'])
    t.true(generateSpec(input(richImage(t), {network})).spec.linux?.namespaces?.some((n) => n.type === 'network' && !n.path))
})

test('canMountSys, as Podman\'s: the host network binds the host /sys rootless or in a user namespace; a user namespace of its own gets a sysfs only for a network namespace it makes', (t) => {
  const modes: NetworkMode[] = [
    {kind: 'slirp4netns'}, {kind: 'pasta', options: []}, {kind: 'none'}, {kind: 'bridge', networks: {}}, {kind: 'container', container: 'x'}, {kind: 'ns', path: '/run/netns/x'}, {kind: 'host'},
  ]
  const verdicts = (options: {rootless: boolean; newUserns: boolean}) => modes.map((mode) => canMountSys(mode, options))
  t.deepEqual(verdicts({rootless: true, newUserns: false}), [true, true, true, true, true, true, false], 'rootless: joined namespaces are in its user namespace')
  t.deepEqual(verdicts({rootless: true, newUserns: true}), [true, true, true, true, false, false, false], 'keep-id, nomap, auto')
  t.deepEqual(verdicts({rootless: false, newUserns: false}), [true, true, true, true, true, true, true], 'real root')
  t.deepEqual(verdicts({rootless: false, newUserns: true}), [true, true, true, true, false, false, false], 'real root with --uidmap')

  const sysOf = (spec: {mounts?: {destination: string; type?: string}[]}) => spec.mounts?.find((m) => m.destination === '/sys')?.type
  t.is(sysOf(generateSpec(input(richImage(t), {network: 'container:abc'})).spec), 'sysfs', 'a rootless container joining another\'s network')
  t.is(sysOf(generateSpec(input(richImage(t), {network: 'container:abc', userns: 'keep-id'})).spec), 'bind')
  t.is(sysOf(generateSpec(input(richImage(t), {network: 'slirp4netns', userns: 'keep-id'})).spec), 'sysfs')
})

test('linux.sysctl: default_sysctls where the container owns the namespace, --sysctl over them, a host one refused', (t) => {
  const conf = {containersConf: {defaultSysctls: ['net.ipv4.ping_group_range=0 0', 'fs.mqueue.msg_max=20']}}
  const sysctl = (options: ContainerOptions) => generateSpec(input(richImage(t), options, conf)).spec.linux?.sysctl
  t.deepEqual(sysctl({}), {'net.ipv4.ping_group_range': '0 0', 'fs.mqueue.msg_max': '20'})
  t.deepEqual(sysctl({network: 'pasta', sysctl: ['net.ipv4.ping_group_range=0 1000', 'kernel.shmmni=10']}), {'net.ipv4.ping_group_range': '0 1000', 'fs.mqueue.msg_max': '20', 'kernel.shmmni': '10'})
  t.deepEqual(sysctl({network: 'host'}), {'fs.mqueue.msg_max': '20'})
  t.deepEqual(sysctl({network: 'container:abc', ipc: 'container:abc'}), undefined)
  t.throws(() => sysctl({network: 'host', sysctl: ['net.core.somaxconn=1']}), {message: "sysctl net.core.somaxconn=1 can't be set since Network Namespace set to host: invalid argument"})
  t.throws(() => generateSpec(input(richImage(t), {}, {containersConf: {defaultSysctls: ['vm.swappiness=1']}})), {message: "sysctl 'vm.swappiness' is not allowed"})
})

test('linux.sysctl under --userns=keep-id without subordinate ranges: the default ping_group_range names gid 0, which the container lacks: left out; the user\'s own fails', (t) => {
  const single = {hostUser: {uid: 1001, gid: 1002}, hostAccounts: HOST_ACCOUNTS, uidMappings: [{containerID: 0, hostID: 1001, size: 1}], gidMappings: [{containerID: 0, hostID: 1002, size: 1}]}
  const sysctl = (options: ContainerOptions) => generateSpec(input(richImage(t), options, {...single, containersConf: {defaultSysctls: ['net.ipv4.ping_group_range=0 0', 'kernel.shmmni=10']}})).spec.linux?.sysctl
  t.deepEqual(sysctl({userns: 'keep-id'}), {'kernel.shmmni': '10'})
  t.deepEqual(sysctl({userns: 'keep-id', sysctl: ['net.ipv4.ping_group_range=1002 1002']}), {'net.ipv4.ping_group_range': '1002 1002', 'kernel.shmmni': '10'})
  t.throws(() => sysctl({userns: 'keep-id', sysctl: ['net.ipv4.ping_group_range=0 1002']}), {
    instanceOf: UsageError,
    message: "sysctl net.ipv4.ping_group_range=0 1002 can't be set since the container's user namespace does not map gid 0: invalid argument",
  })
  // the same user without keep-id is the container's root: gid 0 is its own gid
  t.deepEqual(sysctl({}), {'net.ipv4.ping_group_range': '0 0', 'kernel.shmmni': '10'})
  // rootful, no user namespace: every gid is the host's
  t.deepEqual(generateSpec(input(richImage(t), {}, {rootless: false, uidMappings: undefined, gidMappings: undefined})).spec.linux?.sysctl, {'net.ipv4.ping_group_range': '0 0'})
})

test('cgroup v2 hosts give the container a cgroup namespace; rootful without mappings has no user namespace', (t) => {
  const v2 = generateSpec(input(richImage(t), {}, {host: {...HOST, cgroupVersion: 'v2', thermalThrottlePaths: ['/sys/devices/system/cpu/cpu0/thermal_throttle']}})).spec
  t.true(v2.linux?.namespaces?.some((n) => n.type === 'cgroup'))
  t.true(v2.linux?.maskedPaths?.includes('/sys/devices/system/cpu/cpu0/thermal_throttle'))

  const rootful = generateSpec(input(richImage(t), {}, {rootless: false, uidMappings: undefined, gidMappings: undefined})).spec
  t.false(rootful.linux?.namespaces?.some((n) => n.type === 'user'))
  t.is(rootful.linux?.uidMappings, undefined)
  t.deepEqual(rootful.process.rlimits, [
    {type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576},
    {type: 'RLIMIT_NPROC', hard: 1048576, soft: 1048576},
  ])
  // root without CAP_SYS_RESOURCE (as on this test host) cannot raise its limits either
  const limited = generateSpec(input(richImage(t), {}, {rootless: false, uidMappings: undefined, gidMappings: undefined, host: {...HOST, capSysResource: false}})).spec
  t.deepEqual(limited.process.rlimits?.[0], {type: 'RLIMIT_NOFILE', hard: 524288, soft: 1024})
})

test('a user namespace without gid 5 gets devpts without gid=5', (t) => {
  const small = [{containerID: 0, hostID: 1002, size: 1}]
  const {spec} = generateSpec(input(richImage(t), {}, {gidMappings: small, uidMappings: [{containerID: 0, hostID: 1001, size: 1}]}))
  const devpts = spec.mounts?.find((m) => m.destination === '/dev/pts')
  t.deepEqual(devpts?.options, ['rprivate', 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'])
  // and root's /etc/group memberships outside the namespace are skipped
  t.deepEqual(spec.process.user.additionalGids, [])
})

test('volumes, tmpfs and image VOLUMEs: binds in the spec, volumes for the caller', (t) => {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spec-vol-'))
  t.teardown(() => fs.rmSync(src, {recursive: true, force: true}))
  const image = richImage(t, imageConfig({Cmd: ['/bin/sh'], Volumes: {'/var/lib/db': {}, '/data': {}, '[/etc/foo,': {}}}))
  const generated = generateSpec(input(image, {volumes: [`${src}:/data:ro`, 'cache:/var/cache', `${src}:/data/inner`], tmpfs: ['/dev/shm:size=1g', '/scratch']}))
  const mounts = generated.spec.mounts!
  t.deepEqual(
    mounts.map((m) => m.destination),
    ['/proc', '/dev', '/sys', '/data', '/scratch', '/dev/pts', '/dev/mqueue', '/data/inner', '/dev/shm', '/sys/fs/cgroup'],
  )
  t.deepEqual(mounts.find((m) => m.destination === '/data'), {destination: '/data', type: 'bind', source: src, options: ['ro', 'rprivate', 'rbind']})
  t.deepEqual(mounts.find((m) => m.destination === '/dev/shm'), {destination: '/dev/shm', type: 'tmpfs', source: 'tmpfs', options: ['size=1g', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']})
  t.deepEqual(generated.namedVolumes, [
    {name: 'cache', destination: '/var/cache', options: []},
    {name: '', destination: '/var/lib/db', options: []},
    // a relative one (Docker's parser leaves `VOLUME ['/a']` so) is taken from /
    {name: '', destination: '/[/etc/foo,', options: []},
  ])

  // the caller creates the volumes and adds their binds
  const volumeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-spec-voldir-'))
  t.teardown(() => fs.rmSync(volumeDir, {recursive: true, force: true}))
  const withVolumes = addMounts(generated.spec, generated.namedVolumes.map((v) => volumeMount(v, volumeDir, noFlags)))
  t.deepEqual(withVolumes.mounts?.find((m) => m.destination === '/var/lib/db'), {destination: '/var/lib/db', type: 'bind', source: volumeDir, options: ['rprivate', 'rbind']})
  t.is(withVolumes.mounts?.length, mounts.length + 3)
  const cacheIndex = withVolumes.mounts!.findIndex((m) => m.destination === '/var/cache')
  t.true(cacheIndex > withVolumes.mounts!.findIndex((m) => m.destination === '/proc'))
  // a user /dev replaces every default mount under /dev
  const devReplaced = addMounts(generated.spec, [{destination: '/dev', type: 'bind', source: '/dev', options: ['rbind']}])
  t.false(devReplaced.mounts?.some((m) => m.destination.startsWith('/dev/')))

  t.throws(() => generateSpec(input(image, {volumes: [`${src}:/x`], tmpfs: ['/x']})), {message: '/x: duplicate mount destination'})
  t.throws(() => generateSpec(input(image, {volumes: ['bad/name:/x']})), {message: /^creating named volume "bad\/name"/})
  t.throws(() => generateSpec(input(image, {volumes: [`${src}:/x:rw,ro`]})), {message: `invalid options "rw, ro", can only specify 1 'rw' or 'ro' option`})
})

test('--read-only: read-only root with tmpfs on /tmp, /var/tmp and /run unless mounted otherwise', (t) => {
  const image = richImage(t)
  const {spec} = generateSpec(input(image, {readOnly: true, tmpfs: ['/run:size=1m']}))
  t.true(spec.root.readonly)
  t.deepEqual(spec.mounts?.find((m) => m.destination === '/tmp'), {destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']})
  t.true(spec.mounts?.some((m) => m.destination === '/var/tmp'))
  t.deepEqual(spec.mounts?.find((m) => m.destination === '/run')?.options, ['size=1m', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'])
  const noTmpfs = generateSpec(input(image, {readOnly: true, readOnlyTmpfs: false})).spec
  t.false(noTmpfs.mounts?.some((m) => m.destination === '/tmp'))
})

test('--init: the init binary as pid 1, mounted read-only; --init-path, then containers.conf init_path, then the search', (t) => {
  const image = richImage(t)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-init-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const [flagInit, confInit] = ['flag-init', 'conf-init'].map((name) => path.join(dir, name))
  for (const file of [flagInit, confInit]) fs.writeFileSync(file, '', {mode: 0o755})

  const {spec} = generateSpec(input(image, {init: true, initPath: flagInit, args: ['sleep', '1']}, {initPath: confInit}))
  t.deepEqual(spec.process.args, ['/run/podman-init', '--', 'sleep', '1'])
  t.deepEqual(spec.mounts?.find((m) => m.destination === '/run/podman-init'), {destination: '/run/podman-init', type: 'bind', source: flagInit, options: ['bind', 'ro']})
  t.is(spec.annotations?.['io.podman.annotations.init'], 'TRUE')
  const configured = generateSpec(input(image, {init: true}, {initPath: confInit})).spec
  t.is(configured.mounts?.find((m) => m.destination === '/run/podman-init')?.source, confInit)
  // this host has catatonit (.ci/setup-host.sh): Podman's default path or Debian's /usr/bin
  const searched = generateSpec(input(image, {init: true})).spec.mounts?.find((m) => m.destination === '/run/podman-init')?.source
  t.true(searched === '/usr/libexec/podman/catatonit' || searched === '/usr/bin/catatonit', searched)

  t.throws(() => generateSpec(input(image, {init: true, initPath: path.join(dir, 'none')})), {
    instanceOf: UsageError,
    message: `container-init binary not found on the host: stat ${path.join(dir, 'none')}: no such file or directory`,
  })
  t.throws(() => generateSpec(input(image, {init: true, volumes: [`${dir}:/run/podman-init`]}, {initPath: confInit})), {
    message: 'conflict with mount added by --init to "/run/podman-init": duplicate mount destination',
  })
  t.false(generateSpec(input(image, {args: ['true']})).spec.mounts?.some((m) => m.destination === '/run/podman-init'))
})

test('the image StopSignal becomes the stop-signal annotations', (t) => {
  const kill = generateSpec(input(richImage(t, imageConfig({Cmd: ['/bin/sh'], StopSignal: 'SIGKILL'})))).spec
  t.is(kill.annotations?.['org.opencontainers.image.stopSignal'], '9')
  const quit = generateSpec(input(richImage(t, imageConfig({Cmd: ['/bin/sh'], StopSignal: 'quit'})))).spec
  t.is(quit.annotations?.['org.systemd.property.KillSignal'], '3')
  const rt = generateSpec(input(richImage(t, imageConfig({Cmd: ['/bin/sh'], StopSignal: 'RTMIN+3'})))).spec
  t.is(rt.annotations?.['org.opencontainers.image.stopSignal'], '37')
  t.throws(() => generateSpec(input(richImage(t, imageConfig({Cmd: ['/bin/sh'], StopSignal: 'SIGNOPE'})))), {message: 'invalid signal: SIGNOPE'})
})

test('--stop-signal overrides the image StopSignal', (t) => {
  const spec = generateSpec(input(richImage(t, imageConfig({Cmd: ['/bin/sh'], StopSignal: 'SIGKILL'})), {stopSignal: 2})).spec
  t.is(spec.annotations?.['org.opencontainers.image.stopSignal'], '2')
  t.is(spec.annotations?.['org.systemd.property.KillSignal'], '2')
})

test('root.path must be absolute and rootless needs id mappings (field note 3)', (t) => {
  const image = richImage(t)
  t.throws(() => generateSpec(input(image, {}, {rootfs: 'overlay/abc/merged'})), {
    instanceOf: TspodError,
    message: 'root.path must be an absolute path, got "overlay/abc/merged"',
  })
  t.throws(() => generateSpec(input(image, {}, {uidMappings: undefined})), {message: 'a rootless container needs uidMappings and gidMappings for its user namespace'})
})

test('host facts are read from this process when not given', (t) => {
  const {spec} = generateSpec(input(richImage(t), {}, {host: undefined}))
  t.true(spec.process.capabilities!.bounding!.length > 0)
  t.is(spec.process.rlimits?.length, 2)
})

const HOST_ACCOUNTS = hostAccounts('tspoduser:x:1001:1002::/home/tspoduser:/bin/bash\n', 'tspoduser:x:1002:\n')

test('--userns=keep-id: the user\'s ids mapped to themselves, the process runs as them with an /etc/passwd line and HOME', (t) => {
  const image = richImage(t)
  const generated = generateSpec(input(image, {userns: 'keep-id'}, {hostUser: {uid: 1001, gid: 1002}, hostAccounts: HOST_ACCOUNTS}))
  const {spec} = generated
  t.deepEqual(spec.linux?.uidMappings, [
    {containerID: 0, hostID: 100000, size: 1001},
    {containerID: 1001, hostID: 1001, size: 1},
    {containerID: 1002, hostID: 101001, size: 64535},
  ])
  t.deepEqual(spec.linux?.gidMappings?.[1], {containerID: 1002, hostID: 1002, size: 1})
  t.deepEqual(spec.process.user, {uid: 1001, gid: 1002, additionalGids: [1002], umask: 0o022})
  t.true(spec.process.env!.includes('HOME=/'))
  // keep-id's user is not root for capabilities (Podman's SetupUserNS/security_linux)
  t.deepEqual(spec.process.capabilities?.effective, [])
  const [passwd, group] = generated.files
  t.is(passwd.destination, '/etc/passwd')
  t.is(passwd.content, `${BUSYBOX_PASSWD}tspoduser:*:1001:1002::/:/bin/sh\n`)
  t.is(passwd.mode, 0o644)
  t.is(group.destination, '/etc/group')
  t.true(group.content.endsWith('nogroup:x:65534:\ntspoduser:x:1002:tspoduser\n'))

  const mounts = writeContainerFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-files-')), generated.files)
  t.teardown(() => fs.rmSync(path.dirname(mounts[0].source!), {recursive: true, force: true}))
  t.deepEqual(mounts.map((m) => [m.destination, path.basename(m.source!), m.options]), [
    ['/etc/passwd', 'passwd', ['rbind', 'rprivate']],
    ['/etc/group', 'group', ['rbind', 'rprivate']],
  ])
  t.is(fs.readFileSync(mounts[0].source!, 'utf8'), passwd.content)
  t.is(fs.statSync(mounts[0].source!).mode & 0o777, 0o644)
})

test('--userns=keep-id with --user, an image User, uid=/gid=, a mounted home, or a user-mounted /etc/passwd', (t) => {
  const image = richImage(t)
  const extra = {hostUser: {uid: 1001, gid: 1002}, hostAccounts: HOST_ACCOUNTS}
  const asRoot = generateSpec(input(image, {userns: 'keep-id', user: '0'}, extra)).spec
  t.deepEqual(asRoot.process.user, {uid: 0, gid: 0, additionalGids: [1002, 0, 2, 3, 4, 10], umask: 0o022})
  t.true(asRoot.process.env!.includes('HOME=/root'))
  t.deepEqual(asRoot.process.capabilities?.effective, [...DEFAULT_CAPABILITIES])

  const imageUser = generateSpec(input(richImage(t, imageConfig({User: 'user', Cmd: ['/bin/sh']})), {userns: 'keep-id'}, extra)).spec
  t.like(imageUser.process.user, {uid: 1234, gid: 1234})

  const other = generateSpec(input(image, {userns: 'keep-id:uid=1000,gid=1000'}, extra))
  t.deepEqual(other.spec.process.user, {uid: 1000, gid: 1000, additionalGids: [1000], umask: 0o022})
  t.deepEqual(other.spec.linux?.uidMappings?.[1], {containerID: 1000, hostID: 1001, size: 1})
  t.deepEqual(other.files.map((f) => f.content.split('\n').at(-2)), ['1000:*:1000:1000:container user:/:/bin/sh', '1000:x:1000:1000'])

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-home-'))
  t.teardown(() => fs.rmSync(home, {recursive: true, force: true}))
  const mountedHome = generateSpec(input(image, {userns: 'keep-id', volumes: [`${home}:/home/tspoduser`]}, extra)).spec
  t.true(mountedHome.process.env!.includes('HOME=/home/tspoduser'))

  const own = generateSpec(input(image, {userns: 'keep-id', volumes: [`${home}:/etc/passwd`]}, extra))
  t.deepEqual(own.files.map((f) => f.destination), ['/etc/group'])
})

test('--userns=keep-id without subordinate ranges, and without a user namespace (rootful); bad values', (t) => {
  const image = richImage(t)
  const extra = {hostUser: {uid: 1001, gid: 1002}, hostAccounts: HOST_ACCOUNTS}
  const single = generateSpec(
    input(image, {userns: 'keep-id'}, {...extra, uidMappings: [{containerID: 0, hostID: 1001, size: 1}], gidMappings: [{containerID: 0, hostID: 1002, size: 1}]}),
  ).spec
  t.deepEqual(single.linux?.uidMappings, [{containerID: 1001, hostID: 1001, size: 1}])
  t.deepEqual(single.linux?.gidMappings, [{containerID: 1002, hostID: 1002, size: 1}])
  // devpts gets gid=5 only when gid 5 exists in the namespace
  t.false(single.mounts?.find((m) => m.destination === '/dev/pts')?.options?.includes('gid=5'))

  const rootful = generateSpec(input(image, {userns: 'keep-id:uid=1234,gid=1234'}, {rootless: false, uidMappings: undefined, gidMappings: undefined, hostUser: {uid: 0, gid: 0}}))
  t.is(rootful.spec.linux?.uidMappings, undefined)
  t.like(rootful.spec.process.user, {uid: 1234, gid: 1234})
  t.throws(() => generateSpec(input(image, {userns: 'keep-id:size=10'}, {rootless: false, uidMappings: undefined, gidMappings: undefined})), {
    message: 'cannot set max size for user namespace when not running rootless',
  })
  // Podman's rootful refusal of nomap
  t.throws(() => generateSpec(input(image, {userns: 'nomap'}, {rootless: false, uidMappings: undefined, gidMappings: undefined})), {
    instanceOf: UsageError,
    message: 'nomap is only supported in rootless mode',
  })
  t.is(generateSpec(input(image, {userns: 'host'})).spec.linux?.uidMappings, UID_MAP)
})

test('--privileged: every capability of the bounding set, no seccomp, nothing masked or read-only, the host devices bound (not ptmx, not tty*)', async (t) => {
  const image = await busybox(t)
  const devices = [
    {destination: '/dev/kmsg', type: 'bind', source: '/dev/kmsg', options: ['slave', 'nosuid', 'noexec', 'rw', 'rbind']},
    {destination: '/dev/fuse', type: 'bind', source: '/dev/fuse', options: ['slave', 'nosuid', 'noexec', 'rw', 'rbind']},
  ]
  const spec = generateSpec(input(image, {privileged: true, volumes: ['/tmp:/dev/fuse']}, {hostDevices: () => devices, containersConf: {}})).spec
  t.deepEqual(spec.process.capabilities?.bounding, [...ALL_CAPS].sort())
  t.deepEqual(spec.process.capabilities?.effective, [...ALL_CAPS].sort())
  t.is(spec.linux?.seccomp, undefined)
  t.deepEqual(spec.linux?.maskedPaths, [])
  t.deepEqual(spec.linux?.readonlyPaths, [])
  t.like(spec.mounts?.find((m) => m.destination === '/dev/kmsg'), {type: 'bind', source: '/dev/kmsg'})
  t.is(spec.mounts?.find((m) => m.destination === '/dev/fuse')?.source, '/tmp', 'a mount of the user\'s own wins over a host device')
  // and without it, the defaults
  const plain = generateSpec(input(image, {}, {hostDevices: () => devices, containersConf: {}})).spec
  t.true((plain.linux?.maskedPaths?.length ?? 0) > 0)
  t.is(plain.mounts?.find((m) => m.destination === '/dev/kmsg'), undefined)
})
