// The built-in default seccomp profile against the file Debian's podman installs, and what it lets
// the child do after the seccomp step.
import test from 'ava'

import {compileSeccomp} from '../../../src/runtime/seccomp/compile'
import {SeccompTarget, ociSeccomp} from '../../../src/runtime/seccomp/convert'
import {defaultProfile} from '../../../src/runtime/seccomp/default-profile'
import {loadProfileFile} from '../../../src/runtime/seccomp/profile'
import {DEFAULT_CAPABILITIES} from '../../../src/runtime/spec/defaults'

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

test('the default profile allows every syscall the child makes after the seccomp step, the final execveat of a memfd included', (t) => {
  const section = ociSeccomp(defaultProfile(), target([...DEFAULT_CAPABILITIES]))!
  const allowed = new Set(section.syscalls!.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args).flatMap((s) => s.names))
  const child = ['setgroups', 'setresgid', 'setresuid', 'prctl', 'capget', 'capset', 'umask', 'dup2', 'dup3', 'fcntl', 'chdir', 'poll', 'close', 'close_range', 'newfstatat', 'write', 'rt_sigprocmask', 'execve', 'execveat', 'exit_group']
  t.deepEqual(child.filter((name) => !allowed.has(name)), [])
})
