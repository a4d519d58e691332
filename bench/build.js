#!/usr/bin/env node
'use strict'
// The developer's loop: `build` of the same Containerfile and context by tspod and by Debian's
// Podman (buildah inside), side by side as the rootless test user, each with its own fresh store
// holding the same locally built busybox image. The Containerfile: FROM that image, a COPY of a
// 50 MB context (50 files of 1 MB), three RUN steps that write files. Three builds each, timed
// with GNU time (wall, peak RSS): cold (empty cache), the rebuild with nothing changed, and the
// rebuild after one context file changed (COPY and the RUNs below it rerun). The two tools' builds
// alternate, so that the load of a busy machine drifting meanwhile hits both alike; each rebuild
// is measured `runs` times (argument, default 3; a new file content each time), and the ratios
// are the medians of the paired runs'.
// CPU seconds (user + sys of the command and the children it waited for) are printed next to
// wall time, since wall time on a loaded machine says little.
// Goals (issue 13): cold at most Podman's time; both rebuilds at most half of Podman's.
// Both build with `--network none` (Podman's rootless default, slirp4netns, needs /dev/net/tun,
// which is 0600 root here). Run as root after `npm run build` (it uses the test helpers in dist/):
//   node bench/build.js
const {execFileSync, spawnSync} = require('node:child_process')
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {busyboxImage, writeOciArchive} = require(path.join(repo, 'dist/test/helpers/oci-image'))
const {userEnv} = require(path.join(repo, 'dist/test/helpers/rootless'))
const {user, userDir} = require('./as-user')

const IMAGE = 'localhost/busybox:latest'
const CONTAINERFILE = `FROM ${IMAGE}\nCOPY data /data\nRUN echo one > /one\nRUN dd if=/dev/zero of=/two bs=1k count=64 2>/dev/null\nRUN ls /data | wc -l > /three\n`

/** argv as the test user under GNU time: {seconds, mb} or {error}. */
function timed(argv, env) {
  const full = ['/usr/bin/time', '-f', '%e %M %U %S', 'setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv]
  const r = spawnSync(full[0], full.slice(1), {env: userEnv(user, env), cwd: '/', encoding: 'utf8', maxBuffer: 64 << 20})
  const lines = (r.stderr || '').trim().split('\n')
  if (r.status !== 0) return {error: lines.filter((l) => l.startsWith('Error')).pop() ?? lines.slice(-2, -1)[0] ?? `exit ${r.status}`}
  const [seconds, kb, userS, sysS] = lines.pop().split(' ').map(Number)
  return {seconds, mb: kb / 1024, cpu: userS + sysS}
}

function must(argv, env, what) {
  const r = spawnSync('setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv], {env: userEnv(user, env), cwd: '/', encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${(r.stderr || '').trim()}`)
}

function makeContext(dir) {
  const data = path.join(dir, 'data')
  fs.mkdirSync(data, {recursive: true})
  for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(data, `f${String(i).padStart(2, '0')}`), crypto.randomBytes(1 << 20))
  fs.writeFileSync(path.join(dir, 'Containerfile'), CONTAINERFILE)
  execFileSync('chmod', ['-R', 'a+rX', dir])
}

const RUNS = Number(process.argv[2] ?? 3)

function median(values) {
  const v = [...values].sort((a, b) => a - b)
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2
}

/** The run of median wall time among `results`, or the first failure. */
function medianRun(results) {
  const failed = results.find((r) => r.error)
  if (failed) return failed
  return [...results].sort((a, b) => a.seconds - b.seconds)[(results.length - 1) >> 1]
}

/**
 * The tools' builds in turn, `runs` rounds (so that load drifting during the run hits each alike):
 * per tool the median run, and the medians of the paired wall and CPU ratios (first / second).
 * `before(tool)` runs ahead of each build (a context file changed).
 */
function alternate(tools, runs, before = () => undefined) {
  const results = tools.map(() => [])
  for (let i = 0; i < runs; i++)
    for (const [k, tool] of tools.entries()) {
      before(tool)
      results[k].push(tool.build())
    }
  const pairs = results[0].map((a, i) => [a, results[1]?.[i]]).filter(([a, b]) => b && !a.error && !b.error)
  return {
    runs: results.map(medianRun),
    wall: pairs.length ? median(pairs.map(([a, b]) => a.seconds / b.seconds)) : undefined,
    cpu: pairs.length ? median(pairs.map(([a, b]) => a.cpu / b.cpu)) : undefined,
  }
}

function tspodSetup(archive) {
  const dir = userDir('tspod-bench-build-', {mode: 0o755})
  const env = {XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
  const base = [process.execPath, path.join(repo, 'bin/run.js'), '--root', path.join(dir, 'graph'), '--runroot', path.join(dir, 'run')]
  must([...base, 'load', '-q', '-i', archive], env, 'tspod load')
  return {dir, env, build: (ctx) => [...base, 'build', '-q', '--network', 'none', '-t', 'bench', ctx]}
}

function podmanSetup(archive) {
  const dir = userDir('podman-bench-build-', {mode: 0o755})
  const env = {HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config'), TMPDIR: path.join(dir, 'tmp')}
  fs.mkdirSync(path.join(dir, 'config', 'containers'), {recursive: true})
  fs.mkdirSync(path.join(dir, 'tmp'))
  fs.writeFileSync(path.join(dir, 'config', 'containers', 'storage.conf'), `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n`)
  fs.writeFileSync(path.join(dir, 'config', 'containers', 'containers.conf'), '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])
  must(['podman', 'load', '-q', '-i', archive], env, 'podman load')
  return {dir, env, build: (ctx, runtime = []) => ['podman', ...runtime, 'build', '-q', '--network', 'none', '-t', 'bench', ctx]}
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-bench-image-'))
  fs.chmodSync(work, 0o755)
  const archive = path.join(work, 'busybox.tar')
  await writeOciArchive(archive, [{image: await busyboxImage(), ref: IMAGE}])
  fs.chmodSync(archive, 0o644)
  const dirs = [work]
  try {
    const tspod = tspodSetup(archive)
    dirs.push(tspod.dir)
    const tspodCtx = userDir('tspod-bench-ctx-', {mode: 0o755})
    dirs.push(tspodCtx)
    makeContext(tspodCtx)
    const tools = [{label: 'tspod build', context: tspodCtx, build: () => timed(tspod.build(tspodCtx), tspod.env)}]
    if (fs.existsSync('/usr/bin/podman')) {
      const podman = podmanSetup(archive)
      dirs.push(podman.dir)
      const podmanCtx = userDir('podman-bench-ctx-', {mode: 0o755})
      dirs.push(podmanCtx)
      makeContext(podmanCtx)
      let runtime = []
      const probe = timed(podman.build(podmanCtx), podman.env)
      if (probe.error) {
        process.stderr.write(`podman build: ${probe.error}; retrying with --runtime runc\n`)
        runtime = ['--runtime', 'runc']
      }
      // a fresh store for the timed cold build (the probe filled the cache)
      must(['podman', 'system', 'reset', '-f'], podman.env, 'podman system reset')
      must(['podman', 'load', '-q', '-i', archive], podman.env, 'podman load')
      tools.push({label: `podman ${runtime.length ? '--runtime runc ' : ''}build`, context: podmanCtx, build: () => timed(podman.build(podmanCtx, runtime), podman.env)})
    } else process.stderr.write('podman is not installed: tspod alone\n')

    const changeFile = (tool) => fs.writeFileSync(path.join(tool.context, 'data', 'f07'), crypto.randomBytes(1 << 20))
    const phases = [alternate(tools, 1), alternate(tools, RUNS), alternate(tools, RUNS, changeFile)]

    const cell = (r) => (r.error ? `failed: ${r.error}` : `${r.seconds.toFixed(2)} s ${r.cpu.toFixed(2)} CPU-s ${r.mb.toFixed(0).padStart(4)} MB`)
    const heads = ['cold', 'rebuild, no change', 'rebuild, 1 file changed']
    const width = Math.max(...tools.map((tool) => tool.label.length))
    console.log(`build of FROM busybox + COPY 50 MB + 3 RUN, --network none, as ${user.name}: wall time, CPU time (user + sys) and peak RSS (GNU time); the tools' builds alternated, rebuilds: median of ${RUNS}`)
    console.log(`${''.padEnd(width)}  ${heads.map((h) => h.padEnd(34)).join('')}`)
    for (const [k, tool] of tools.entries()) console.log(`${tool.label.padEnd(width)}  ${phases.map((phase) => cell(phase.runs[k]).padEnd(34)).join('')}`)
    const goals = [1, 0.5, 0.5]
    for (const [i, head] of heads.entries()) {
      const {wall, cpu} = phases[i]
      if (wall === undefined) continue
      console.log(`${head}: tspod / podman ${wall.toFixed(2)} wall, ${cpu.toFixed(2)} CPU, median of paired runs (goal <= ${goals[i].toFixed(2)}: ${wall <= goals[i] ? 'met' : 'not met'})`)
    }
  } finally {
    for (const dir of dirs) execFileSync('rm', ['-rf', '--one-file-system', dir])
  }
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
