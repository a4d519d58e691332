// A profile turned into one container's linux.seccomp, as containers/common does it.
import test from 'ava'

import {SeccompTarget, ociSeccomp} from '../../../src/runtime/seccomp/convert'
import {SeccompProfile} from '../../../src/runtime/seccomp/profile'

const target = (capabilities: string[], arch = 'amd64', kernel = '6.1.0'): SeccompTarget => ({arch, kernel, capabilities})

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
