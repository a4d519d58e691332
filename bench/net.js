#!/usr/bin/env node
'use strict'
// Network throughput, tspod next to Debian's Podman, as the rootless test user, each on a private
// store, with Debian's iperf3 (TCP, one stream) in both directions of the issue's goal:
//   host -> container through -p   iperf3 -c 127.0.0.1 on the host, the server in a container
//                                  on the engine's default rootless network with -p
//   container -> container         client and server on one named network, by name
// Each row runs tspod and Podman alternately, RUNS times, and prints the median Gbit/s (receiver
// side). The image is the locally built busybox plus Debian's iperf3 and the libraries it links.
// Target: tspod at least equal to Podman on both rows. Run as root after `npm run build`:
//   node bench/net.js [runs] [seconds per measurement]
const {execFileSync} = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

const {repo, user, asUser, must, removeDirs, tspodWorld, podmanWorld, median} = require('./as-user')

const RUNS = Number(process.argv[2] || 3)
const SECONDS = Number(process.argv[3] || 5)
const IMAGE = 'localhost/iperf3:bench'
const IPERF3 = '/usr/bin/iperf3'

/** iperf3 and every library ldd lists for it, as layer entries at the paths the loader asks for. */
function iperf3Entries() {
  const files = [IPERF3]
  for (const line of execFileSync('ldd', [IPERF3], {encoding: 'utf8'}).split('\n')) {
    const m = line.match(/(\/\S+) \(0x/)
    if (m) files.push(m[1])
  }
  const dirs = new Set()
  const entries = []
  for (const file of files) {
    const parts = path.dirname(file).split('/').filter(Boolean)
    for (let i = 1; i <= parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`
      if (!dirs.has(dir)) entries.push({path: dir, type: 'dir'})
      dirs.add(dir)
    }
    entries.push({path: file.slice(1), content: fs.readFileSync(fs.realpathSync(file)), mode: 0o755})
  }
  return entries
}

async function imageArchive() {
  const {busyboxLayer, buildImage, writeOciArchive} = require(path.join(repo, 'dist/test/helpers/oci-image'))
  const image = await buildImage({layers: [await busyboxLayer(), iperf3Entries()]})
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-bench-net-'))
  fs.chmodSync(dir, 0o755)
  const archive = path.join(dir, 'iperf3.tar')
  await writeOciArchive(archive, [{image, ref: IMAGE}])
  fs.chmodSync(archive, 0o644)
  return {dir, archive}
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Gbit/s received, from iperf3's JSON; the client is retried while the server is still starting. */
function iperfClient(argv, env) {
  let last
  for (let attempt = 0; attempt < 40; attempt++) {
    last = asUser(argv, env)
    if (last.status === 0) return JSON.parse(last.stdout).end.sum_received.bits_per_second / 1e9
    if (!/refused|reset|unable to (connect|receive)/i.test(`${last.stdout}${last.stderr}`)) break
    execFileSync('sleep', ['0.25'])
  }
  throw new Error(`${argv.join(' ')} failed (${last.status}): ${(last.stderr || last.stdout || '').trim().split('\n').pop()}`)
}

/** One engine's two measurements: engine(...args) gives [argv, env]. */
function engineRows(name, engine, port) {
  const run = (...args) => must(asUser(...engine(...args)), `${name} ${args.slice(0, 2).join(' ')}`)
  const client = ['iperf3', '-c']
  const opts = ['-t', String(SECONDS), '-J']
  return {
    hostToContainer() {
      run('run', '-d', '--name', 'iperf-pub', '-p', `${port}:5201`, IMAGE, 'iperf3', '-s')
      try {
        const [, env] = engine()
        return iperfClient([...client, '127.0.0.1', '-p', String(port), ...opts], env)
      } finally {
        run('rm', '-f', '-t', '0', 'iperf-pub')
      }
    },
    containerToContainer() {
      run('run', '-d', '--name', 'iperf-srv', '--network', 'benchnet', IMAGE, 'iperf3', '-s')
      try {
        const [argv, env] = engine('run', '--rm', '--network', 'benchnet', IMAGE, ...client, 'iperf-srv', ...opts)
        return iperfClient(argv, env)
      } finally {
        run('rm', '-f', '-t', '0', 'iperf-srv')
      }
    },
    setup(archive) {
      run('load', '-q', '-i', archive)
      run('network', 'create', 'benchnet')
    },
  }
}

function measure(fn) {
  try {
    return {value: fn()}
  } catch (err) {
    return {error: err.message.split('\n')[0]}
  }
}

async function main() {
  if (!fs.existsSync(IPERF3)) throw new Error('iperf3 is not installed (apt-get install iperf3)')
  const {dir: archiveDir, archive} = await imageArchive()
  const dirs = [archiveDir]
  try {
    const t = tspodWorld('tspod-bench-net-')
    const p = podmanWorld('podman-bench-net-')
    dirs.push(t.dir, p.dir)
    const engines = [
      ['tspod', engineRows('tspod', (...args) => [[...t.argv, ...args], t.env], await freePort())],
      ['podman', engineRows('podman', (...args) => [['podman', ...args], p.env], await freePort())],
    ]
    for (const [, e] of engines) e.setup(archive)
    const rows = [
      ['host -> container (-p, default network)', 'hostToContainer'],
      ['container -> container (named network)', 'containerToContainer'],
    ]
    const results = rows.map(() => engines.map(() => []))
    for (let i = 0; i < RUNS; i++)
      for (const [r, [, method]] of rows.entries())
        for (const [k, [, e]] of engines.entries()) results[r][k].push(measure(() => e[method]()))

    const cell = (samples) => {
      const failed = samples.find((s) => s.error)
      return failed ? `failed: ${failed.error}` : `${median(samples.map((s) => s.value)).toFixed(2)} Gbit/s`
    }
    console.log(`iperf3 TCP, ${SECONDS} s per measurement, median of ${RUNS}, tspod and Podman alternated, as ${user.name}`)
    const width = Math.max(...rows.map(([label]) => label.length))
    console.log(`${''.padEnd(width)}  ${'tspod'.padEnd(16)}  ${'podman'.padEnd(16)}  tspod/podman`)
    for (const [r, [label]] of rows.entries()) {
      const [ts, ps] = results[r]
      const ok = !ts.some((s) => s.error) && !ps.some((s) => s.error)
      const ratio = ok ? median(ts.map((s) => s.value)) / median(ps.map((s) => s.value)) : NaN
      console.log(`${label.padEnd(width)}  ${cell(ts).padEnd(16)}  ${cell(ps).padEnd(16)}  ${ok ? `${ratio.toFixed(2)} (target >= 1: ${ratio >= 1 ? 'met' : 'not met'})` : ''}`)
    }
    for (const [argv, env] of [[t.argv, t.env], [['podman'], p.env]]) asUser([...argv, 'network', 'rm', '-f', 'benchnet'], env)
  } finally {
    removeDirs(dirs)
  }
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
