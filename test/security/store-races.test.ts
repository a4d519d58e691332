// Races on the store (issue 10, item 7), for real as the rootless test user: rounds of 20
// concurrent commands (pulls of images that share layers from a local registry, rmi, image
// prune, run, two starts of one container at once, rm -f of containers and of a --rm container
// its monitor cleans up, volume rm of a volume a run uses). Each command ends with exit 0 or a
// clear error, and each round ends with a consistent store: every image's layers on disk with
// their files, no layer row without its dir and no dir without its row (doctor's checks), and
// no container root mounted twice.
import test from 'ava'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, registrySandbox} from '../helpers/image-sandbox'
import {BuiltImage, LayerEntry, buildImage, busyboxLayer} from '../helpers/oci-image'
import {until} from '../helpers/processes'
import {Registry, startRegistry} from '../helpers/registry'
import {REPO, RunResult, Sandbox, processesUsing, removeTree, runAs, tspod} from '../helpers/rootless'

const ROUNDS = 5

let registry: Registry

/** Files of incompressible data: a layer whose unpack takes a while, the window a pull reuses others' layers in. */
function bulkyEntries(dir: string): LayerEntry[] {
  return [
    {path: `${dir}/`, type: 'dir'},
    ...[0, 1, 2].map((i) => ({path: `${dir}/blob${i}`, content: crypto.randomBytes(3 * 1024 * 1024)})),
  ]
}

test.before(async () => {
  registry = await startRegistry()
  const busybox = await busyboxLayer()
  const shared: LayerEntry[] = [{path: 'shared/', type: 'dir'}, {path: 'shared/file', content: 'shared by b and c\n'}]
  const images: [string, BuiltImage][] = [
    ['race/a', await buildImage({layers: [busybox]})],
    ['race/b', await buildImage({layers: [busybox, shared]})],
    ['race/c', await buildImage({layers: [busybox, shared, bulkyEntries('c')]})],
    ['race/d', await buildImage({layers: [busybox, bulkyEntries('d')]})],
  ]
  for (const [name, image] of images) await registry.push(name, 'latest', image)
})
test.after.always(() => registry?.stop())

interface Op {
  name: string
  args: string[][]
  /** a clear error this command may end with, given what runs beside it */
  mayFail?: RegExp
}

interface Outcome {
  op: Op
  result: RunResult
}

/** Run the op's commands one after the other (run -d then rm -f), stopping at the first failure. */
async function perform(box: Sandbox, op: Op): Promise<Outcome> {
  let result: RunResult = {code: 0, signal: null, stdout: '', stderr: ''}
  for (const args of op.args) {
    result = await tspod(box, args, {timeoutMs: 120_000})
    if (result.code !== 0) break
  }
  return {op, result}
}

function roundOps(n: number): Op[] {
  const gone = /^Error: .*(image not known|no such container)/m
  return [
    {name: 'pull c', args: [['pull', '-q', 'race/c']]},
    {name: 'pull d', args: [['pull', '-q', 'race/d']]},
    {name: 'pull b', args: [['pull', '-q', 'race/b']]},
    {name: 'rmi b', args: [['rmi', 'race/b']], mayFail: gone},
    {name: 'rmi c', args: [['rmi', '-i', 'race/c']]},
    {name: 'rmi d', args: [['rmi', '-i', 'race/d']]},
    {name: 'image prune', args: [['image', 'prune', '-f']]},
    {name: 'image prune -a', args: [['image', 'prune', '-a', '-f']]},
    {name: 'start twin', args: [['start', 'twin']]},
    {name: 'start twin again', args: [['start', 'twin']]},
    {name: 'run --rm', args: [['run', '--rm', 'race/a', 'true']]},
    {name: 'run --rm ls', args: [['run', '--rm', 'race/a', 'ls', '/bin/busybox']]},
    {name: 'run -d, rm -f', args: [['run', '-d', '--name', `detached${n}x`, 'race/a', 'sleep', '100'], ['rm', '-f', '-t', '0', `detached${n}x`]]},
    {name: 'run -d, rm -f (2)', args: [['run', '-d', '--name', `detached${n}y`, 'race/a', 'sleep', '100'], ['rm', '-f', '-t', '0', `detached${n}y`]]},
    {name: 'run --rm -d', args: [['run', '--rm', '-d', '--name', `auto${n}`, 'race/a', 'true']]},
    {name: 'rm -f of the --rm container', args: [['rm', '-f', `auto${n}`]], mayFail: gone},
    {name: 'run with a volume', args: [['run', '--rm', '-v', `vol${n % 2}:/data`, 'race/a', 'sh', '-c', 'echo x > /data/x']]},
    {name: 'volume rm', args: [['volume', 'rm', `vol${n % 2}`]], mayFail: /^Error: .*(volume is being used|no such volume)/m},
    {name: 'kill twin', args: [['kill', '-s', 'CONT', 'twin']], mayFail: /^Error: can only kill running containers/m},
    {name: 'stop twin', args: [['stop', '-t', '0', 'twin']]},
  ]
}

/** Every process of the sandbox's containers and monitors: those whose mounts or command line name its dir. */
function sandboxProcesses(box: Sandbox): number[] {
  const pids = new Set(processesUsing(box.dir))
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (fs.readFileSync(`/proc/${entry}/mountinfo`, 'utf8').includes(box.dir)) pids.add(Number(entry))
    } catch {
      // gone
    }
  }
  return [...pids]
}

/** A monitor that has exec'd its cleanup step (the monitor's own command line names the step too). */
function isCleanupStep(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')
    return !argv[0].endsWith('/conmon') && argv.some((a) => a.endsWith('monitor-cleanup.js'))
  } catch {
    return false
  }
}

/** upper dir -> the mount namespaces an overlay with that upper dir is mounted in. */
function overlayMountsByUpper(box: Sandbox): Map<string, Set<string>> {
  const byUpper = new Map<string, Set<string>>()
  for (const pid of sandboxProcesses(box)) {
    try {
      const ns = fs.readlinkSync(`/proc/${pid}/ns/mnt`)
      for (const line of fs.readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n')) {
        const upper = /[ ,]upperdir=([^, ]+)/.exec(line)?.[1]
        if (!upper || !line.includes(' - overlay ')) continue
        byUpper.set(upper, (byUpper.get(upper) ?? new Set()).add(ns))
      }
    } catch {
      // gone
    }
  }
  return byUpper
}

/** Each image's layers, read from the store's DB as the user (doctor checks rows against dirs). */
async function imageLayers(box: Sandbox): Promise<{image_id: string; position: number; layer_id: string}[]> {
  const script = `const D = require(${JSON.stringify(path.join(REPO, 'node_modules', 'better-sqlite3'))});
const db = new D(${JSON.stringify(path.join(graphRoot(box), 'tspod.db'))}, {fileMustExist: true, timeout: 10000});
process.stdout.write(JSON.stringify(db.prepare('SELECT image_id, position, layer_id FROM image_layers ORDER BY image_id, position').all())); db.close()`
  const r = await runAs(box.user, [process.execPath, '-e', script])
  if (r.code !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

async function checkConsistent(box: Sandbox, round: number): Promise<string[]> {
  const problems: string[] = []
  const doctor = await tspod(box, ['doctor', '--check', 'leftovers', '--check', 'database', '--format', 'json'])
  for (const r of JSON.parse(doctor.stdout) as {check: string; status: string; message: string}[])
    if (r.status !== 'OK') problems.push(`round ${round}: doctor ${r.check}: ${r.status} ${r.message}`)
  const overlay = path.join(graphRoot(box), 'overlay')
  for (const row of await imageLayers(box)) {
    const diff = path.join(overlay, row.layer_id, 'diff')
    let entries: string[] = []
    try {
      entries = fs.readdirSync(diff)
    } catch {
      problems.push(`round ${round}: image ${row.image_id.slice(0, 12)} layer ${row.position} (${row.layer_id.slice(0, 12)}): no dir ${diff}`)
      continue
    }
    if (entries.length === 0) problems.push(`round ${round}: image ${row.image_id.slice(0, 12)} layer ${row.position}: ${diff} is empty`)
    if (row.position === 0 && !fs.existsSync(path.join(diff, 'bin', 'busybox'))) problems.push(`round ${round}: image ${row.image_id.slice(0, 12)}: no bin/busybox in its bottom layer`)
  }
  return problems
}

function unclear(outcome: Outcome): string | undefined {
  const {op, result} = outcome
  if (result.code === 0) return undefined
  const lines = result.stderr.trim().split('\n')
  if (op.mayFail?.test(result.stderr) && lines.every((l) => l.startsWith('Error: '))) return undefined
  return `${op.name}: exit ${result.code ?? result.signal}: ${result.stderr.trim()}`
}

test('20 concurrent pulls, rmi, prune, runs, starts and removals leave a consistent store', async (t) => {
  t.timeout(20 * 60_000)
  const box = registrySandbox(registry.host)
  t.teardown(() => {
    for (const pid of sandboxProcesses(box)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
    removeTree(box.dir)
  })
  const setup = await tspod(box, ['create', '--name', 'twin', 'race/a', 'sleep', '1000'])
  t.is(setup.code, 0, setup.stderr)

  const problems: string[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    const pulled = await tspod(box, ['pull', '-q', 'race/b'])
    t.is(pulled.code, 0, pulled.stderr)
    const started = Date.now()
    const outcomes = await Promise.all(roundOps(round).map((op) => perform(box, op)))
    t.log(`round ${round}: 20 operations in ${Date.now() - started} ms`)
    t.is(outcomes.length, 20)
    for (const outcome of outcomes) {
      const problem = unclear(outcome)
      if (problem) problems.push(`round ${round}: ${problem}`)
    }
    // the monitors' cleanup steps of the --rm containers finish on their own
    await until(() => processesUsing(box.dir).every((pid) => !isCleanupStep(pid)), 'the cleanup steps', 30_000)
    for (const [upper, namespaces] of overlayMountsByUpper(box))
      if (namespaces.size > 1) problems.push(`round ${round}: ${upper} is mounted in ${namespaces.size} mount namespaces at once`)
    problems.push(...(await checkConsistent(box, round)))
    // the next round starts the twin from stopped again (a second copy of it, if any, too)
    await tspod(box, ['stop', '-t', '0', 'twin'])
    for (const pid of sandboxProcesses(box).filter((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'latin1').startsWith('sleep'))) process.kill(pid, 'SIGKILL')
  }
  t.deepEqual(problems, [])
})
