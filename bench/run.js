#!/usr/bin/env node
'use strict'
// Container start-up: wall time of `run --rm <image> true`, median of N runs after one warm-up,
// tspod next to Debian's Podman, as the rootless test user, with the same locally built busybox
// image loaded into each one's private store. Target: tspod at most half of Podman's time.
// Both run with `--network none`: Podman's default rootless network, slirp4netns, needs
// /dev/net/tun, which is 0600 root on this host. Should Podman's default runtime (crun) fail
// here, it is retried with `--runtime runc`; the table says which one ran. `node -e 0` as the
// same user is printed too: the floor of any Node program's start. tspod also runs with
// `--security-opt seccomp=unconfined`, alternating with the default (Podman's seccomp profile)
// run by run, and the difference is printed: the filter's cost, target at most 5 ms.
// Run as root after `npm run build` (it uses the test helpers compiled in dist/):
//   node bench/run.js [runs]
const {execFileSync, spawnSync} = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {busyboxImage, writeOciArchive} = require(path.join(repo, 'dist/test/helpers/oci-image'))
const {lookupUser, userEnv} = require(path.join(repo, 'dist/test/helpers/rootless'))

const RUNS = Number(process.argv[2] || 10)
const IMAGE = 'localhost/busybox:latest'
const user = lookupUser('tspoduser')

function asUser(argv, env) {
  const full = ['setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv]
  return spawnSync(full[0], full.slice(1), {env: userEnv(user, env), cwd: '/', encoding: 'utf8', maxBuffer: 16 << 20})
}

function must(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${(r.stderr || '').trim()}`)
  return r
}

function userDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.chownSync(dir, user.uid, user.gid)
  fs.chmodSync(dir, 0o700)
  return dir
}

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** One warm-up, then RUNS timed runs; the median in ms, or the first failure. */
function time(argv, env) {
  const samples = []
  for (let i = 0; i <= RUNS; i++) {
    const start = process.hrtime.bigint()
    const r = asUser(argv, env)
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 0) return {error: (r.stderr || '').trim().split('\n').pop()}
    if (i > 0) samples.push(ms)
  }
  return {ms: median(samples), min: Math.min(...samples), max: Math.max(...samples)}
}

/** Like time(), for two commands run alternately, so that drift in the machine's load hits both alike. */
function timeAlternating(a, b, env) {
  const samples = [[], []]
  for (let i = 0; i <= RUNS; i++) {
    for (const [k, argv] of [a, b].entries()) {
      const start = process.hrtime.bigint()
      const r = asUser(argv, env)
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (r.status !== 0) return [0, 1, 2].map(() => ({error: (r.stderr || '').trim().split('\n').pop()}))
      if (i > 0) samples[k].push(ms)
    }
  }
  const [a1, b1] = samples.map((list) => ({ms: median(list), min: Math.min(...list), max: Math.max(...list)}))
  // the median of the paired differences: robust against load that comes and goes between pairs
  return [a1, b1, median(samples[0].map((ms, i) => ms - samples[1][i]))]
}

function tspodSetup(archive) {
  const dir = userDir('tspod-bench-run-')
  const env = {XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
  const base = [process.execPath, path.join(repo, 'bin/run.js'), '--root', path.join(dir, 'graph'), '--runroot', path.join(dir, 'run')]
  must(asUser([...base, 'load', '-q', '-i', archive], env), 'tspod load')
  const run = [...base, 'run', '--rm', '--network', 'none']
  return {
    dir,
    env,
    argv: [...run, IMAGE, 'true'],
    unconfined: [...run, '--security-opt', 'seccomp=unconfined', IMAGE, 'true'],
    label: 'tspod run --rm --network none',
  }
}

function podmanSetup(archive) {
  const dir = userDir('podman-bench-run-')
  // A private HOME and XDG dirs: Podman's database and storage.conf never touch the user's own.
  const env = {HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
  fs.mkdirSync(path.join(dir, 'config', 'containers'), {recursive: true})
  fs.writeFileSync(path.join(dir, 'config', 'containers', 'storage.conf'), `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n`)
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])
  must(asUser(['podman', 'load', '-q', '-i', archive], env), 'podman load')
  for (const runtime of [[], ['--runtime', 'runc']]) {
    const argv = ['podman', ...runtime, 'run', '--rm', '--network', 'none', IMAGE, 'true']
    const probe = asUser(argv, env)
    if (probe.status === 0) return {dir, env, argv, label: `podman ${runtime.length ? '--runtime runc ' : ''}run --rm --network none`}
    process.stderr.write(`${argv.join(' ')}: ${(probe.stderr || '').trim().split('\n').pop()}\n`)
  }
  return {dir, env, argv: undefined, label: 'podman run --rm --network none'}
}

async function main() {
  const archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-bench-image-'))
  fs.chmodSync(archiveDir, 0o755)
  const archive = path.join(archiveDir, 'busybox.tar')
  await writeOciArchive(archive, [{image: await busyboxImage(), ref: IMAGE}])
  fs.chmodSync(archive, 0o644)
  const dirs = [archiveDir]
  try {
    const tspod = tspodSetup(archive)
    dirs.push(tspod.dir)
    const floor = time([process.execPath, '-e', '0'], {})
    const [filtered, unconfined, filterCost] = timeAlternating(tspod.argv, tspod.unconfined, tspod.env)
    const rows = [[tspod.label, filtered]]
    let podman
    if (fs.existsSync('/usr/bin/podman')) {
      podman = podmanSetup(archive)
      dirs.push(podman.dir)
      rows.push([podman.label, podman.argv ? time(podman.argv, podman.env) : {error: 'cannot run here (see above)'}])
    } else rows.push(['podman', {error: 'not installed'}])

    const cell = (r) => (r.error ? `failed: ${r.error}` : `${r.ms.toFixed(1)} ms (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)})`)
    const width = Math.max(...rows.map(([label]) => label.length))
    console.log(`\`run --rm ${IMAGE} true\` wall time, median of ${RUNS} runs after 1 warm-up, as ${user.name}`)
    for (const [label, r] of rows) console.log(`${label.padEnd(width)}  ${cell(r)}`)
    console.log(`${'tspod ... seccomp=unconfined'.padEnd(width)}  ${cell(unconfined)}`)
    console.log(`${'(node -e 0)'.padEnd(width)}  ${cell(floor)}`)
    if (!filtered.error && !unconfined.error)
      console.log(`seccomp filter (median of paired differences): ${filterCost.toFixed(1)} ms (target <= 5 ms: ${filterCost <= 5 ? 'met' : 'not met'})`)
    const [t, p] = rows.map(([, r]) => r)
    if (!t.error && !p.error) {
      const ratio = t.ms / p.ms
      console.log(`tspod / podman: ${ratio.toFixed(2)} (target <= 0.50: ${ratio <= 0.5 ? 'met' : 'not met'})`)
    }
  } finally {
    for (const dir of dirs) execFileSync('rm', ['-rf', '--one-file-system', dir])
  }
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
