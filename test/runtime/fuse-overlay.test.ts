// @userns
// The rootfs through fuse-overlayfs (storage.conf's mount_program): the options it is given, the
// plan without the overlay step, and real containers as the rootless user, whose fuse-overlayfs
// must exit by itself once the container has ended.
//
// /dev/fuse is 0600 on this host: the real runs happen in a private mount namespace (as root)
// where a 0666 node of the same device is bound over /dev/fuse, then drop to the user.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {exitCodeFor} from '../../src/cli/exit-codes'
import {TspodError} from '../../src/errors'
import {explainNativeOverlayFailure, findProgram} from '../../src/runtime/fuse-overlay'
import {fuseOverlayOptions} from '../../src/storage/store/driver/overlay'
import {helperSteps} from '../../src/runtime/oci-runtime/helper-steps'
import {identifyOciRuntime} from '../../src/runtime/oci-runtime/resolve'
import {OciSpec} from '../../src/runtime/oci-spec'
import {RootfsLayout, overlaySteps, planContainer} from '../../src/runtime/plan'
import {BuiltImage, busyboxImage, multiLayerImage} from '../helpers/oci-image'
import {RunResult, TEST_USER, TestUser, lookupUser, removeTree, runAs, userEnv, userTempDir} from '../helpers/rootless'
import {SAMPLE_LAYOUT} from '../helpers/sample-layout'

const DIST = path.resolve(__dirname, '..', '..')
const UNPACK = path.join(__dirname, '..', 'fixtures', 'unpack-layers.js')
const user = lookupUser(TEST_USER)
const root = lookupUser('root')

const LAYOUT = SAMPLE_LAYOUT

test('fuse-overlayfs options: the layers top first, `,` and `\\` escaped for libfuse, mountopt after them without metacopy', (t) => {
  t.is(fuseOverlayOptions(LAYOUT), 'lowerdir=/store/layers/top:/store/layers/base,upperdir=/store/c1/upper,workdir=/store/c1/work')
  const odd = {...LAYOUT, lowerDirs: ['/s/a,b', '/s/c\\d'], workDir: '/w,x'}
  t.is(fuseOverlayOptions(odd, 'metacopy=on, fsync=0'), 'lowerdir=/s/a\\,b:/s/c\\\\d,upperdir=/store/c1/upper,workdir=/w\\,x,fsync=0')
  // fuse-overlayfs splits lowerdir and upperdir at every ":" and knows no escape for it
  t.throws(() => fuseOverlayOptions({...LAYOUT, lowerDirs: ['/s/a:b']}), {message: 'fuse-overlayfs cannot use the layer dir `/s/a:b`: its path contains ":"'})
  t.throws(() => fuseOverlayOptions({...LAYOUT, upperDir: '/u:1'}), {message: 'fuse-overlayfs cannot use the upper dir `/u:1`: its path contains ":"'})
  t.throws(() => fuseOverlayOptions({...LAYOUT, lowerDirs: []}), {message: 'an overlay rootfs needs at least one lower dir'})
})

function minimalSpec(merged: string, args: string[], u: TestUser = user): OciSpec {
  const map = (own: number, file: string) => {
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${u.name}:`))
    const [, start, count] = line ? line.split(':') : []
    return [{containerID: 0, hostID: own, size: 1}, ...(line ? [{containerID: 1, hostID: Number(start), size: Number(count)}] : [])]
  }
  return {
    ociVersion: '1.0.2',
    process: {user: {uid: 0, gid: 0, additionalGids: [0]}, args, env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/'},
    root: {path: merged},
    mounts: [
      {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
      {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
    ],
    linux: {
      namespaces: [{type: 'pid'}, {type: 'mount'}, {type: 'user'}],
      uidMappings: map(u.uid, '/etc/subuid'),
      gidMappings: map(u.gid, '/etc/subgid'),
    },
  }
}

test('a rootfs mounted by fuse-overlayfs: the plan skips only the overlay step and keeps the order of the rest', (t) => {
  const spec = minimalSpec(LAYOUT.mergedDir, ['true'])
  const native = planContainer(spec, LAYOUT).steps.map((s) => s.name)
  const fuse = planContainer(spec, {...LAYOUT, mountedBy: 'fuse-overlayfs'}).steps.map((s) => s.name)
  const overlay = overlaySteps(LAYOUT).map((s) => s.name)
  t.deepEqual(overlay, ['mount overlay to `/store/c1/merged`'])
  t.deepEqual(fuse, native.filter((name) => !overlay.includes(name)))
  t.deepEqual(fuse.slice(0, 4), ['make `/` private', 'bind `/store/c1/merged`', 'make `/store/c1/merged` private', 'chdir to `/store/c1/merged`'])
  t.true(fuse.indexOf('pivot_root') < fuse.indexOf('setgroups'))

  // --runtime: the helper mounts no overlay either
  const runtime = identifyOciRuntime('crun')
  const dir = fs.mkdtempSync('/tmp/tspod-fuse-helper-')
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const helper = (layout: RootfsLayout) => helperSteps({layout, runtime, bundleDir: dir, rootless: true}).map((s) => s.name)
  t.true(helper(LAYOUT).includes('mount overlay to `/store/c1/merged`'))
  t.deepEqual(helper({...LAYOUT, mountedBy: 'fuse-overlayfs'}), helper(LAYOUT).filter((name) => !overlay.includes(name)))
})

test('a native overlay mount refused with EPERM, EINVAL or ENODEV names mount_program as the fix; other errors stay as they are', (t) => {
  const fuseOverlayfs = findProgram(['fuse-overlayfs'])
  t.truthy(fuseOverlayfs, 'fuse-overlayfs is installed here (.ci/setup-host.sh)')
  const refused = (code: string) =>
    new TspodError('mount overlay to `/s/c/merged`: Operation not permitted', {code, errno: -1, syscall: 'mount overlay to `/s/c/merged`', path: '/s/c/merged'})
  for (const code of ['EPERM', 'EINVAL', 'ENODEV']) {
    const explained = explainNativeOverlayFailure(refused(code), '/home/u/.config/tspod/storage.conf') as TspodError
    t.is(
      explained.message,
      `mount overlay to \`/s/c/merged\`: Operation not permitted: native overlay cannot be mounted here; fuse-overlayfs can: set mount_program = "${fuseOverlayfs}" under [storage.options.overlay] in /home/u/.config/tspod/storage.conf`,
    )
    t.is(explained.code, code)
    t.is(exitCodeFor(explained), 125)
  }
  const other = refused('EACCES')
  t.is(explainNativeOverlayFailure(other, '/x'), other)
  const notOverlay = new TspodError('bind `/x`: Operation not permitted', {code: 'EPERM', syscall: 'bind `/x`'})
  t.is(explainNativeOverlayFailure(notOverlay, '/x'), notOverlay)
})

// ---- real containers -------------------------------------------------------------------------

/** A 0666 node of /dev/fuse's device, bound over /dev/fuse in a private mount namespace. */
function fuseNode(dir: string): string {
  const [major, minor] = execFileSync('stat', ['-c', '%t %T', '/dev/fuse'], {encoding: 'utf8'})
    .trim()
    .split(' ')
    .map((hex) => String(Number.parseInt(hex, 16)))
  const node = path.join(dir, 'fuse')
  execFileSync('mknod', [node, 'c', major, minor])
  fs.chmodSync(node, 0o666)
  return node
}

/** argv as the user, in a private mount namespace where /dev/fuse is usable (node given) or as the host has it. */
function asUser(argv: string[], node: string | undefined): Promise<RunResult> {
  const env = Object.entries(userEnv(user)).map(([k, v]) => `${k}=${v}`)
  const drop = ['setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', 'env', '-i', ...env, ...argv]
  const bind = node ? `mount --bind ${node} /dev/fuse && ` : ''
  return runAs(root, ['unshare', '-m', '--propagation', 'private', 'sh', '-c', `${bind}exec "$@"`, 'sh', ...drop])
}

/** Plans the container with mountedBy, mounts fuse-overlayfs from beforeRelease, runs it, and waits for fuse-overlayfs to end by itself. */
const RUN_WITH_FUSE = `
const {finished} = require('node:stream/promises')
const {planContainer} = require(${JSON.stringify(path.join(DIST, 'src/runtime/plan'))})
const {mountFuseOverlay} = require(${JSON.stringify(path.join(DIST, 'src/runtime/fuse-overlay'))})
const {spawnInNamespaces} = require(${JSON.stringify(path.join(DIST, 'src/userns/spawn'))})
const {exitCodeFor} = require(${JSON.stringify(path.join(DIST, 'src/cli/exit-codes'))})
const request = JSON.parse(process.argv[1])
const report = {}
;(async () => {
  let fuse
  try {
    const layout = {...request.layout, mountedBy: 'fuse-overlayfs'}
    const plan = planContainer(request.spec, layout)
    const child = await spawnInNamespaces({
      namespaces: plan.namespaces, mapping: plan.mapping, steps: plan.steps, command: plan.command,
      stdio: ['inherit', 'pipe', 'pipe'],
      beforeRelease: async (pid) => {
        fuse = await mountFuseOverlay({...request.fuse, layout, pid, userNamespace: true})
        report.fuseRunning = require('node:fs').readFileSync('/proc/' + fuse.pid + '/cmdline', 'utf8').split('\\0')[0]
      },
    })
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stdout += d))
    const drained = Promise.all([finished(child.stdout), finished(child.stderr)])
    report.exit = await child.exited
    await drained
    report.stdout = stdout
  } catch (err) {
    report.error = {name: err.name, message: err.message, exitCode: exitCodeFor(err)}
  }
  if (fuse) report.fuseExit = await fuse.exited
  process.stdout.write(JSON.stringify(report))
})()
`

interface FuseRunReport {
  fuseRunning?: string
  exit?: {code: number | null; signal: string | null}
  stdout?: string
  fuseExit?: {code: number | null; signal: string | null}
  error?: {name: string; message: string; exitCode: number}
}

let work: string
let node: string
let multi: string[]
let counter = 0

async function unpackImage(dir: string, name: string, image: BuiltImage): Promise<string[]> {
  const layers = path.join(dir, 'layers')
  fs.mkdirSync(layers, {recursive: true})
  fs.chownSync(layers, user.uid, user.gid)
  const jobs = image.layers.map((layer, i) => {
    const blob = path.join(dir, `${name}-${i}.blob`)
    fs.writeFileSync(blob, layer.data, {mode: 0o644})
    const dest = path.join(layers, `${name}-${i}`)
    fs.mkdirSync(dest)
    fs.chownSync(dest, user.uid, user.gid)
    return {blob, dest, expectedDiffID: layer.diffID}
  })
  const r = await runAs(user, [process.execPath, UNPACK, JSON.stringify({op: 'unpack', jobs})])
  const report = JSON.parse(r.stdout || '{}') as {error?: {message: string}}
  if (r.code !== 0 || report.error) throw new Error(`unpacking ${name} failed: ${r.stderr} ${report.error?.message}`)
  return jobs.map((j) => j.dest).reverse()
}

function freshLayout(lowerDirs: string[]): RootfsLayout {
  const dir = path.join(work, 'containers', String(counter++))
  const [upperDir, workDir, mergedDir] = ['upper', 'work', 'merged'].map((name) => path.join(dir, name))
  for (const d of [path.dirname(dir), dir, upperDir, workDir, mergedDir]) {
    fs.mkdirSync(d, {recursive: true})
    fs.chownSync(d, user.uid, user.gid)
  }
  return {lowerDirs, upperDir, workDir, mergedDir, rootless: true}
}

async function runWithFuse(layout: RootfsLayout, script: string, program = '/usr/bin/fuse-overlayfs', usableFuse = true): Promise<FuseRunReport> {
  const request = {
    spec: minimalSpec(layout.mergedDir, ['sh', '-c', script]),
    layout,
    fuse: {program, socketDir: work, logFile: path.join(path.dirname(layout.mergedDir), 'fuse.log')},
  }
  const r = await asUser([process.execPath, '-e', RUN_WITH_FUSE, JSON.stringify(request)], usableFuse ? node : undefined)
  if (r.code !== 0) throw new Error(`the fuse run failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as FuseRunReport
}

test.before(async () => {
  work = userTempDir(user, 'tspod-fuse-')
  fs.chmodSync(work, 0o755)
  node = fuseNode(work)
  const [, image] = await Promise.all([busyboxImage(), multiLayerImage()])
  multi = await unpackImage(work, 'multi', image)
})

test.after.always(() => {
  if (work) removeTree(work)
})

test('fuse-overlayfs is the container root: whiteouts and opaque dirs honoured, writes land in the upper dir, and it exits by itself after the container', async (t) => {
  const layout = freshLayout(multi)
  const script = [
    'awk \'$5 == "/"\' /proc/self/mountinfo | sed "s/.* - //" | cut -d" " -f1-2',
    'ls /data',
    'ls /opq',
    'cat /data/keep.txt',
    'echo written > /written; rm /data/keep.txt; ps -o comm; exit 0',
  ].join('; echo --; ')
  const report = await runWithFuse(layout, script)
  t.is(report.error, undefined)
  t.is(report.fuseRunning, '/usr/bin/fuse-overlayfs')
  t.deepEqual(report.exit, {code: 0, signal: null}, report.stdout)
  const [mount, data, opq, keep, ps] = report.stdout!.split('--\n')
  t.is(mount, 'fuse.fuse-overlayfs fuse-overlayfs\n')
  t.deepEqual(data.trim().split('\n'), ['keep.txt', 'setuid', 'user-owned.txt']) // gone.txt whited out
  t.is(opq, 'upper.txt\n') // the opaque dir hides the lower layer's lower.txt
  t.is(keep, 'keep\n')
  // the container sees its own processes only: fuse-overlayfs serves it from outside
  t.deepEqual(ps.trim().split('\n'), ['COMMAND', 'sh', 'ps'])
  // writes and deletions land in the upper dir, as native overlay keeps them (a whiteout: char 0/0)
  t.is(fs.readFileSync(path.join(layout.upperDir, 'written'), 'utf8'), 'written\n')
  const whiteout = fs.lstatSync(path.join(layout.upperDir, 'data', 'keep.txt'))
  t.true(whiteout.isCharacterDevice())
  t.is(whiteout.rdev, 0)
  // the container's mount namespace went with it, the FUSE connection with the namespace
  t.deepEqual(report.fuseExit, {code: 0, signal: null})
})

test('a mount program that fails to serve, or is not there: the error says which, and what it wrote; the container never runs', async (t) => {
  const layout = freshLayout(multi)
  const report = await runWithFuse(layout, 'true', '/bin/false')
  t.is(report.exit, undefined)
  t.deepEqual(report.error, {
    name: 'TspodError',
    message: `creating overlay mount to \`${layout.mergedDir}\`: using mount program /bin/false: <stderr empty>: exit status 1`,
    exitCode: 125,
  })
  const missing = await runWithFuse(freshLayout(multi), 'true', '/no/such/fuse-overlayfs')
  t.is(missing.error?.message, 'mount_program "/no/such/fuse-overlayfs": no executable file there')
})

test("the host's /dev/fuse: without access to it the error is fusermount3's, naming the device", async (t) => {
  const usable = (await runAs(user, ['test', '-r', '/dev/fuse', '-a', '-w', '/dev/fuse'])).code === 0
  const layout = freshLayout(multi)
  const report = await runWithFuse(layout, 'echo ran', '/usr/bin/fuse-overlayfs', false)
  if (usable) {
    t.is(report.stdout, 'ran\n')
    return
  }
  t.is(report.error?.exitCode, 125)
  t.regex(report.error!.message, new RegExp(`^creating overlay mount to \`${layout.mergedDir}\`: [^\\n]*fusermount3: failed to open /dev/fuse: Permission denied: exit status 1$`))
})
