// @userns
// Join mode of the namespace primitive (what `tspod exec` runs on), and the loopback step,
// exercised as the real rootless user: a target child in new namespaces, children joining it.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {OciSpec} from '../../src/runtime/oci-spec'
import {DEFAULT_CAPABILITIES} from '../../src/runtime/spec/defaults'
import {busyboxImage} from '../helpers/oci-image'
import {TEST_USER, lookupUser, removeTree, runAs, userTempDir} from '../helpers/rootless'

const JOIN_REPORT = path.join(__dirname, '..', 'fixtures', 'join-report.js')
const SPAWN_REPORT = path.join(__dirname, '..', 'fixtures', 'spawn-report.js')
const UNPACK = path.join(__dirname, '..', 'fixtures', 'unpack-layers.js')
const user = lookupUser(TEST_USER)

const ALL = ['user', 'mount', 'pid', 'uts', 'ipc', 'net']
const HOSTNAME = 'tspod-join-target'

interface ErrorReport {
  name: string
  message: string
  exitCode: number
  code?: string
}

interface JoinResult {
  pid?: number
  exit?: {code: number | null; signal: string | null}
  stdout?: string
  error?: ErrorReport
}

interface JoinReport {
  target: {pid: number; ns: Record<string, string>}
  joins: JoinResult[]
}

function sh(script: string): object {
  return {file: '/bin/sh', argv: ['sh', '-c', script], env: ['PATH=/usr/bin:/bin']}
}

/** A target in new namespaces with its own hostname and a tmpfs on dir holding a file `mark`. */
function target(dir: string): object {
  return {
    namespaces: ALL,
    steps: [
      {kind: 'sethostname', name: 'sethostname', path: HOSTNAME},
      {kind: 'mount', name: `mount tmpfs on ${dir}`, source: 'tmpfs', fstype: 'tmpfs', path: dir},
    ],
    command: sh(`echo target-mark > ${dir}/mark && echo ready && exec /bin/busybox sleep 600`),
  }
}

async function withTargetDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = userTempDir(user, 'tspod-join-')
  try {
    return await run(dir)
  } finally {
    removeTree(dir)
  }
}

async function joinReport(dir: string, joins: object[], targetRequest = target(dir)): Promise<JoinReport> {
  const r = await runAs(user, [process.execPath, JOIN_REPORT, JSON.stringify({target: targetRequest, joins})])
  if (r.code !== 0) throw new Error(`join-report failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as JoinReport
}

test("a joined child is in the target's namespaces: links, hostname, pid namespace, mounts", async (t) => {
  await withTargetDir(async (dir) => {
    const links = 'for n in user mnt pid uts ipc net; do readlink /proc/self/ns/$n; done'
    const script = `${links}; uname -n; echo $$; cat ${dir}/mark; id -u`
    const report = await joinReport(dir, [{namespaces: ALL, command: sh(script)}])
    const [joined] = report.joins
    t.is(joined.error, undefined)
    t.deepEqual(joined.exit, {code: 0, signal: null})
    const lines = joined.stdout!.trim().split('\n')
    const targetNs = report.target.ns
    t.deepEqual(lines.slice(0, 6), [targetNs.user, targetNs.mnt, targetNs.pid, targetNs.uts, targetNs.ipc, targetNs.net])
    t.is(lines[6], HOSTNAME)
    const pidInside = Number(lines[7])
    t.true(pidInside > 1 && pidInside < 100, `pid in the target's pid namespace: ${lines[7]}`)
    t.not(pidInside, joined.pid!)
    t.is(lines[8], 'target-mark')
    t.is(lines[9], '0')
    // the tmpfs exists in the target's mount namespace only
    t.false(fs.existsSync(path.join(dir, 'mark')))
  })
})

test('joining in any order enters the user namespace first; without pid there is no extra process', async (t) => {
  await withTargetDir(async (dir) => {
    const script = 'readlink /proc/self/ns/user; readlink /proc/self/ns/uts; uname -n; echo $$; exit 7'
    const report = await joinReport(dir, [{namespaces: ['uts', 'mount', 'user'], command: sh(script)}])
    const [joined] = report.joins
    t.deepEqual(joined.exit, {code: 7, signal: null})
    const lines = joined.stdout!.trim().split('\n')
    t.deepEqual(lines.slice(0, 3), [report.target.ns.user, report.target.ns.uts, HOSTNAME])
    t.is(Number(lines[3]), joined.pid!) // the host's pid namespace: the returned pid is the program
  })
})

test('exit codes, signals and exec failures of a joined child propagate', async (t) => {
  await withTargetDir(async (dir) => {
    const report = await joinReport(dir, [
      {namespaces: ALL, command: sh('exit 7')},
      {namespaces: ALL, command: sh('kill -TERM $$')},
      {namespaces: ALL, command: {file: 'no-such-cmd', argv: ['no-such-cmd'], env: ['PATH=/usr/bin:/bin']}},
      {namespaces: ALL, command: {file: '/etc', argv: ['/etc'], env: []}},
      {namespaces: ALL, command: {file: '/bin/cat', argv: ['cat'], env: []}, input: 'through the pipe'},
    ])
    const [exit7, killed, missing, dir126, cat] = report.joins
    t.deepEqual(exit7.exit, {code: 7, signal: null})
    t.deepEqual(killed.exit, {code: null, signal: 'SIGTERM'})
    t.is(missing.error?.name, 'ExecNotFoundError')
    t.is(missing.error?.exitCode, 127)
    t.is(missing.error?.message, 'executable file `no-such-cmd` not found in $PATH: No such file or directory')
    t.is(dir126.error?.exitCode, 126)
    t.is(dir126.error?.message, 'exec `/etc`: permission denied')
    // stdin reaches EOF: the intermediate process holds no copy of the pipe
    t.deepEqual(cat.exit, {code: 0, signal: null})
    t.is(cat.stdout, 'through the pipe')
  })
})

test('signals sent to the returned pid reach the command in the pid namespace', async (t) => {
  await withTargetDir(async (dir) => {
    const trapping = 'trap "echo got-usr1; exit 5" USR1; echo ready; while :; do /bin/busybox sleep 0.05; done'
    const report = await joinReport(dir, [
      {namespaces: ALL, command: sh(trapping), signal: 'SIGUSR1'},
      {namespaces: ALL, command: sh('echo ready; exec /bin/busybox sleep 600'), signal: 'SIGTERM'},
      {namespaces: ALL, command: sh('echo ready; exec /bin/busybox sleep 600'), signal: 'SIGHUP'},
    ])
    const [usr1, term, hup] = report.joins
    t.deepEqual(usr1.exit, {code: 5, signal: null})
    t.is(usr1.stdout, 'ready\ngot-usr1\n')
    t.deepEqual(term.exit, {code: null, signal: 'SIGTERM'})
    t.deepEqual(hup.exit, {code: null, signal: 'SIGHUP'})
  })
})

test('a console step gives the joined command a terminal', async (t) => {
  await withTargetDir(async (dir) => {
    const report = await joinReport(dir, [
      {
        namespaces: ALL,
        console: true,
        steps: [{kind: 'setsid', name: 'setsid'}, {kind: 'console', name: 'console'}],
        command: sh('tty; uname -n'),
      },
    ])
    const [joined] = report.joins
    t.deepEqual(joined.exit, {code: 0, signal: null})
    t.regex(joined.stdout!, new RegExp(`^/dev/pts/\\d+\\r\\n${HOSTNAME}\\r\\n$`))
  })
})

/** A busybox container (overlay rootfs, pivot_root, its own /proc and devpts), as `tspod run` plans one. */
async function busyboxContainer(dir: string): Promise<object> {
  const image = await busyboxImage()
  const jobs = image.layers.map((layer, i) => {
    const blob = path.join(dir, `layer-${i}.blob`)
    fs.writeFileSync(blob, layer.data, {mode: 0o644})
    const dest = path.join(dir, `layer-${i}`)
    fs.mkdirSync(dest)
    fs.chownSync(dest, user.uid, user.gid)
    return {blob, dest, expectedDiffID: layer.diffID}
  })
  const r = await runAs(user, [process.execPath, UNPACK, JSON.stringify({op: 'unpack', jobs})])
  if (r.code !== 0 || JSON.parse(r.stdout).error) throw new Error(`unpacking busybox failed: ${r.stdout} ${r.stderr}`)
  const [upperDir, workDir, mergedDir] = ['upper', 'work', 'merged'].map((name) => path.join(dir, name))
  for (const d of [upperDir, workDir, mergedDir]) {
    fs.mkdirSync(d)
    fs.chownSync(d, user.uid, user.gid)
  }
  const layout = {lowerDirs: jobs.map((j) => j.dest).reverse(), upperDir, workDir, mergedDir, rootless: true}
  const ranges = (file: string, own: number) => {
    const [, start, count] = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${user.name}:`))!.split(':')
    return [{containerID: 0, hostID: own, size: 1}, {containerID: 1, hostID: Number(start), size: Number(count)}]
  }
  const caps = [...DEFAULT_CAPABILITIES]
  const spec: OciSpec = {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: {uid: 0, gid: 0},
      args: ['sh', '-c', 'echo ready; exec sleep 600'],
      env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
      capabilities: {bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: []},
    },
    root: {path: mergedDir, readonly: false},
    hostname: HOSTNAME,
    mounts: [
      {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
    ],
    linux: {
      namespaces: [{type: 'pid'}, {type: 'network'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}, {type: 'user'}],
      uidMappings: ranges('/etc/subuid', user.uid),
      gidMappings: ranges('/etc/subgid', user.gid),
    },
  }
  return {spec, layout}
}

test("a joined child of a real container is in its root, its /proc, and gets a terminal from the container's devpts", async (t) => {
  await withTargetDir(async (dir) => {
    const container = await busyboxContainer(dir)
    const report = await joinReport(
      dir,
      [
        // pid 1 prints "ready" just before it execs sleep: wait (bounded) for the exec before reading its cmdline
        {namespaces: ALL, command: sh('echo $$; for i in $(seq 100); do c=$(tr "\\0" " " < /proc/1/cmdline); [ "$c" = "sleep 600 " ] && break; sleep 0.05; done; echo "$c"; ls /; uname -n')},
        {
          namespaces: ALL,
          console: true,
          steps: [{kind: 'setsid', name: 'setsid'}, {kind: 'console', name: 'console'}],
          command: sh('tty; stat -c %d /dev/pts'),
        },
      ],
      container,
    )
    const [plain, terminal] = report.joins
    t.deepEqual(plain.exit, {code: 0, signal: null})
    const lines = plain.stdout!.trim().split('\n')
    t.true(Number(lines[0]) > 1 && Number(lines[0]) < 100, `pid in the container: ${lines[0]}`)
    t.is(lines[1].trim(), 'sleep 600')
    const root = lines.slice(2, -1).join(' ').split(/\s+/).sort()
    t.deepEqual(root, ['bin', 'dev', 'etc', 'home', 'linuxrc', 'proc', 'root', 'sbin', 'sys', 'tmp', 'usr', 'var'])
    t.is(lines.at(-1), HOSTNAME)
    t.deepEqual(terminal.exit, {code: 0, signal: null})
    const [tty, ptsDev] = terminal.stdout!.trim().split('\r\n')
    t.is(tty, '/dev/pts/0')
    t.not(Number(ptsDev), fs.statSync('/dev/pts').dev) // the container's own devpts, not the host's
  })
})

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z /.test(stat)
  } catch {
    return false
  }
}

test('a joined child and its command die with the process that spawned them', async (t) => {
  await withTargetDir(async (dir) => {
    const joins = [{namespaces: ALL, command: sh('echo ready; exec /bin/busybox sleep 600'), exitWhileRunning: true}]
    const r = await runAs(user, [process.execPath, JOIN_REPORT, JSON.stringify({target: target(dir), joins})])
    t.is(r.code, 0, r.stderr)
    const {pids} = JSON.parse(r.stdout) as {pids: number[]}
    t.is(pids.length, 2) // the intermediate process and the command
    // the kernel delivers the parent-death SIGKILL as the spawning process exits; wait for the reaping
    for (let i = 0; i < 200 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    t.deepEqual(pids.filter(alive), [])
  })
})

test('joining a process that does not exist, or is out of reach, is a one-line error naming the file', async (t) => {
  await withTargetDir(async (dir) => {
    const report = await joinReport(dir, [
      {namespaces: ALL, pid: 999999999, command: sh('true')},
      {namespaces: ['net'], pid: 1, command: sh('true')},
    ])
    const [missing, init] = report.joins
    t.is(missing.error?.code, 'ENOENT')
    t.is(
      missing.error?.message,
      'joining the namespaces of process 999999999: open: No such file or directory `/proc/999999999/ns/user`',
    )
    t.is(init.error?.code, 'EACCES')
    t.is(init.error?.message, 'joining the namespaces of process 1: open: Permission denied `/proc/1/ns/net`')
  })
})

async function loopbackFlags(steps: object[]): Promise<{flags: number; operstate: string}> {
  const dir = userTempDir(user, 'tspod-lo-')
  try {
    const request = {
      namespaces: ['user', 'mount', 'net'],
      steps: [{kind: 'mount', name: `mount sysfs on ${dir}`, source: 'sysfs', fstype: 'sysfs', path: dir}, ...steps],
      command: sh(`cat ${dir}/class/net/lo/flags ${dir}/class/net/lo/operstate`),
    }
    const r = await runAs(user, [process.execPath, SPAWN_REPORT, JSON.stringify(request)])
    const report = JSON.parse(r.stdout) as {exit?: object; stdout?: string; error?: ErrorReport}
    if (report.error) throw new Error(report.error.message)
    const [flags, operstate] = report.stdout!.trim().split('\n')
    return {flags: Number(flags), operstate}
  } finally {
    removeTree(dir)
  }
}

test('a loopback_up step brings lo up in a new network namespace', async (t) => {
  const down = await loopbackFlags([])
  t.is(down.flags & 0x1, 0)
  t.is(down.operstate, 'down')
  const up = await loopbackFlags([{kind: 'loopback_up', name: 'bring up lo'}])
  t.is(up.flags & 0x1, 0x1)
  t.is(up.operstate, 'unknown')
})
