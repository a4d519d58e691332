// Issue 10, item 4: every container and every exec runs under Podman's default seccomp profile.
// A static probe (built here with gcc -static) calls syscalls the profile refuses and prints the
// errno of each; the expected values are what Podman 4.3.1 + crun 1.8.1 gave on this host for the
// same probe, rootless: keyctl 0 (allowed), add_key 38 (ENOSYS: not in the profile), bpf 1 and
// perf_event_open 1 (EPERM: CAP_SYS_ADMIN only), unshare(CLONE_NEWUSER) 0, unshare(CLONE_NEWNS) 1
// (no CAP_SYS_ADMIN: the kernel's refusal, not the filter's). Under seccomp=unconfined Podman gave
// add_key 0, bpf 22 (EINVAL for the empty attr), perf_event_open 13 (EACCES, perf_event_paranoid).
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {buildImage, busyboxLayer, writeOciArchive} from '../helpers/oci-image'
import {Sandbox, TEST_USER, lookupUser, removeTree, sandbox, tspod, tspodOk, userTempDir} from '../helpers/rootless'
import {makeImageStore, runContainer} from '../runtime/oci-runtime/image-store'

const PROBE_SOURCE = `
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/perf_event.h>

/* each call in its own child: an unshare must not change what the next call sees */
#define PROBE(name, call) do { \\
    pid_t pid = fork(); \\
    if (pid == 0) { long r = (call); printf("%s %d\\n", name, r < 0 ? errno : 0); fflush(stdout); _exit(0); } \\
    waitpid(pid, NULL, 0); \\
  } while (0)

int main(void) {
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  PROBE("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
  PROBE("add_key", syscall(SYS_add_key, "user", "tspod", "x", 1, -2 /* process keyring */));
  PROBE("bpf", syscall(SYS_bpf, 0, NULL, 0));
  PROBE("perf_event_open", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
  PROBE("unshare_user", syscall(SYS_unshare, CLONE_NEWUSER));
  PROBE("unshare_mount", syscall(SYS_unshare, CLONE_NEWNS));
  return 0;
}
`

/** A setuid-root program must still gain root under the filter (no no_new_privs). */
const EUID_SOURCE = `
#include <stdio.h>
#include <unistd.h>
int main(void) { printf("euid %d\\n", (int)geteuid()); return 0; }
`

const PODMAN_DEFAULT = 'keyctl 0\nadd_key 38\nbpf 1\nperf_event_open 1\nunshare_user 0\nunshare_mount 1\n'
const PODMAN_UNCONFINED = 'keyctl 0\nadd_key 0\nbpf 22\nperf_event_open 13\nunshare_user 0\nunshare_mount 1\n'

const user = lookupUser(TEST_USER)
const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-seccomp-build-'))
let programs: {probe: Buffer; euid: Buffer}

function compileStatic(name: string, source: string): Buffer {
  const src = path.join(buildDir, `${name}.c`)
  const out = path.join(buildDir, name)
  fs.writeFileSync(src, source)
  execFileSync('gcc', ['-static', '-O2', '-o', out, src])
  return fs.readFileSync(out)
}

async function probeImage() {
  return buildImage({
    layers: [
      await busyboxLayer(),
      [
        {path: 'probe', content: programs.probe, mode: 0o755},
        {path: 'euid', content: programs.euid, mode: 0o4755},
      ],
    ],
  })
}

test.before(() => {
  programs = {probe: compileStatic('probe', PROBE_SOURCE), euid: compileStatic('euid', EUID_SOURCE)}
})

test.after.always(() => fs.rmSync(buildDir, {recursive: true, force: true}))

async function sandboxWithProbe(t: {teardown(fn: () => unknown): void}): Promise<Sandbox> {
  const box = sandbox(user)
  t.teardown(() => removeTree(box.dir))
  const archive = path.join(box.dir, 'probe.tar')
  await writeOciArchive(archive, [{image: await probeImage(), ref: 'localhost/probe:latest'}])
  fs.chmodSync(archive, 0o644)
  await tspodOk(box, ['load', '-q', '-i', archive])
  return box
}

function writeUserFile(box: Sandbox, file: string, content: string): string {
  const full = path.join(box.dir, file)
  fs.mkdirSync(path.dirname(full), {recursive: true})
  fs.writeFileSync(full, content, {mode: 0o644})
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, path.join(box.dir, file.split('/')[0])])
  return full
}

const seccompLines = (status: string) => status.split('\n').filter((l) => /^(Seccomp|Seccomp_filters|NoNewPrivs):/.test(l)).map((l) => l.replace(/\s+/, ' '))

test('run: the syscalls Podman refuses are refused with its errno; unconfined lets them through', async (t) => {
  const box = await sandboxWithProbe(t)
  const confined = await tspod(box, ['run', '--rm', 'probe', '/probe'])
  t.is(confined.code, 0, confined.stderr)
  t.is(confined.stdout, PODMAN_DEFAULT)
  const unconfined = await tspod(box, ['run', '--rm', '--security-opt', 'seccomp=unconfined', 'probe', '/probe'])
  t.is(unconfined.code, 0, unconfined.stderr)
  t.is(unconfined.stdout, PODMAN_UNCONFINED)
})

test('run and exec: Seccomp 2 without no_new_privs, a setuid program still gains root; 0 when unconfined', async (t) => {
  const box = await sandboxWithProbe(t)
  const status = await tspod(box, ['run', '--rm', '--user', '1234', 'probe', 'sh', '-c', 'cat /proc/self/status; /euid'])
  t.is(status.code, 0, status.stderr)
  t.deepEqual(seccompLines(status.stdout), ['NoNewPrivs: 0', 'Seccomp: 2', 'Seccomp_filters: 1'])
  t.regex(status.stdout, /^euid 0$/m)

  for (const [name, opts, expected] of [
    ['confined', [], '2'],
    ['free', ['--security-opt', 'seccomp=unconfined'], '0'],
  ] as const) {
    const started = await tspod(box, ['run', '-d', '--name', name, ...opts, 'probe', 'sleep', '1000'])
    t.is(started.code, 0, started.stderr)
    const exec = await tspod(box, ['exec', name, 'grep', '^Seccomp:', '/proc/self/status'])
    t.is(exec.code, 0, exec.stderr)
    t.is(exec.stdout.replace(/\s+/, ' '), `Seccomp: ${expected}\n`, name)
    const probe = await tspod(box, ['exec', name, '/probe'])
    t.is(probe.stdout, expected === '2' ? PODMAN_DEFAULT : PODMAN_UNCONFINED, name)
    t.is((await tspod(box, ['rm', '-f', '-t', '0', name])).code, 0)
  }
})

test('a profile file, from --security-opt or containers.conf, is honoured', async (t) => {
  const box = await sandboxWithProbe(t)
  const profile = writeUserFile(
    box,
    'profiles/no-mkdir.json',
    JSON.stringify({defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13}]}),
  )
  const script = ['sh', '-c', 'mkdir /tmp/x 2>&1 && echo made; grep ^Seccomp: /proc/self/status']
  const flag = await tspod(box, ['run', '--rm', '--security-opt', `seccomp=${profile}`, 'probe', ...script])
  t.is(flag.code, 0, flag.stderr)
  t.regex(flag.stdout, /Permission denied/)
  t.notRegex(flag.stdout, /made/)

  const conf = writeUserFile(box, 'containers/containers.conf', `[containers]\nseccomp_profile = "${profile}"\n`)
  const fromConf = await tspod(box, ['run', '--rm', 'probe', ...script], {env: {CONTAINERS_CONF: conf}})
  t.is(fromConf.code, 0, fromConf.stderr)
  t.regex(fromConf.stdout, /Permission denied/)
  // the flag wins over containers.conf
  const overridden = await tspod(box, ['run', '--rm', '--security-opt', 'seccomp=unconfined', 'probe', ...script], {env: {CONTAINERS_CONF: conf}})
  t.regex(overridden.stdout, /^made\nSeccomp:\s+0\n$/)
})

test('a bad --security-opt, profile path or profile JSON fails with 125 before anything is created', async (t) => {
  const box = await sandboxWithProbe(t)
  const badJson = writeUserFile(box, 'profiles/bad.json', '{bad')
  const cases: [string, RegExp][] = [
    ['seccomp=/no/such/profile.json', /^Error: opening seccomp profile failed: open \/no\/such\/profile.json: no such file or directory\n$/],
    [`seccomp=${badJson}`, new RegExp(`^Error: loading seccomp profile \\(${badJson}\\) failed: decoding seccomp profile failed: [^\\n]+\\n$`)],
    ['seccomp', /^Error: invalid --security-opt 1: "seccomp"\n$/],
    ['foo=bar', /^Error: invalid --security-opt 2: "foo=bar"\n$/],
    ['no-new-privileges=maybe', /^Error: invalid --security-opt 2: "no-new-privileges=maybe"\n$/],
    ['systempaths=foo', /^Error: invalid systempaths option "foo", only `unconfined` is supported\n$/],
    ['label=type:spc_t', /^Error: --security-opt label=type:spc_t: tspod applies no SELinux labels; only label=disable is accepted\n$/],
    ['apparmor=myprofile', /^Error: --security-opt apparmor=myprofile: tspod applies no AppArmor profiles; only apparmor=unconfined is accepted\n$/],
  ]
  for (const verb of ['run', 'create']) {
    for (const [opt, message] of cases) {
      const r = await tspod(box, [verb, '--security-opt', opt, 'probe', 'true'])
      t.is(r.code, 125, `${verb} ${opt}`)
      t.regex(r.stderr, message, `${verb} ${opt}`)
    }
  }
  // refused before a pull: an image that is not there is never looked for
  const early = await tspod(box, ['run', '--security-opt', 'seccomp=/no/such/profile.json', 'localhost/not-here', 'true'])
  t.regex(early.stderr, /opening seccomp profile failed/)
  t.is((await tspod(box, ['ps', '-a', '-q'])).stdout, '')
})

test('inspect shows --security-opt as Podman 4.3 does: HostConfig.SecurityOpt and the annotations', async (t) => {
  const box = await sandboxWithProbe(t)
  const profile = writeUserFile(box, 'profiles/allow.json', JSON.stringify({defaultAction: 'SCMP_ACT_ALLOW'}))
  const inspect = async (opts: string[]) => {
    const id = (await tspod(box, ['create', ...opts, 'probe', 'true'])).stdout.trim()
    const r = await tspod(box, ['container', 'inspect', id])
    t.is(r.code, 0, r.stderr)
    return JSON.parse(r.stdout)[0] as {HostConfig: {SecurityOpt: string[]}; Config: {Annotations: Record<string, string>}}
  }
  t.deepEqual((await inspect([])).HostConfig.SecurityOpt, [])
  const all = await inspect(['--security-opt', 'seccomp=unconfined', '--security-opt', 'label=disable', '--security-opt', 'no-new-privileges', '--security-opt', 'apparmor=unconfined'])
  t.deepEqual(all.HostConfig.SecurityOpt, ['no-new-privileges', 'label=disable', 'seccomp=unconfined', 'apparmor=unconfined'])
  t.like(all.Config.Annotations, {
    'io.podman.annotations.seccomp': 'unconfined',
    'io.podman.annotations.label': 'disable',
    'io.podman.annotations.apparmor': 'unconfined',
  })
  const custom = await inspect(['--security-opt', `seccomp=${profile}`])
  t.deepEqual(custom.HostConfig.SecurityOpt, [`seccomp=${profile}`])
  t.is(custom.Config.Annotations['io.podman.annotations.seccomp'], profile)
})

test('--runtime crun gets the same linux.seccomp and refuses the same syscalls as the native runtime', async (t) => {
  const dir = userTempDir(user, 'tspod-seccomp-oci-')
  t.teardown(() => removeTree(dir))
  const store = await makeImageStore(user, dir, {probe: await probeImage()})
  for (const [securityOpt, expected] of [
    [[], PODMAN_DEFAULT],
    [['seccomp=unconfined'], PODMAN_UNCONFINED],
  ] as const) {
    for (const runtime of [undefined, 'crun']) {
      const report = await runContainer(store, {runtime, image: 'probe', options: {args: ['/probe'], securityOpt: [...securityOpt]}})
      t.is(report.error, undefined, report.error?.message)
      t.is(report.stdout, expected, `${runtime ?? 'native'} ${securityOpt.join(' ')}`)
    }
  }
})
