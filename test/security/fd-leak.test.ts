// Hole 1 of issue 10: nothing of tspod's own process is reachable from inside a container. A
// container process scans /proc/<pid>/fd and /proc/<pid>/exe of every process it can see while
// `tspod exec` sends processes in; before the fix it found the joining process's store database
// (tspod.db, -wal, -shm) and the host's Node binary.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {REPO, runAs, tspod} from '../helpers/rootless'

const EXECS = 20

const SCANNER = [
  'while [ ! -e /tmp/stop ]; do',
  '  ls -l /proc/[0-9]*/exe /proc/[0-9]*/fd/ 2>/dev/null >> /tmp/seen',
  'done',
  'echo stopped > /tmp/stopped',
  'sleep 1000',
].join('\n')

test(`a container scanning /proc/*/fd and /proc/*/exe during ${EXECS} execs sees none of tspod's files and no Node binary`, async (t) => {
  const box = await sandboxWithImages(t)
  const run = await tspod(box, ['run', '-d', '--name', 'scan', 'busybox', 'sh', '-c', SCANNER])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'scan']))

  for (let i = 0; i < EXECS; i++) {
    // each exec leaves its pid for the check that the scanner could see the exec'd processes
    const exec = await tspod(box, ['exec', 'scan', 'sh', '-c', 'echo $$ >> /tmp/exec-pids; sleep 0.1'])
    t.is(exec.code, 0, exec.stderr)
  }
  // The scan's output is large: it is searched in the container, for the exec'd processes' pids
  // (the scan was real: it listed the processes the execs sent in) and for anything of tspod's.
  const nodeBinary = fs.realpathSync(process.execPath)
  const report = [
    'touch /tmp/stop; while [ ! -e /tmp/stopped ]; do sleep 0.05; done',
    'seen=0; for pid in $(cat /tmp/exec-pids); do grep -q "/proc/$pid/" /tmp/seen && seen=$((seen+1)); done; echo "$seen"',
    `grep -e tspod.db -e storage -e bin/node -e '${box.dir}' -e '${nodeBinary}' /tmp/seen | sort -u | head -20; true`,
  ].join('\n')
  const stop = await tspod(box, ['exec', 'scan', 'sh', '-c', report])
  t.is(stop.code, 0, stop.stderr)
  const [seenPids, ...leaks] = stop.stdout.trim().split('\n')
  t.true(Number(seenPids) > 0, `the scanner saw none of the ${EXECS} exec'd processes`)
  t.deepEqual(leaks, [])
})

test('a container process has only its stdio open, even when tspod was started with more fds', async (t) => {
  const box = await sandboxWithImages(t)
  const hostDir = path.join(box.dir, 'host-only')
  fs.mkdirSync(hostDir)
  const leaked = fs.openSync(hostDir, 'r')
  t.teardown(() => fs.closeSync(leaked))
  const run = await tspod(box, ['run', '--rm', 'busybox', 'sh', '-c', 'ls /proc/self/fd/'], {extraFds: [leaked]})
  t.is(run.code, 0, run.stderr)
  // 0, 1, 2 and the fd ls opens to read the directory
  t.true(run.stdout.trim().split('\n').length <= 4, run.stdout)
  t.false(run.stdout.split('\n').includes('4'), run.stdout)

  const detached = await tspod(box, ['run', '-d', '--name', 'fds', 'busybox', 'sleep', '1000'], {extraFds: [leaked]})
  t.is(detached.code, 0, detached.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'fds']))
  const exec = await tspod(box, ['exec', 'fds', 'sh', '-c', 'ls -l /proc/1/fd/ /proc/self/fd/'], {extraFds: [leaked]})
  t.is(exec.code, 0, exec.stderr)
  t.false(exec.stdout.includes(hostDir), exec.stdout)
})

test("a --pid=host container's monitor is not dumpable: its /proc/<pid>/fd and exe are refused to the user, and to container root", async (t) => {
  const box = await sandboxWithImages(t)
  const run = await tspod(box, ['run', '-d', '--pid', 'host', '--name', 'watched', 'busybox', 'sleep', '1000'])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'watched']))
  const inspect = await tspod(box, ['inspect', '--format', '{{.State.ConmonPid}}', 'watched'])
  const monitor = Number(inspect.stdout.trim())
  t.true(monitor > 0, inspect.stdout + inspect.stderr)
  t.true(fs.readFileSync(`/proc/${monitor}/cmdline`, 'latin1').startsWith(path.join(REPO, 'prebuilds')))
  // a non-dumpable process's /proc files are root's
  t.is(fs.statSync(`/proc/${monitor}/fd`).uid, 0)
  const look = await runAs(box.user, ['sh', '-c', `ls /proc/${monitor}/fd/; readlink /proc/${monitor}/exe`])
  t.not(look.code, 0)
  t.is(look.stdout, '')
  t.regex(look.stderr, /Permission denied/)
  // the container sees the host's processes, its monitor among them, and can read none of it
  const inside = await tspod(box, ['exec', 'watched', 'sh', '-c', `cat /proc/${monitor}/cmdline >/dev/null && ls /proc/${monitor}/fd/; readlink /proc/${monitor}/exe; cat /proc/${monitor}/environ`])
  t.not(inside.code, 0)
  t.is(inside.stdout, '')
  t.regex(inside.stderr, /Permission denied/)
})

test("a container with a pid namespace of its own cannot see its monitor, which its user reads as Podman's conmon", async (t) => {
  const box = await sandboxWithImages(t)
  const run = await tspod(box, ['run', '-d', '--name', 'watched', 'busybox', 'sleep', '1000'])
  t.is(run.code, 0, run.stderr)
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'watched']))
  const inspect = await tspod(box, ['inspect', '--format', '{{.State.ConmonPid}}', 'watched'])
  const monitor = Number(inspect.stdout.trim())
  t.true(monitor > 0, inspect.stdout + inspect.stderr)
  const look = await runAs(box.user, ['readlink', `/proc/${monitor}/exe`])
  t.is(look.code, 0, look.stderr)
  t.is(look.stdout.trim(), path.join(REPO, 'prebuilds', `${process.platform}-${process.arch}`, 'conmon'))
  // every process the container can see is its own: sleep, and the sh that looks
  const inside = await tspod(box, ['exec', 'watched', 'sh', '-c', 'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline; echo; done'])
  t.is(inside.code, 0, inside.stderr)
  const seen = inside.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  t.true(seen.length > 0)
  t.true(seen.every((l) => l === 'sleep 1000' || l.startsWith('sh -c ') || l.startsWith('tr ')), seen.join('\n'))
})
