'use strict'
// What the benchmarks share: running a command as the rootless test user (tspoduser), dirs it
// owns, a private store for tspod and for Podman, and the timing loops (median of N after one
// warm-up; two commands alternated so that load drifting during the run hits both alike; wall
// time and peak RSS of the largest process through GNU time). Uses the test helpers compiled in
// dist/ (`npm run build` first); run the benchmarks as root.
const {execFileSync, spawnSync} = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {lookupUser, userEnv} = require(path.join(repo, 'dist/test/helpers/rootless'))

// BENCH_USER: another rootless user with subordinate ids (a helper's own, so that runs do not collide)
const user = lookupUser(process.env.BENCH_USER || 'tspoduser')
const TSPOD = [process.execPath, path.join(repo, 'bin/run.js')]

function setpriv(argv) {
  return ['setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv]
}

/** argv as the test user, its output captured. */
function asUser(argv, env = {}, cwd = '/') {
  const full = setpriv(argv)
  return spawnSync(full[0], full.slice(1), {env: userEnv(user, env), cwd, encoding: 'utf8', maxBuffer: 64 << 20})
}

function must(r, what) {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${(r.stderr || '').trim()}`)
  return r
}

/** A fresh dir the test user owns (under os.tmpdir() unless `base` says where). */
function userDir(prefix, {base = os.tmpdir(), mode = 0o700} = {}) {
  const dir = fs.mkdtempSync(path.join(base, prefix))
  fs.chownSync(dir, user.uid, user.gid)
  fs.chmodSync(dir, mode)
  return dir
}

function removeDirs(dirs) {
  for (const dir of dirs) execFileSync('rm', ['-rf', '--one-file-system', dir])
}

/** tspod on a private store and config under a new dir: {dir, env, argv (tspod's, with --root/--runroot)}. */
function tspodWorld(prefix) {
  const dir = userDir(prefix, {mode: 0o755})
  const env = {XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
  return {dir, env, argv: [...TSPOD, '--root', path.join(dir, 'graph'), '--runroot', path.join(dir, 'run')]}
}

/**
 * Podman with a private HOME, store and containers.conf under a new dir, so its database and
 * storage.conf never touch the user's own: {dir, env}. `registriesConf` for a local registry.
 */
function podmanWorld(prefix, {registriesConf} = {}) {
  const dir = userDir(prefix, {mode: 0o755})
  const env = {HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config'), TMPDIR: path.join(dir, 'tmp')}
  if (registriesConf) env.CONTAINERS_REGISTRIES_CONF = registriesConf
  fs.mkdirSync(path.join(dir, 'config', 'containers'), {recursive: true})
  fs.mkdirSync(path.join(dir, 'tmp'))
  fs.writeFileSync(path.join(dir, 'config', 'containers', 'storage.conf'), `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/graph"\nrunroot = "${dir}/run"\n`)
  fs.writeFileSync(path.join(dir, 'config', 'containers', 'containers.conf'), '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir])
  return {dir, env}
}

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function stats(samples) {
  return {ms: median(samples), min: Math.min(...samples), max: Math.max(...samples)}
}

function timedOnce(argv, env) {
  const start = process.hrtime.bigint()
  const r = asUser(argv, env)
  return {ms: Number(process.hrtime.bigint() - start) / 1e6, r}
}

const failure = (r) => ({error: (r.stderr || '').trim().split('\n').pop() || `exit ${r.status}`})

/** One warm-up, then `runs` timed runs: {ms (median), min, max} or {error}. */
function time(argv, env, runs) {
  const samples = []
  for (let i = 0; i <= runs; i++) {
    const {ms, r} = timedOnce(argv, env)
    if (r.status !== 0) return failure(r)
    if (i > 0) samples.push(ms)
  }
  return stats(samples)
}

/**
 * Two commands ([argv, env] each) run in turn, one warm-up each then `runs` pairs: their figures
 * and the median of the paired differences (a - b) and ratios (a / b).
 */
function timeAlternating(a, b, runs) {
  const samples = [[], []]
  for (let i = 0; i <= runs; i++) {
    for (const [k, [argv, env]] of [a, b].entries()) {
      const {ms, r} = timedOnce(argv, env)
      if (r.status !== 0) return k === 0 ? {a: failure(r), b: {error: 'not measured'}} : {a: {error: 'not measured'}, b: failure(r)}
      if (i > 0) samples[k].push(ms)
    }
  }
  return {
    a: stats(samples[0]),
    b: stats(samples[1]),
    difference: median(samples[0].map((ms, i) => ms - samples[1][i])),
    ratio: median(samples[0].map((ms, i) => ms / samples[1][i])),
  }
}

/** argv as the test user under GNU time: {seconds, mb (peak RSS of the largest process), stdout}; throws on failure. */
function timedAsUser(argv, env, cwd = '/') {
  const full = ['/usr/bin/time', '-f', '%e %M', ...setpriv(argv)]
  const r = spawnSync(full[0], full.slice(1), {env: userEnv(user, env), cwd, encoding: 'utf8', maxBuffer: 64 << 20})
  const last = r.stderr.trim().split('\n').pop()
  const [seconds, kb] = last.split(' ').map(Number)
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`)
  return {seconds, mb: kb / 1024, stdout: r.stdout}
}

/** The pids of `root` and of all its descendants, from /proc. */
function processTree(root) {
  const children = new Map()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (!children.has(ppid)) children.set(ppid, [])
      children.get(ppid).push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  const tree = []
  for (const queue = [root]; queue.length > 0; ) {
    const pid = queue.pop()
    tree.push(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return tree
}

function rssKb(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/**
 * argv as the test user under GNU time, its process tree sampled every 20 ms:
 * {seconds (wall), cpu (user+sys seconds of it and every child it waited for), mb (peak RSS of
 * the largest process), sumMb (largest sampled sum of the tree's RSS), processes (seen)}; throws on failure.
 */
function measuredAsUser(argv, env, cwd = '/') {
  const {spawn} = require('node:child_process')
  const full = ['/usr/bin/time', '-f', '%e %U %S %M', ...setpriv(argv)]
  return new Promise((resolve, reject) => {
    const child = spawn(full[0], full.slice(1), {env: userEnv(user, env), cwd, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    let sumKb = 0
    const seen = new Set()
    const sampler = setInterval(() => {
      let total = 0
      for (const pid of processTree(child.pid)) {
        if (pid === child.pid) continue // GNU time itself
        seen.add(pid)
        total += rssKb(pid)
      }
      sumKb = Math.max(sumKb, total)
    }, 20)
    child.on('close', (code) => {
      clearInterval(sampler)
      const last = stderr.trim().split('\n').pop()
      const [seconds, user_, sys, kb] = last.split(' ').map(Number)
      if (code !== 0) return reject(new Error(`${argv.join(' ')} failed: ${stderr}`))
      resolve({seconds, cpu: user_ + sys, mb: kb / 1024, sumMb: sumKb / 1024, processes: seen.size, stdout})
    })
  })
}

/** The locally built busybox image as `ref`, in an OCI archive both engines' users can read; its dir is to be removed. */
async function busyboxArchive(ref) {
  const {busyboxImage, writeOciArchive} = require(path.join(repo, 'dist/test/helpers/oci-image'))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-bench-image-'))
  fs.chmodSync(dir, 0o755)
  const archive = path.join(dir, 'busybox.tar')
  await writeOciArchive(archive, [{image: await busyboxImage(), ref}])
  fs.chmodSync(archive, 0o644)
  return {dir, archive}
}

/** A registries.conf, readable by the test user, that makes the local registry at `host` insecure (plain http): its path; its dir goes into `dirs` to be removed. */
function insecureRegistriesConf(host, dirs) {
  const dir = userDir('bench-registries-', {mode: 0o755})
  dirs.push(dir)
  const conf = path.join(dir, 'registries.conf')
  fs.writeFileSync(conf, `[[registry]]\nlocation = "${host}"\ninsecure = true\n`)
  fs.chmodSync(conf, 0o644)
  return conf
}

module.exports = {repo, user, TSPOD, asUser, must, userDir, removeDirs, tspodWorld, podmanWorld, median, time, timeAlternating, timedAsUser, measuredAsUser, busyboxArchive, insecureRegistriesConf}
