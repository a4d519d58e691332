#!/usr/bin/env node
'use strict'
// Pull + unpack of a generated ~300 MB, 5-layer image from a local registry, side by side with
// Debian's `podman pull` (same rootless user, its own store), with wall time and peak RSS; and
// tspod's unpack of one layer against `tar -xzf` of the same blob.
// Targets: faster than Podman; peak RSS under 150 MB; unpack at least 0.8x GNU tar.
// Run as root after `npm run build` (it uses the test helpers compiled in dist/):
//   node bench/pull.js [totalMB] [runs]   (BENCH_USER=rlN to run as another test user)
// CPU is user+sys of the command and every process it waited for (GNU time); peak RSS is the
// largest process's (GNU time) and the largest sampled sum over the process tree (every 20 ms).
const {execFileSync} = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {startRegistry} = require(path.join(repo, 'dist/test/helpers/registry'))
const {generatedImage} = require('./generated-image')
const {user, userDir: sharedUserDir, timedAsUser, measuredAsUser, tspodWorld, podmanWorld, removeDirs} = require('./as-user')

const TOTAL_MB = Number(process.argv[2] || 300)
const RUNS = Number(process.argv[3] || 1)
const LAYERS = 5

const userDir = (prefix) => sharedUserDir(prefix, {base: '/var/tmp'})

async function attempt(run) {
  try {
    return await run()
  } catch (err) {
    return {error: err.message.split('\n')[0]}
  }
}

async function main() {
  const image = await generatedImage(TOTAL_MB, LAYERS)
  const registry = await startRegistry()
  try {
    await registry.push('bench/big', 'latest', image)
    const ref = `${registry.host}/bench/big:latest`
    const conf = path.join(userDir('tspod-bench-conf-'), 'registries.conf')
    fs.writeFileSync(conf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`)
    fs.chmodSync(conf, 0o644)

    const rows = []
    // Pulls alternated, each into a fresh store (Podman with its own HOME, config and store, as
    // bench/all.js gives it), so that load drifting during the run hits both alike.
    for (let run = 0; run < RUNS; run++) {
      const t = tspodWorld('tspod-bench-')
      rows.push(['tspod pull', await attempt(() => measuredAsUser([...t.argv, 'pull', '-q', ref], {...t.env, CONTAINERS_REGISTRIES_CONF: conf}))])
      removeDirs([t.dir])
      if (!fs.existsSync('/usr/bin/podman')) continue
      const p = podmanWorld('podman-bench-', {registriesConf: conf})
      rows.push(['podman pull', await attempt(() => measuredAsUser(['podman', 'pull', '-q', ref], p.env))])
      removeDirs([p.dir])
    }

    // Unpack alone: the largest layer blob, by tspod's unpacker (in the user namespace) and by GNU tar.
    const blobDir = userDir('tspod-bench-blob-')
    const blob = path.join(blobDir, 'layer.tar.gz')
    fs.writeFileSync(blob, image.layers[0].data)
    fs.chownSync(blob, user.uid, user.gid)
    const unpackScript = path.join(blobDir, 'unpack.js')
    fs.writeFileSync(
      unpackScript,
      `const {unpackLayers} = require(${JSON.stringify(path.join(repo, 'dist/src/storage/store/archive/unpack'))})
const {planUserNamespaceMapping} = require(${JSON.stringify(path.join(repo, 'dist/src/userns/idmap'))})
const {currentUser} = require(${JSON.stringify(path.join(repo, 'dist/src/userns/user'))})
const [dest, blob] = process.argv.slice(2)
require('fs').mkdirSync(dest)
const start = process.hrtime.bigint()
unpackLayers([{blob, dest}], {mapping: planUserNamespaceMapping(currentUser()), ignoreChownErrors: false}).then(() =>
  process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e9)),
)
`,
    )
    fs.chmodSync(unpackScript, 0o644)
    // The unpack's own time (worker start in the user namespace included), not the script's start-up.
    const tspodRun = timedAsUser([process.execPath, unpackScript, `${blobDir}/a`, blob], {})
    const tspodUnpack = {...tspodRun, seconds: Number(tspodRun.stdout)}
    fs.mkdirSync(`${blobDir}/b`)
    fs.chownSync(`${blobDir}/b`, user.uid, user.gid)
    const tar = timedAsUser(['tar', '-xzf', blob, '-C', `${blobDir}/b`], {})
    rows.push(['tspod unpack (1 layer)', tspodUnpack], ['tar -xzf (same layer)', tar])
    execFileSync('rm', ['-rf', blobDir, path.dirname(conf)])

    const mb = image.layers.reduce((s, l) => s + l.size, 0) / 1e6
    console.log(`image: ${LAYERS} layers, ${mb.toFixed(0)} MB compressed; layer 0: ${(image.layers[0].size / 1e6).toFixed(0)} MB`)
    console.log('what'.padEnd(24) + 'wall'.padEnd(10) + 'CPU'.padEnd(10) + 'peak RSS: largest'.padEnd(19) + 'sum (sampled)')
    for (const [what, r] of rows) {
      if (r.error) console.log(what.padEnd(24) + `failed: ${r.error}`)
      else console.log(what.padEnd(24) + `${r.seconds.toFixed(2)} s`.padEnd(10) + (r.cpu === undefined ? '' : `${r.cpu.toFixed(2)} s`).padEnd(10) + `${r.mb.toFixed(0)} MiB`.padEnd(19) + (r.sumMb === undefined ? '' : `${r.sumMb.toFixed(0)} MiB (${r.processes} processes)`))
    }
    console.log(`unpack speed vs tar: ${(tar.seconds / tspodUnpack.seconds).toFixed(2)}x (target >= 0.8x)`)
  } finally {
    await registry.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
