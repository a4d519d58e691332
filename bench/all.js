#!/usr/bin/env node
'use strict'
// Every row of issue 16's table in one run, tspod next to Debian's Podman, as the rootless test
// user (tspoduser), each on its own private store: wall times (median of N, the two alternated
// run by run, with the median of the paired ratios) of run --rm with the default network and
// with --network none, the listing commands and --version (with `node -e 0`, the floor of any
// Node program's start); bench/run.js (the project's own); the pull of a generated 5-layer
// image from a local registry (3 runs each, each into an empty store); and the peak RSS of the
// largest process of run --rm and of the pull (GNU time). Run as root after `npm run build`:
//   node bench/all.js [runs] [pullMB]
const {spawnSync} = require('node:child_process')
const path = require('node:path')

const {repo, asUser, must, removeDirs, tspodWorld, podmanWorld, time, timeAlternating, timedAsUser, busyboxArchive, insecureRegistriesConf} = require('./as-user')
const {startRegistry} = require(path.join(repo, 'dist/test/helpers/registry'))
const {generatedImage} = require('./generated-image')

const RUNS = Number(process.argv[2] || 11)
const PULL_MB = Number(process.argv[3] || 259)
const PULL_RUNS = 3
const IMAGE = 'localhost/busybox:latest'
const CONTAINER = 'bench-listed'

const rows = []
const cell = (r) => (r.error ? `failed: ${r.error}` : `${r.ms.toFixed(0)} ms`)
const ratio = (t) => (t.ratio === undefined ? '' : t.ratio.toFixed(2))

/** A row of two commands alternated: [label, tspod, podman, ratio]. */
function paired(label, tspod, podman) {
  const t = timeAlternating(tspod, podman, RUNS)
  rows.push([label, cell(t.a), cell(t.b), ratio(t)])
  return t
}

function print() {
  const header = ['workload', 'tspod', 'Podman', 'tspod/Podman']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')
  console.log(line(header))
  for (const r of rows) console.log(line(r))
}

/** bench/run.js, the project's own figure: its tspod and podman lines. */
function projectRunBench() {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'run.js'), String(RUNS)], {encoding: 'utf8'})
  const lines = r.stdout.split('\n')
  const ms = (prefix) => lines.find((l) => l.startsWith(prefix))?.match(/ ([\d.]+) ms/)?.[1]
  const [t, p] = [ms('tspod run'), ms('podman')]
  rows.push([`bench/run.js ${RUNS}`, t ? `${Number(t).toFixed(0)} ms` : `failed: ${r.stderr.trim().split('\n').pop()}`, p ? `${Number(p).toFixed(0)} ms` : 'failed', t && p ? (t / p).toFixed(2) : ''])
}

/** The pull: PULL_RUNS runs each (alternated), each into an empty store; wall seconds and peak RSS. */
async function pulls(dirs) {
  const image = await generatedImage(PULL_MB, 5)
  const registry = await startRegistry()
  try {
    await registry.push('bench/big', 'latest', image)
    const ref = `${registry.host}/bench/big:latest`
    const conf = insecureRegistriesConf(registry.host, dirs)
    const results = {tspod: [], podman: []}
    for (let i = 0; i < PULL_RUNS; i++) {
      const t = tspodWorld('tspod-bench-pull-')
      const p = podmanWorld('podman-bench-pull-', {registriesConf: conf})
      dirs.push(t.dir, p.dir)
      results.tspod.push(attempt(() => timedAsUser([...t.argv, 'pull', '-q', ref], {...t.env, CONTAINERS_REGISTRIES_CONF: conf})))
      results.podman.push(attempt(() => timedAsUser(['podman', 'pull', '-q', ref], p.env)))
      removeDirs([t.dir, p.dir])
    }
    const mb = image.layers.reduce((s, l) => s + l.size, 0) / 1e6
    const seconds = (list) => list.map((r) => (r.error ? 'failed' : r.seconds.toFixed(1))).join(' / ') + ' s'
    const peak = (list) => {
      const ok = list.filter((r) => !r.error).map((r) => r.mb)
      return ok.length ? `${Math.min(...ok).toFixed(0)}-${Math.max(...ok).toFixed(0)} MiB` : `failed: ${list.find((r) => r.error)?.error}`
    }
    const sum = (list) => list.reduce((s, r) => s + (r.error ? NaN : r.seconds), 0)
    rows.push([`pull, 5 layers, ${mb.toFixed(0)} MB compressed, ${PULL_RUNS} runs`, seconds(results.tspod), seconds(results.podman), (sum(results.tspod) / sum(results.podman)).toFixed(2)])
    rows.push(['peak RSS of the pull (largest process)', peak(results.tspod), peak(results.podman), ''])
  } finally {
    await registry.stop()
  }
}

function attempt(action) {
  try {
    return action()
  } catch (err) {
    return {error: err.message.split('\n').find((l) => l.startsWith('Error')) ?? err.message.split('\n')[0]}
  }
}

async function main() {
  const {dir: archiveDir, archive} = await busyboxArchive(IMAGE)
  const dirs = [archiveDir]
  try {
    const t = tspodWorld('tspod-bench-all-')
    const p = podmanWorld('podman-bench-all-')
    dirs.push(t.dir, p.dir)
    const tspod = (...args) => [[...t.argv, ...args], t.env]
    const podman = (...args) => [['podman', ...args], p.env]
    for (const [argv, env] of [tspod('load', '-q', '-i', archive), podman('load', '-q', '-i', archive)]) must(asUser(argv, env), argv.slice(0, 2).join(' '))
    // one exited container, for the listing commands to find
    for (const [argv, env] of [tspod('run', '--name', CONTAINER, '--network', 'none', IMAGE, 'true'), podman('run', '--name', CONTAINER, '--network', 'none', IMAGE, 'true')])
      must(asUser(argv, env), 'run --name')

    paired('run --rm IMAGE true (default network)', tspod('run', '--rm', IMAGE, 'true'), podman('run', '--rm', IMAGE, 'true'))
    paired('run --rm --network none IMAGE true', tspod('run', '--rm', '--network', 'none', IMAGE, 'true'), podman('run', '--rm', '--network', 'none', IMAGE, 'true'))
    projectRunBench()
    paired('images', tspod('images'), podman('images'))
    paired('ps -a', tspod('ps', '-a'), podman('ps', '-a'))
    paired(`inspect ${CONTAINER}`, tspod('inspect', CONTAINER), podman('inspect', CONTAINER))
    paired(`container exists ${CONTAINER}`, tspod('container', 'exists', CONTAINER), podman('container', 'exists', CONTAINER))
    paired('--version', [[...t.argv.slice(0, 2), '--version'], t.env], podman('--version'))
    const floor = time([process.execPath, '-e', '0'], {}, RUNS)
    rows.push(['(node -e 0)', cell(floor), '', ''])

    const rss = (argv, env) => attempt(() => timedAsUser(argv, env))
    const [tr, pr] = [rss(...tspod('run', '--rm', IMAGE, 'true')), rss(...podman('run', '--rm', IMAGE, 'true'))]
    const mib = (r) => (r.error ? `failed: ${r.error}` : `${r.mb.toFixed(0)} MiB`)
    rows.push(['peak RSS of run --rm (largest process)', mib(tr), mib(pr), tr.error || pr.error ? '' : (tr.mb / pr.mb).toFixed(2)])

    await pulls(dirs)
    console.log(`median of ${RUNS} runs after 1 warm-up, tspod and Podman alternated; as tspoduser, each on a private store`)
    print()
  } finally {
    removeDirs(dirs)
  }
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
