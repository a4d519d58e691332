// parseContainerSpec: the create/run options in Podman's flag syntax to the typed ContainerSpec,
// every value parsed once, bad ones refused in Podman's words (UsageError: exit 125).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {UsageError} from '../../src/errors'
import {supportedCapabilities} from '../../src/runtime/spec/capabilities'
import {parseContainerSpec} from '../../src/specgen/parse'
import {parseCapabilities} from '../../src/specgen/capabilities'
import {networkModeName, parseNetwork} from '../../src/specgen/network'
import {parseExtraHosts} from '../../src/specgen/hosts'

const CAPS = supportedCapabilities(40)
const HOST_ENV = {PATH: '/host/bin', LANG: 'C.UTF-8', https_proxy: 'http://proxy:3128', MY_A: 'a'}
const context = {hostEnv: HOST_ENV, cwd: '/', supportedCapabilities: CAPS}

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-specgen-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('no options: the defaults Podman applies', (t) => {
  t.deepEqual(parseContainerSpec({}, context), {
    name: undefined,
    labels: {},
    command: undefined,
    entrypoint: undefined,
    workdir: undefined,
    tty: false,
    interactive: false,
    user: undefined,
    hostUsers: [],
    groups: [],
    keepGroups: false,
    env: [['https_proxy', 'http://proxy:3128']],
    unsetenv: [],
    unsetenvAll: false,
    capAdd: [],
    capDrop: [],
    mounts: [],
    devices: [],
    hostname: undefined,
    network: {kind: 'slirp4netns'},
    ipc: {kind: 'shareable'},
    uts: {kind: 'private'},
    pid: {kind: 'private'},
    ports: [],
    extraHosts: [],
    noHosts: false,
    dns: undefined,
    dnsSearch: undefined,
    dnsOption: undefined,
    readOnly: false,
    readOnlyTmpfs: true,
    init: false,
    initPath: undefined,
    userns: {kind: 'host'},
    security: {mask: [], unmask: []},
    privileged: false,
    autoRemove: false,
    restart: {policy: '', retries: 0},
    runtime: undefined,
    monitorPidFile: undefined,
    timeout: undefined,
    timezone: undefined,
    stopSignal: undefined,
    stopTimeout: undefined,
    log: {driver: 'k8s-file', size: 0},
  })
})

test('every value comes back parsed: no flag syntax is left in the spec', (t) => {
  const dir = tempDir(t)
  fs.mkdirSync(path.join(dir, 'data'))
  const envFile = path.join(dir, 'env')
  fs.writeFileSync(envFile, 'FROM_FILE=1\nLANG\n')
  const spec = parseContainerSpec(
    {
      name: 'web',
      labels: ['a=1', 'b', 'a=2'],
      args: ['sh', '-c', 'true'],
      entrypoint: '["/bin/env","-i"]',
      workdir: '/srv',
      user: '1000:1000',
      groupAdd: ['wheel,10'],
      env: ['X=1', 'MY_*'],
      envFile: [envFile],
      capAdd: ['net_admin', 'sys_time'],
      capDrop: ['chown'],
      volumes: ['./data:/data:ro', 'cache:/cache', '/anon'],
      tmpfs: ['/scratch:size=1m'],
      devices: ['/dev/null:/dev/nothing:rw'],
      network: 'none',
      addHost: ['db:10.0.0.2'],
      userns: 'keep-id:uid=1000,gid=1000',
      securityOpt: ['seccomp=unconfined', 'mask=/proc/a', 'no-new-privileges'],
      monitorPidFile: 'mon.pid',
      logDriver: 'k8s-file',
      logOptions: ['max-size=1m'],
      timeout: 0,
    },
    {...context, cwd: dir},
  )
  t.deepEqual(spec.labels, {a: '2', b: ''})
  t.deepEqual([spec.command, spec.entrypoint, spec.workdir], [['sh', '-c', 'true'], ['/bin/env', '-i'], '/srv'])
  t.deepEqual([spec.groups, spec.keepGroups], [['wheel', '10'], false])
  t.deepEqual(spec.env, [
    ['https_proxy', 'http://proxy:3128'],
    ['FROM_FILE', '1'],
    ['LANG', 'C.UTF-8'],
    ['X', '1'],
    ['MY_A', 'a'],
  ])
  t.deepEqual([spec.capAdd, spec.capDrop], [['CAP_NET_ADMIN', 'CAP_SYS_TIME'], ['CAP_CHOWN']])
  t.deepEqual(spec.mounts, [
    {type: 'bind', source: path.join(fs.realpathSync(dir), 'data'), destination: '/data', options: ['ro']},
    {type: 'volume', name: 'cache', destination: '/cache', options: []},
    {type: 'volume', name: '', destination: '/anon', options: []},
    {type: 'tmpfs', destination: '/scratch', options: ['size=1m']},
  ])
  t.deepEqual(spec.devices, [{source: '/dev/null', destination: '/dev/nothing', permissions: 'rw'}])
  t.deepEqual(spec.network, {kind: 'none'})
  t.deepEqual(spec.extraHosts, [{name: 'db', ip: '10.0.0.2'}])
  t.deepEqual(spec.userns, {kind: 'keep-id', uid: 1000, gid: 1000})
  t.deepEqual(spec.security, {seccomp: 'unconfined', mask: ['/proc/a'], unmask: [], noNewPrivileges: true})
  t.is(spec.monitorPidFile, path.join(dir, 'mon.pid'))
  t.deepEqual(spec.log, {driver: 'k8s-file', size: 1_000_000})
  t.is(spec.timeout, undefined)
  t.deepEqual(JSON.parse(JSON.stringify(spec)), JSON.parse(JSON.stringify(spec)), 'the spec is plain JSON, as the record stores it')
})

test('--env-host and -e KEY read the host when parsed; --http-proxy=false keeps proxies out', (t) => {
  const spec = parseContainerSpec({envHost: true, env: ['LANG', 'NOT_ON_HOST']}, context)
  t.deepEqual(spec.env, Object.entries(HOST_ENV))
  t.deepEqual(parseContainerSpec({httpProxy: false}, context).env, [])
})

test('-p with --net=host or none is discarded with Podman\'s warning; --kernel-memory is a warned no-op', (t) => {
  const warnings: [string, boolean][] = []
  const spec = parseContainerSpec({network: 'host', publish: ['8080'], kernelMemory: '100'}, {...context, warn: (text, plain) => warnings.push([text, plain])})
  t.deepEqual(spec.ports, [])
  t.deepEqual(warnings, [
    ['Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use', true],
    ['The --kernel-memory flag is no longer supported. This flag is a noop.', false],
  ])
})

test('--security-opt no-new-privileges takes =BOOL, :BOOL or nothing', (t) => {
  for (const [opt, want] of [['no-new-privileges', true], ['no-new-privileges=true', true], ['no-new-privileges:true', true], ['no-new-privileges=false', false]] as const)
    t.is(parseContainerSpec({securityOpt: [opt]}, context).security.noNewPrivileges, want, opt)
})

test('bad values fail in Podman\'s words, each a UsageError', (t) => {
  const bad: [Parameters<typeof parseContainerSpec>[0], string | RegExp][] = [
    [{name: '-x'}, 'names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument'],
    [{network: 'ns:/proc/1/ns/net', publish: ['80']}, 'cannot set port bindings on an existing container network namespace'],
    [{noHosts: true, addHost: ['a:1.2.3.4']}, '--no-hosts and --add-host cannot be set together'],
    [{addHost: ['nocolon']}, 'bad format for add-host: "nocolon"'],
    [{network: 'none', dns: ['1.1.1.1']}, 'conflicting options: dns and the network mode: none'],
    [{logDriver: 'syslog'}, 'running container create option: invalid log driver: invalid argument'],
    [{timezone: '/etc/localtime'}, /^--tz \/etc\/localtime: a zone is a name under/],
    [{securityOpt: ['bogus=1']}, 'invalid --security-opt 2: "bogus=1"'],
    [{userns: 'keep-id:bar=1'}, 'unknown option specified: "bar"'],
    [{workdir: 'rel'}, "the working directory 'rel' is invalid, it needs to be an absolute path"],
    [{volumes: ['a:b:c:d']}, 'a:b:c:d: incorrect volume format, should be [host-dir:]ctr-dir[:option]'],
    [{volumes: ['/no/such/dir:/x']}, 'statfs /no/such/dir: no such file or directory'],
    [{tmpfs: ['/a:bogus']}, 'unknown mount option "bogus": invalid mount option'],
    [{devices: ['/dev/null:/a:rr']}, 'invalid device mode: rr'],
    [{volumes: ['/dev:/dev/null'], devices: ['/dev/null']}, '/dev/null: duplicate mount destination'],
    [{groupAdd: ['keep-groups', 'wheel']}, "the '--group-add keep-groups' option is not allowed with any other --group-add options"],
    [{env: ['=x']}, 'invalid variable: "=x"'],
    [{envFile: ['/no/such/env']}, 'parsing file "/no/such/env": open /no/such/env: no such file or directory'],
    [{capAdd: ['teleport']}, '"CAP_TELEPORT": unknown capability'],
  ]
  for (const [options, message] of bad) t.throws(() => parseContainerSpec(options, context), {instanceOf: UsageError, message}, JSON.stringify(options))
})

test('capabilities: normalised, ALL kept, the pairs Podman refuses refused', (t) => {
  t.deepEqual(parseCapabilities(['all'], ['net_raw', 'CAP_CHOWN'], CAPS), {capAdd: ['ALL'], capDrop: ['CAP_CHOWN', 'CAP_NET_RAW']})
  t.deepEqual(parseCapabilities(['chown'], ['all'], CAPS), {capAdd: ['CAP_CHOWN'], capDrop: ['ALL']})
  t.throws(() => parseCapabilities(['all'], ['all'], CAPS), {message: 'adding all caps and removing all caps not allowed'})
  t.throws(() => parseCapabilities(['chown'], ['CAP_CHOWN'], CAPS), {message: 'capability "CAP_CHOWN" cannot be dropped and added'})
})

test('network modes and their names; --add-host splits at the first colon (IPv6)', (t) => {
  for (const [value, mode] of [
    [undefined, {kind: 'slirp4netns'}],
    ['', {kind: 'slirp4netns'}],
    ['private', {kind: 'slirp4netns'}],
    ['host', {kind: 'host'}],
    ['none', {kind: 'none'}],
    ['ns:/run/netns/x', {kind: 'ns', path: '/run/netns/x'}],
  ] as const)
    t.deepEqual(parseNetwork(value), mode, String(value))
  t.is(networkModeName({kind: 'ns', path: '/run/netns/x'}), 'ns:/run/netns/x')
  t.throws(() => parseNetwork('ns:rel'), {message: 'invalid network namespace path "rel": must be absolute'})
  t.deepEqual(parseNetwork('pasta:-T,none'), {kind: 'pasta', options: ['-T', 'none']})
  t.deepEqual(parseExtraHosts(['v6:fe80::1']), [{name: 'v6', ip: 'fe80::1'}])
})

test('--security-opt seccomp=PROFILE: the profile is read when parsed; a bad one fails there', (t) => {
  const dir = tempDir(t)
  const bad = path.join(dir, 'bad.json')
  fs.writeFileSync(bad, '{not json')
  const err = t.throws(() => parseContainerSpec({securityOpt: [`seccomp=${bad}`]}, context), {instanceOf: UsageError})
  t.true(err!.message.includes(bad), err!.message)
  t.throws(() => parseContainerSpec({securityOpt: [`seccomp=${path.join(dir, 'none.json')}`]}, context), {instanceOf: UsageError})
  t.is(parseContainerSpec({securityOpt: ['seccomp=unconfined']}, context).security.seccomp, 'unconfined')
})
