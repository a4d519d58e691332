// Profiles as Podman converts them: the built-in default against the file Debian's podman
// installs, the includes/excludes filters, the program cache, and where the step goes.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {OciSpec} from '../../../src/runtime/oci-spec'
import {processSteps} from '../../../src/runtime/plan'
import {compileSeccomp, seccompProgram} from '../../../src/runtime/seccomp/compile'
import {chooseProfile} from '../../../src/runtime/seccomp/container-profile'
import {SeccompTarget, ociSeccomp} from '../../../src/runtime/seccomp/convert'
import {defaultProfile} from '../../../src/runtime/seccomp/default-profile'
import {SeccompProfile, loadProfileFile, parseProfile} from '../../../src/runtime/seccomp/profile'
import {DEFAULT_CAPABILITIES} from '../../../src/runtime/spec/defaults'
import {readContainersConf} from '../../../src/storage/config/containers-conf'

const INSTALLED = '/usr/share/containers/seccomp.json'
const ALL_CAPS = ['CAP_AUDIT_WRITE', 'CAP_DAC_READ_SEARCH', 'CAP_SYS_ADMIN', 'CAP_SYS_CHROOT', 'CAP_SYS_MODULE', 'CAP_SYS_PACCT', 'CAP_SYS_PTRACE', 'CAP_SYS_RAWIO', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG']

const target = (capabilities: string[], arch = 'amd64', kernel = '6.1.0'): SeccompTarget => ({arch, kernel, capabilities})

test('the built-in default decides like the seccomp.json installed here, for every capability set and arch', (t) => {
  const installed = loadProfileFile(INSTALLED)
  const capSets = [[], [...DEFAULT_CAPABILITIES], ALL_CAPS, ...ALL_CAPS.map((c) => [c])]
  for (const arch of ['amd64', 'arm64', 's390x', 'ppc64le']) {
    for (const caps of capSets) {
      t.deepEqual(ociSeccomp(defaultProfile(), target(caps, arch)), ociSeccomp(installed, target(caps, arch)), `${arch} ${caps.join(',')}`)
    }
  }
  // and compiles to the same program
  const defaults = target([...DEFAULT_CAPABILITIES])
  t.deepEqual(compileSeccomp(ociSeccomp(defaultProfile(), defaults)!), compileSeccomp(ociSeccomp(installed, defaults)!))
})

test('conversion: the native archMap entry, includes and excludes by arch, caps and kernel', (t) => {
  const profile: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 38,
    archMap: [
      {architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86']},
      {architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM']},
    ],
    syscalls: [
      {names: ['read'], action: 'SCMP_ACT_ALLOW'},
      {name: 'arch_prctl', action: 'SCMP_ACT_ALLOW', includes: {arches: ['amd64']}},
      {names: ['bpf'], action: 'SCMP_ACT_ALLOW', includes: {caps: ['CAP_SYS_ADMIN', 'CAP_BPF']}},
      {names: ['bpf'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, excludes: {caps: ['CAP_SYS_ADMIN']}},
      {names: ['clone3'], action: 'SCMP_ACT_ALLOW', includes: {minKernel: '5.3'}},
      {names: ['old'], action: 'SCMP_ACT_ALLOW', excludes: {minKernel: '5.3'}},
      {names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{index: 0, value: 16, op: 'SCMP_CMP_NE'}]},
    ],
  }
  const amd = ociSeccomp(profile, target(['CAP_SYS_ADMIN'], 'amd64', '6.1.0-13-amd64'))!
  t.deepEqual(amd.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'])
  t.is(amd.defaultErrnoRet, 38)
  t.deepEqual(amd.syscalls!.map((s) => s.names.join()), ['read', 'arch_prctl', 'clone3', 'socket'], 'bpf needs both caps; its refusal is excluded by CAP_SYS_ADMIN')
  t.deepEqual(amd.syscalls![3].args, [{index: 0, value: 16, valueTwo: 0, op: 'SCMP_CMP_NE'}])
  const arm = ociSeccomp(profile, target([], 'arm64', '4.19.0'))!
  t.deepEqual(arm.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'])
  t.deepEqual(arm.syscalls!.map((s) => [s.names.join(), s.errnoRet]), [['read', undefined], ['bpf', 1], ['old', undefined], ['socket', undefined]])
  t.is(ociSeccomp({defaultAction: ''}, target([])), undefined, 'no default action and no rules: no filter, as Podman')
  t.throws(() => ociSeccomp({...profile, architectures: ['SCMP_ARCH_X86_64']}, target([])), {message: /'architectures' and 'archMap'/})
  t.throws(() => ociSeccomp({defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{name: 'a', names: ['b'], action: 'SCMP_ACT_ERRNO'}]}, target([])), {message: /'name' and 'names'/})
})

test('profile files: Podman\'s messages for a missing file and bad JSON, and shape errors named', (t) => {
  t.throws(() => loadProfileFile('/no/such.json'), {message: 'opening seccomp profile failed: open /no/such.json: no such file or directory'})
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-seccomp-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const bad = path.join(dir, 'bad.json')
  fs.writeFileSync(bad, '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": {}}')
  t.throws(() => loadProfileFile(bad), {message: `loading seccomp profile (${bad}) failed: decoding seccomp profile failed: syscalls must be a list`})
  t.throws(() => parseProfile('{"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": -1, "value": 0, "op": "SCMP_CMP_EQ"}]}]}'), {
    message: 'syscalls[0].args[0].index must be an unsigned integer',
  })
})

test('the profile chosen: the flag, else containers.conf, else the installed file; unconfined is none', (t) => {
  t.is(chooseProfile('unconfined', {}), undefined)
  t.is(chooseProfile(undefined, {seccompProfile: 'unconfined'}), undefined)
  t.deepEqual(chooseProfile(undefined, {}), loadProfileFile(INSTALLED))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-seccomp-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const own = path.join(dir, 'own.json')
  fs.writeFileSync(own, '{"defaultAction": "SCMP_ACT_LOG"}')
  t.is(chooseProfile(undefined, {seccompProfile: own})?.defaultAction, 'SCMP_ACT_LOG')
  t.is(chooseProfile(own, {seccompProfile: 'unconfined'})?.defaultAction, 'SCMP_ACT_LOG')
  // containers.conf: later files win; files without the key are not parsed at all
  const [first, second, invalid] = ['a.conf', 'b.conf', 'c.conf'].map((f) => path.join(dir, f))
  fs.writeFileSync(first, '[containers]\nseccomp_profile = "/first.json"\n')
  fs.writeFileSync(second, '[engine]\nruntime = "crun"\n[containers]\nseccomp_profile = "/second.json"\n')
  fs.writeFileSync(invalid, 'not [ toml\n# seccomp_profile = "commented"\n')
  t.is(readContainersConf([first, second, invalid, path.join(dir, 'missing.conf')]).seccompProfile, '/second.json')
})

test('the compiled program is cached by section and reused; a broken cache entry is compiled again', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-seccomp-cache-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const section = ociSeccomp(defaultProfile(), target([...DEFAULT_CAPABILITIES]))!
  const first = seccompProgram(section, dir)
  const files = fs.readdirSync(dir)
  t.is(files.length, 1)
  t.regex(files[0], /^[0-9a-f]{64}\.bpf$/)
  t.deepEqual(seccompProgram(section, dir), first)
  fs.writeFileSync(path.join(dir, files[0]), 'junk')
  t.deepEqual(seccompProgram(section, dir), first)
  seccompProgram({...section, defaultErrnoRet: 1}, dir)
  t.is(fs.readdirSync(dir).length, 2)
  t.throws(() => compileSeccomp({defaultAction: 'SCMP_ACT_NOPE'}), {message: /unknown defaultAction "SCMP_ACT_NOPE"/})
})

test('the default profile allows every syscall the child makes after the seccomp step, the final execveat of a memfd included', (t) => {
  const section = ociSeccomp(defaultProfile(), target([...DEFAULT_CAPABILITIES]))!
  const allowed = new Set(section.syscalls!.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args).flatMap((s) => s.names))
  const child = ['setgroups', 'setresgid', 'setresuid', 'prctl', 'capget', 'capset', 'umask', 'dup2', 'dup3', 'fcntl', 'chdir', 'poll', 'close', 'close_range', 'newfstatat', 'write', 'rt_sigprocmask', 'execve', 'execveat', 'exit_group']
  t.deepEqual(child.filter((name) => !allowed.has(name)), [])
})

test('processSteps: the filter is loaded after the rlimits and before groups, ids and caps, without no_new_privs', (t) => {
  const spec: OciSpec = {
    ociVersion: '1.0.2',
    process: {user: {uid: 1000, gid: 1000}, args: ['true'], cwd: '/', rlimits: [{type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024}], capabilities: {bounding: ['CAP_CHOWN']}},
    root: {path: '/'},
    linux: {seccomp: ociSeccomp(defaultProfile(), target([...DEFAULT_CAPABILITIES]))},
  }
  const kinds = processSteps(spec, undefined).map((s) => s.kind)
  t.deepEqual(kinds, ['setsid', 'rlimit', 'seccomp', 'setgroups', 'setresgid', 'setresuid', 'umask', 'caps'])
  const unconfined = processSteps({...spec, linux: {}}, undefined).map((s) => s.kind)
  t.false(unconfined.includes('seccomp'))
})
