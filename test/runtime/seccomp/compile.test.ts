// The seccomp section compiled to a BPF program (cached by section), and where its step goes.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {OciSpec} from '../../../src/runtime/oci-spec'
import {processSteps} from '../../../src/runtime/plan'
import {compileSeccomp, seccompProgram} from '../../../src/runtime/seccomp/compile'
import {SeccompTarget, ociSeccomp} from '../../../src/runtime/seccomp/convert'
import {defaultProfile} from '../../../src/runtime/seccomp/default-profile'
import {DEFAULT_CAPABILITIES} from '../../../src/runtime/spec/defaults'

const target = (capabilities: string[], arch = 'amd64', kernel = '6.1.0'): SeccompTarget => ({arch, kernel, capabilities})

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
