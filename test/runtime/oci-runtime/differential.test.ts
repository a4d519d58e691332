// @userns
// The same containers, generated from the same image config and run options, run by tspod's
// native runtime and by the external runtimes (Debian's crun and runc) through
// startWithOciRuntime, as the rootless test user: stdout and exit codes must be identical.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'

import {busyboxImage, multiLayerImage} from '../../helpers/oci-image'
import {NOSUB_USER, TEST_USER, lookupUser, removeTree, userTempDir} from '../../helpers/rootless'
import {ImageStore, RunReport, RunRequest, makeImageStore, runContainer, statusCode} from './image-store'

const user = lookupUser(TEST_USER)
const EXTERNAL = ['crun', 'runc']

const storeDir = userTempDir(user, 'tspod-oci-diff-')
let store: ImageStore

test.before(async () => {
  store = await makeImageStore(user, storeDir, {busybox: await busyboxImage(), multi: await multiLayerImage()})
})

test.after.always(() => removeTree(storeDir))

type Outcome = {status?: number; stdout?: string; exitCode?: number; errorName?: string}

function outcome(report: RunReport): Outcome {
  if (report.error) return {exitCode: report.error.exitCode, errorName: report.error.name}
  return {status: statusCode(report.exit), stdout: report.stdout}
}

/** Run the request natively and with each external runtime; return every report by runtime. */
async function differential(t: ExecutionContext, request: Omit<RunRequest, 'runtime'>, on = store): Promise<Record<string, RunReport>> {
  const reports: Record<string, RunReport> = {native: await runContainer(on, request)}
  for (const runtime of EXTERNAL) reports[runtime] = await runContainer(on, {...request, runtime})
  for (const runtime of EXTERNAL) {
    t.is(reports[runtime].runtime?.kind, runtime)
    const [got, want] = [outcome(reports[runtime]), outcome(reports.native)]
    if (JSON.stringify(got) !== JSON.stringify(want))
      t.log(runtime, reports[runtime].error?.message ?? reports[runtime].stderr, '/ native:', reports.native.error?.message ?? reports.native.stderr)
    t.deepEqual(got, want, `${runtime} and the native runtime differ`)
  }
  return reports
}

const sh = (script: string): RunRequest['options'] => ({args: ['sh', '-c', script]})

test('id, uid_map, gid_map and setgroups: container root of the subuid mapping, setgroups allow', async (t) => {
  const reports = await differential(t, {options: sh('id; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups')})
  const lines = reports.native.stdout!.split('\n')
  t.regex(lines[0], /^uid=0\(root\) gid=0\(root\)/)
  t.regex(lines[1], new RegExp(`^\\s+0\\s+${user.uid}\\s+1$`))
  t.is(lines[lines.length - 2], 'allow')
})

test('--user 1234 -e TEST=here: the user, its groups and the environment', async (t) => {
  const reports = await differential(t, {options: {user: '1234', env: ['TEST=here'], args: ['sh', '-c', 'id; env | sort']}})
  t.is(
    reports.native.stdout,
    [
      'uid=1234(user) gid=1234(user) groups=1234(user)',
      'HOME=/home/user',
      'HOSTNAME=tspod-oci',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'PWD=/',
      'SHLVL=1',
      'TERM=xterm',
      'TEST=here',
      'container=oci',
      '',
    ].join('\n'),
  )
})

test('exit status 3', async (t) => {
  const reports = await differential(t, {options: sh('echo before; exit 3')})
  t.deepEqual(reports.native.exit, {code: 3, signal: null})
  t.is(reports.crun.stdout, 'before\n')
})

test('a missing command is 127 (ExecNotFoundError), with Podman\'s words for the runtime\'s message', async (t) => {
  const reports = await differential(t, {options: {args: ['nosuch']}})
  t.is(reports.native.error?.exitCode, 127)
  t.is(
    reports.crun.error?.message,
    'crun: executable file `nosuch` not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found',
  )
  // the runtime's own words also reach the user, on the stderr it shares with the container
  t.is(reports.crun.stderr, 'executable file `nosuch` not found in $PATH: No such file or directory\n')
  t.is(
    reports.runc.error?.message,
    'runc: runc run failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found',
  )
  // Podman's 030-run.bats expectation for an absolute path
  const absolute = await differential(t, {options: {args: ['/no/such/command']}})
  for (const runtime of EXTERNAL) t.regex(absolute[runtime].error!.message, /\/no\/such\/command.*[Nn]o such file or directory/)
})

test('a directory as the command is 126 (ExecCannotInvokeError)', async (t) => {
  const reports = await differential(t, {options: {args: ['/etc']}})
  t.is(reports.native.error?.exitCode, 126)
  t.is(reports.crun.error?.name, 'ExecCannotInvokeError')
  // Podman's 030-run.bats: "(exec.*(permission denied|is a directory)|is not a regular file)", or old crun's "open executable"
  t.regex(reports.crun.error!.message, /^crun: (open executable|the path `\/etc` is not a regular file).*: OCI permission denied$/)
  t.regex(reports.runc.error!.message, /exec: "\/etc": (permission denied|is a directory)/)
})

test('the working directory: -w, and the image default', async (t) => {
  const reports = await differential(t, {options: {workdir: '/etc', args: ['pwd']}})
  t.is(reports.native.stdout, '/etc\n')
  const image = await differential(t, {options: {args: ['pwd']}})
  t.is(image.native.stdout, '/\n')
})

test('hostname: --hostname, and the default the caller gives', async (t) => {
  const reports = await differential(t, {options: {hostname: 'oci-host', args: ['hostname']}})
  t.is(reports.native.stdout, 'oci-host\n')
  const fallback = await differential(t, {hostname: 'abcdef012345', options: {args: ['sh', '-c', 'hostname; cat /proc/sys/kernel/hostname']}})
  t.is(fallback.native.stdout, 'abcdef012345\nabcdef012345\n')
})

test('whiteouts and opaque dirs of a multi-layer image show through the overlay the helper mounts', async (t) => {
  const reports = await differential(t, {
    image: 'multi',
    options: sh('ls /data; echo --; ls /opq; echo --; cat /data/keep.txt; stat -c "%u:%g" /data/user-owned.txt'),
  })
  t.is(reports.native.stdout, 'keep.txt\nsetuid\nuser-owned.txt\n--\nupper.txt\n--\nkeep\n1234:1234\n')
})

test('writes land in the upper dir, owned by the mapped ids', async (t) => {
  const reports = await differential(t, {options: {user: '1234', args: ['sh', '-c', 'echo hi > /tmp/f; stat -c "%u:%g %s" /tmp/f']}})
  t.is(reports.native.stdout, '1234:1234 3\n')
})

test('a container killed by SIGKILL: the runtimes report 128+9 (they are its parent), the native runtime the signal', async (t) => {
  const reports = await differential(t, {options: sh('echo ready; exec sleep 60'), kill: {signal: 'SIGKILL', whenStdout: 'ready'}})
  t.deepEqual(reports.native.exit, {code: null, signal: 'SIGKILL'})
  t.deepEqual(reports.crun.exit, {code: 137, signal: null})
  t.deepEqual(reports.runc.exit, {code: 137, signal: null})
})

test('SIGTERM sent to the pid the caller gets (the runtime, which passes it on) reaches the container', async (t) => {
  const script = 'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.05; done'
  const reports = await differential(t, {options: sh(script), kill: {signal: 'SIGTERM', whenStdout: 'ready', viaPid: true}})
  t.deepEqual(reports.native.exit, {code: 7, signal: null})
  t.is(reports.native.stdout, 'ready\ngot-term\n')
})

test("the helper's overlay mount failing is tspod's error (125), in the native runtime's words", async (t) => {
  const reports = await differential(t, {options: {args: ['true']}, prepare: (layout) => fs.rmdirSync(layout.workDir)})
  t.is(reports.native.error?.exitCode, 125)
  for (const report of Object.values(reports)) t.regex(report.error!.message, /^mount overlay to `….*\/merged`: No such file or directory$/)
})

test('capabilities, no_new_privs and the nofile limit of the process', async (t) => {
  const reports = await differential(t, {options: sh('grep -E "^(CapPrm|CapEff|CapBnd|NoNewPrivs)" /proc/self/status; ulimit -n')})
  t.regex(reports.native.stdout!, /^CapPrm:\t[0-9a-f]{16}\nCapEff:\t[0-9a-f]{16}\nCapBnd:\t[0-9a-f]{16}\nNoNewPrivs:\t0\n\d+\n$/)
})

test('-t: crun sends the pty master over the console socket; the process has a terminal. runc cannot, and says so', async (t) => {
  const request: RunRequest = {options: {tty: true, args: ['sh', '-c', 'test -t 0 && test -t 1 && echo on-a-tty; tty; exit 5']}}
  const reports = {native: await runContainer(store, request), crun: await runContainer(store, {...request, runtime: 'crun'})}
  for (const [runtime, report] of Object.entries(reports)) {
    t.is(report.error, undefined, runtime)
    t.is(statusCode(report.exit), 5, runtime)
    t.is(report.terminal, 'on-a-tty\r\n/dev/pts/0\r\n', runtime)
  }
  const runc = await runContainer(store, {...request, runtime: 'runc'})
  t.is(runc.error?.exitCode, 125)
  t.regex(runc.error!.message, /^runc cannot hand the container's terminal to tspod .*--console-socket needs --detach.*use --runtime crun/)
})

test('a user without subordinate ids: the single mapping, setgroups deny, and the runtimes leave the groups alone', async (t) => {
  const nosub = lookupUser(NOSUB_USER)
  const dir = userTempDir(nosub, 'tspod-oci-nosub-')
  t.teardown(() => removeTree(dir))
  const nosubStore = await makeImageStore(nosub, dir, {busybox: await busyboxImage()})
  const reports = await differential(t, {options: sh('id; cat /proc/self/uid_map /proc/self/setgroups; grep " /dev/pts " /proc/self/mounts | grep -c gid=')}, nosubStore)
  t.is(reports.native.mappingMode, 'single')
  t.regex(reports.native.stdout!, new RegExp(`^uid=0\\(root\\) gid=0\\(root\\).*\\n\\s+0\\s+${nosub.uid}\\s+1\\ndeny\\n0\\n$`))
})
