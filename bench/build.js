#!/usr/bin/env node
'use strict'
// The developer's loop: `build` of the same Containerfile and context by tspod and by Debian's
// Podman (buildah inside), side by side as the rootless test user, each with its own fresh store
// holding the same locally built busybox image. The Containerfile: FROM that image, a COPY of a
// 50 MB context (50 files of 1 MB), three RUN steps that write files. Three builds each, timed
// with GNU time (wall, peak RSS): cold (empty cache), the rebuild with nothing changed, and the
// rebuild after one context file changed (COPY and the RUNs below it rerun).
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
  const full = ['/usr/bin/time', '-f', '%e %M', 'setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv]
  const r = spawnSync(full[0], full.slice(1), {env: userEnv(user, env), cwd: '/', encoding: 'utf8', maxBuffer: 64 << 20})
  const lines = (r.stderr || '').trim().split('\n')
  if (r.status !== 0) return {error: lines.filter((l) => l.startsWith('Error')).pop() ?? lines.slice(-2, -1)[0] ?? `exit ${r.status}`}
  const [seconds, kb] = lines.pop().split(' ').map(Number)
  return {seconds, mb: kb / 1024}
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

/** cold, nothing changed, one file changed: the three timings of one tool. */
function loop(build, context) {
  const cold = build()
  const same = build()
  fs.writeFileSync(path.join(context, 'data', 'f07'), crypto.randomBytes(1 << 20))
  const changed = build()
  return [cold, same, changed]
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
    const rows = []
    const tspod = tspodSetup(archive)
    dirs.push(tspod.dir)
    const tspodCtx = userDir('tspod-bench-ctx-', {mode: 0o755})
    dirs.push(tspodCtx)
    makeContext(tspodCtx)
    rows.push(['tspod build', loop(() => timed(tspod.build(tspodCtx), tspod.env), tspodCtx)])
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
      rows.push([`podman ${runtime.length ? '--runtime runc ' : ''}build`, loop(() => timed(podman.build(podmanCtx, runtime), podman.env), podmanCtx)])
    } else rows.push(['podman build', [0, 1, 2].map(() => ({error: 'not installed'}))])

    const cell = (r) => (r.error ? `failed: ${r.error}` : `${r.seconds.toFixed(2)} s ${r.mb.toFixed(0).padStart(4)} MB`)
    const heads = ['cold', 'rebuild, no change', 'rebuild, 1 file changed']
    const width = Math.max(...rows.map(([label]) => label.length))
    console.log(`build of FROM busybox + COPY 50 MB + 3 RUN, --network none, as ${user.name}: wall time and peak RSS (GNU time)`)
    console.log(`${''.padEnd(width)}  ${heads.map((h) => h.padEnd(26)).join('')}`)
    for (const [label, results] of rows) console.log(`${label.padEnd(width)}  ${results.map((r) => cell(r).padEnd(26)).join('')}`)
    const [t, p] = rows.map(([, r]) => r)
    if (t && p) {
      const goals = [1, 0.5, 0.5]
      for (const [i, head] of heads.entries()) {
        if (t[i].error || p[i].error) continue
        const ratio = t[i].seconds / p[i].seconds
        console.log(`${head}: tspod / podman ${ratio.toFixed(2)} (goal <= ${goals[i].toFixed(2)}: ${ratio <= goals[i] ? 'met' : 'not met'})`)
      }
    }
  } finally {
    for (const dir of dirs) execFileSync('rm', ['-rf', '--one-file-system', dir])
  }
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
