#!/usr/bin/env node
'use strict'
// Where the time of `run`, `images` and `pull` goes: the phase trace that `--log-level=debug`
// prints (each phase's ms), the median of N runs per phase, as the rootless test user on a
// private store. With `--compare DIR` the same runs are made, alternated, with the tspod built in
// DIR (another checkout, after `npm run build`), and the table has both columns: a before/after
// of a change measured in one run. Run as root after `npm run build`:
//   node bench/trace.js [runs] [pullMB] [--compare DIR]
const path = require('node:path')

const {repo, asUser, must, removeDirs, tspodWorld, busyboxArchive, median, insecureRegistriesConf} = require('./as-user')
const {startRegistry} = require(path.join(repo, 'dist/test/helpers/registry'))
const {generatedImage} = require('./generated-image')

const args = process.argv.slice(2)
const compareAt = args.indexOf('--compare')
const compare = compareAt >= 0 ? path.resolve(args.splice(compareAt, 2)[1]) : undefined
const RUNS = Number(args[0] || 5)
const PULL_MB = Number(args[1] || 137)
const IMAGE = 'localhost/busybox:latest'
const TRACE_LINE = /msg="trace: (.+) done at [\d.]+ ms \(\+([\d.]+) ms\)"/

/** The tspods compared: [label, argv prefix of bin/run.js]. */
const builds = [['this tree', [process.execPath, path.join(repo, 'bin/run.js')]]]
if (compare) builds.unshift([path.basename(compare), [process.execPath, path.join(compare, 'bin/run.js')]])

/** bin on the private store of `world`. */
function storeArgv(world, bin) {
  return [...bin, '--root', path.join(world.dir, 'graph'), '--runroot', path.join(world.dir, 'run')]
}

/** One traced run: Map phase → ms (a phase met twice is summed). */
function traced(world, bin, argv, env = {}) {
  const r = must(asUser([...storeArgv(world, bin), '--log-level=debug', ...argv], {...world.env, ...env}), argv.join(' '))
  const phases = new Map()
  for (const line of r.stderr.split('\n')) {
    const m = TRACE_LINE.exec(line)
    if (m) phases.set(m[1], (phases.get(m[1]) || 0) + Number(m[2]))
  }
  return phases
}

/** `runs` traced runs of each build, alternated after one warm-up each; `before(world)` runs untimed before each. */
function phasesOf(worlds, argv, {runs = RUNS, env, before} = {}) {
  const samples = builds.map(() => [])
  for (let i = 0; i <= runs; i++) {
    for (const [k, [, bin]] of builds.entries()) {
      if (before) before(worlds[k], bin)
      const phases = traced(worlds[k], bin, argv, env)
      if (i > 0) samples[k].push(phases)
    }
  }
  return samples
}

function printTable(title, samples) {
  const order = []
  for (const runs of samples) for (const phases of runs) for (const p of phases.keys()) if (!order.includes(p)) order.push(p)
  const col = (runs, p) => {
    const values = runs.map((phases) => phases.get(p)).filter((v) => v !== undefined)
    return values.length ? median(values).toFixed(1) : '-'
  }
  const total = (runs) => median(runs.map((phases) => [...phases.values()].reduce((s, v) => s + v, 0))).toFixed(1)
  const rows = [...order.map((p) => [p, ...samples.map((runs) => col(runs, p))]), ['total', ...samples.map(total)]]
  const header = [title, ...builds.map(([label]) => `${label} (ms)`)]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')
  console.log(line(header))
  for (const r of rows) console.log(line(r))
  console.log('')
}

async function main() {
  const dirs = []
  try {
    const {dir, archive} = await busyboxArchive(IMAGE)
    dirs.push(dir)
    const worlds = builds.map(([, bin]) => {
      const world = tspodWorld('tspod-bench-trace-')
      dirs.push(world.dir)
      must(asUser([...storeArgv(world, bin), 'load', '-q', '-i', archive], world.env), 'load')
      return world
    })
    console.log(`phase trace, median of ${RUNS} runs each, as the rootless test user (ms per phase)\n`)
    printTable('images', phasesOf(worlds, ['images']))
    printTable('run --rm --network none', phasesOf(worlds, ['run', '--rm', '--network', 'none', IMAGE, 'true']))
    printTable('run --rm (default network)', phasesOf(worlds, ['run', '--rm', IMAGE, 'true']))

    const image = await generatedImage(PULL_MB, 5)
    const registry = await startRegistry()
    try {
      await registry.push('bench/big', 'latest', image)
      const ref = `${registry.host}/bench/big:latest`
      const conf = insecureRegistriesConf(registry.host, dirs)
      const removeImage = (world, bin) => asUser([...storeArgv(world, bin), 'rmi', '-a', '-f'], world.env)
      const mb = image.layers.reduce((s, l) => s + l.size, 0) / 1e6
      printTable(`pull (5 layers, ${mb.toFixed(0)} MB)`, phasesOf(worlds, ['pull', '-q', ref], {runs: Math.min(RUNS, 3), env: {CONTAINERS_REGISTRIES_CONF: conf}, before: removeImage}))
    } finally {
      await registry.stop()
    }
  } finally {
    removeDirs(dirs)
  }
}

main().catch((err) => {
  console.error(err.stack || String(err))
  process.exit(1)
})
