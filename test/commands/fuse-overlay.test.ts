// storage.conf's mount_program: containers whose rootfs is fuse-overlayfs, through the CLI, as the
// rootless user. /dev/fuse is 0600 on this host: commands that start a container run in a private
// mount namespace (as root) where a 0666 node of the same device is bound over /dev/fuse, then
// drop to the user; the others (exec, stop, rm, inspect) run as the user directly.
import test, {ExecutionContext} from 'ava'
import {execFileSync, spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {RunResult, Sandbox, TSPOD_BIN, lookupUser, runAs, tspod, userEnv} from '../helpers/rootless'

const root = lookupUser('root')
let nodeDir: string
let fuseNode: string

test.before(() => {
  nodeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-fuse-node-'))
  const [major, minor] = execFileSync('stat', ['-c', '%t %T', '/dev/fuse'], {encoding: 'utf8'})
    .trim()
    .split(' ')
    .map((hex) => String(Number.parseInt(hex, 16)))
  fuseNode = path.join(nodeDir, 'fuse')
  execFileSync('mknod', [fuseNode, 'c', major, minor])
  fs.chmodSync(fuseNode, 0o666)
})

test.after.always(() => {
  if (nodeDir) fs.rmSync(nodeDir, {recursive: true, force: true})
})

/** A sandbox with the test images whose storage.conf sets mount_program. */
async function fuseSandbox(t: {teardown(fn: () => unknown): void}, program = '/usr/bin/fuse-overlayfs'): Promise<Sandbox> {
  const box = await sandboxWithImages(t)
  const conf = path.join(box.dir, 'storage.conf')
  fs.writeFileSync(conf, `[storage]\ndriver = "overlay"\n\n[storage.options.overlay]\nmount_program = "${program}"\n`, {mode: 0o644})
  box.env.TSPOD_STORAGE_CONF = conf
  return box
}

/** The argv of tspod as the sandbox's user, in a private mount namespace where /dev/fuse is usable (every step execs the next: one pid). */
function withFuseArgv(box: Sandbox, args: string[]): string[] {
  const env = Object.entries(userEnv(box.user, box.env)).map(([k, v]) => `${k}=${v}`)
  const drop = ['setpriv', '--reuid', String(box.user.uid), '--regid', String(box.user.gid), '--init-groups', '--', 'env', '-i', ...env]
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" /dev/fuse && shift && exec "$@"', 'sh', fuseNode, ...drop, process.execPath, TSPOD_BIN, ...args]
}

function tspodWithFuse(box: Sandbox, args: string[]): Promise<RunResult> {
  return runAs(root, withFuseArgv(box, args), {cwd: '/'})
}

function readProc(pid: string, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return '' // gone meanwhile, or a kernel thread
  }
}

function pids(): string[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))
}

/** fuse-overlayfs processes serving this sandbox's containers (a zombie has no cmdline). */
function fuseServers(box: Sandbox): string[] {
  return pids().filter((pid) => {
    const argv = readProc(pid, 'cmdline').split('\0')
    return path.basename(argv[0]) === 'fuse-overlayfs' && argv.some((a) => a.includes(box.dir))
  })
}

/** Processes in the mount namespace `ns` (a readlink of /proc/<pid>/ns/mnt). */
function inMountNamespace(ns: string): string[] {
  return pids().filter((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/ns/mnt`) === ns
    } catch {
      return false
    }
  })
}

async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}

const ROOT_FS = 'awk \'$5 == "/"\' /proc/self/mountinfo | sed "s/.* - //" | cut -d" " -f1-2'
/** Prints the rootfs mount, then /data and /opq of the `multi` image (whiteouts, an opaque dir), split by `--`. */
const MULTI_VIEW = `${ROOT_FS}; echo --; ls /data; echo --; ls /opq`

/** A run of MULTI_VIEW on fuse-overlayfs: the layers merged as overlay does it. */
function assertMultiView(t: ExecutionContext, r: RunResult): void {
  t.is(r.code, 0, r.stderr)
  const [mount, data, opq] = r.stdout.split('--\n')
  t.is(mount, 'fuse.fuse-overlayfs fuse-overlayfs\n')
  t.deepEqual(data.trim().split('\n'), ['keep.txt', 'setuid', 'user-owned.txt'])
  t.is(opq, 'upper.txt\n')
}

test('run --rm: the rootfs is fuse-overlayfs, whiteouts and opaque dirs are honoured, and nothing is left once the CLI has exited', async (t) => {
  const box = await fuseSandbox(t)
  assertMultiView(t, await tspodWithFuse(box, ['run', '--rm', 'multi', 'sh', '-c', MULTI_VIEW]))
  t.deepEqual(fuseServers(box), [])
  t.is((await tspod(box, ['ps', '-a', '-q'])).stdout, '')
})

test('writes land in the container\'s upper dir (a deleted image file as a 0/0 whiteout)', async (t) => {
  const box = await fuseSandbox(t)
  const r = await tspodWithFuse(box, ['run', '--name', 'w', 'multi', 'sh', '-c', 'echo written > /written; rm /data/keep.txt; cat /written'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'written\n')
  const upper = (await tspod(box, ['inspect', '--format', '{{.GraphDriver.Data.UpperDir}}', 'w'])).stdout.trim()
  t.is(fs.readFileSync(path.join(upper, 'written'), 'utf8'), 'written\n')
  const whiteout = fs.lstatSync(path.join(upper, 'data', 'keep.txt'))
  t.true(whiteout.isCharacterDevice())
  t.is(whiteout.rdev, 0)
  t.deepEqual(fuseServers(box), [])
  // the next start of the same container sees its upper dir through fuse-overlayfs again
  const again = await tspodWithFuse(box, ['start', '-a', 'w'])
  t.is(again.code, 0, again.stderr)
  t.is(again.stdout, 'written\n')
  t.is((await tspod(box, ['rm', 'w'])).code, 0)
})

test('-d: the container keeps its fuse rootfs after the CLI has exited; stop leaves no fuse-overlayfs and no mount namespace behind', async (t) => {
  const box = await fuseSandbox(t)
  const started = await tspodWithFuse(box, ['run', '-d', '--name', 'd', 'busybox', 'sleep', '1000'])
  t.is(started.code, 0, started.stderr)
  const pid = (await tspod(box, ['inspect', '--format', '{{.State.Pid}}', 'd'])).stdout.trim()
  const ns = fs.readlinkSync(`/proc/${pid}/ns/mnt`)
  t.is(fuseServers(box).length, 1)
  t.false(inMountNamespace(ns).some((p) => fuseServers(box).includes(p)), 'fuse-overlayfs serves the mount from outside the container')

  const exec = await tspod(box, ['exec', 'd', 'sh', '-c', `${ROOT_FS}; echo kept > /kept; cat /kept`])
  t.is(exec.code, 0, exec.stderr)
  t.is(exec.stdout, 'fuse.fuse-overlayfs fuse-overlayfs\nkept\n')

  t.is((await tspod(box, ['stop', '-t', '0', 'd'])).code, 0)
  t.true(await eventually(() => fuseServers(box).length === 0), `fuse-overlayfs still runs: ${fuseServers(box).join(' ')}`)
  t.deepEqual(inMountNamespace(ns), [])
  const rm = await tspod(box, ['rm', 'd'])
  t.is(rm.code, 0, rm.stderr)
  t.deepEqual(fuseServers(box), [])
})

test('a foreground run whose tspod is killed: the container and its fuse-overlayfs go with it', async (t) => {
  const box = await fuseSandbox(t)
  const [file, ...args] = withFuseArgv(box, ['run', '--name', 'k', 'busybox', 'sleep', '1000'])
  const cli = spawn(file, args, {stdio: 'ignore', cwd: '/'})
  const ended = new Promise((resolve) => cli.on('exit', resolve))
  t.true(await eventually(() => fuseServers(box).length === 1), 'the container started')
  const pid = (await tspod(box, ['inspect', '--format', '{{.State.Pid}}', 'k'])).stdout.trim()
  const ns = fs.readlinkSync(`/proc/${pid}/ns/mnt`)
  cli.kill('SIGKILL')
  await ended
  t.true(await eventually(() => fuseServers(box).length === 0 && inMountNamespace(ns).length === 0), `left: ${fuseServers(box).join(' ')}`)
  t.is((await tspod(box, ['rm', '-f', 'k'])).code, 0)
})

test("^C on tspod's terminal (SIGINT to its process group) reaches the container, whose rootfs stays served while it handles it", async (t) => {
  const box = await fuseSandbox(t)
  const script = 'trap "sleep 0.3; cat /etc/hostname >/dev/null && echo served; exit 3" INT; echo ready; while :; do sleep 0.1; done'
  const [file, ...args] = withFuseArgv(box, ['run', '--rm', '--hostname', 'h', 'busybox', 'sh', '-c', script])
  const cli = spawn(file, args, {stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', detached: true})
  let stdout = ''
  let stderr = ''
  cli.stdout.on('data', (d) => (stdout += d))
  cli.stderr.on('data', (d) => (stderr += d))
  const code = new Promise((resolve) => cli.on('close', resolve))
  t.true(await eventually(() => stdout.includes('ready\n')), stderr)
  process.kill(-cli.pid!, 'SIGINT')
  t.is(await code, 3, stderr)
  t.is(stdout, 'ready\nserved\n')
  t.deepEqual(fuseServers(box), [])
})

test('-d whose monitor is killed: the container keeps its rootfs, and fuse-overlayfs still ends with it', async (t) => {
  const box = await fuseSandbox(t)
  t.is((await tspodWithFuse(box, ['run', '-d', '--name', 'm', 'busybox', 'sleep', '1000'])).code, 0)
  const [pid, monitor] = (await tspod(box, ['inspect', '--format', '{{.State.Pid}} {{.State.ConmonPid}}', 'm'])).stdout.trim().split(' ')
  const ns = fs.readlinkSync(`/proc/${pid}/ns/mnt`)
  process.kill(Number(monitor), 'SIGKILL')
  const exec = await tspod(box, ['exec', 'm', 'sh', '-c', 'echo still > /still; cat /still'])
  t.is(exec.stdout, 'still\n', exec.stderr)
  process.kill(Number(pid), 'SIGKILL')
  t.true(await eventually(() => fuseServers(box).length === 0 && inMountNamespace(ns).length === 0), `left: ${fuseServers(box).join(' ')}`)
  t.is((await tspod(box, ['rm', '-f', 'm'])).code, 0)
})

test('--runtime crun: the helper gets the fuse-overlayfs rootfs, crun runs in it', async (t) => {
  const box = await fuseSandbox(t)
  assertMultiView(t, await tspodWithFuse(box, ['run', '--rm', '--runtime', 'crun', 'multi', 'sh', '-c', `${MULTI_VIEW}; echo x > /x`]))
  t.deepEqual(fuseServers(box), [])

  const detached = await tspodWithFuse(box, ['run', '-d', '--runtime', 'crun', '--name', 'c', 'busybox', 'sleep', '1000'])
  t.is(detached.code, 0, detached.stderr)
  const exec = await tspod(box, ['exec', 'c', 'sh', '-c', ROOT_FS])
  t.is(exec.stdout, 'fuse.fuse-overlayfs fuse-overlayfs\n', exec.stderr)
  t.is((await tspod(box, ['rm', '-f', '-t', '0', 'c'])).code, 0)
  t.true(await eventually(() => fuseServers(box).length === 0), `fuse-overlayfs still runs: ${fuseServers(box).join(' ')}`)
})

test('a mount_program that is not there: exit 125 naming it', async (t) => {
  const box = await fuseSandbox(t, '/no/such/fuse-overlayfs')
  const r = await tspodWithFuse(box, ['run', '--rm', 'busybox', 'true'])
  t.is(r.code, 125)
  t.is(r.stderr, 'Error: mount_program "/no/such/fuse-overlayfs": no executable file there\n')
})
