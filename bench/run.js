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
const fs = require('node:fs')

const {repo, user, asUser, must, removeDirs, tspodWorld, podmanWorld, time, timeAlternating, busyboxArchive} = require('./as-user')

const RUNS = Number(process.argv[2] || 10)
const IMAGE = 'localhost/busybox:latest'

function tspodSetup(archive) {
  const {dir, env, argv: base} = tspodWorld('tspod-bench-run-')
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
  const {dir, env} = podmanWorld('podman-bench-run-')
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
  const {dir: archiveDir, archive} = await busyboxArchive(IMAGE)
  const dirs = [archiveDir]
  try {
    const tspod = tspodSetup(archive)
    dirs.push(tspod.dir)
    const floor = time([process.execPath, '-e', '0'], {}, RUNS)
    const {a: filtered, b: unconfined, difference: filterCost} = timeAlternating([tspod.argv, tspod.env], [tspod.unconfined, tspod.env], RUNS)
    const rows = [[tspod.label, filtered]]
    let podman
    if (fs.existsSync('/usr/bin/podman')) {
      podman = podmanSetup(archive)
      dirs.push(podman.dir)
      rows.push([podman.label, podman.argv ? time(podman.argv, podman.env, RUNS) : {error: 'cannot run here (see above)'}])
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
    removeDirs(dirs)
  }
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
