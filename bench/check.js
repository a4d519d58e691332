#!/usr/bin/env node
'use strict'
// The store checks of `system check` on a generated ~300 MB, 5-layer image (loaded from a local
// archive into a rootless store): wall time and peak RSS of the quick check, the full check, and
// a repair that rebuilds one damaged 60 MB layer from its blob. Run as root after `npm run build`
// (it uses the test helpers compiled in dist/):
//   node bench/check.js [totalMB]
const {spawnSync} = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {writeOciArchive} = require(path.join(repo, 'dist/test/helpers/oci-image'))
const {user, generatedImage, timedAsUser} = require('./generated-image')

const TOTAL_MB = Number(process.argv[2] || 300)
const LAYERS = 5

async function main() {
  const image = await generatedImage(TOTAL_MB, LAYERS)
  const dir = fs.mkdtempSync('/var/tmp/tspod-bench-check-')
  fs.chownSync(dir, user.uid, user.gid)
  try {
    const archive = path.join(dir, 'image.tar')
    await writeOciArchive(archive, [{image, ref: 'localhost/big:latest'}])
    fs.chmodSync(archive, 0o644)
    const env = {XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
    timedAsUser([process.execPath, path.join(repo, 'bin/run.js'), 'load', '-q', '-i', archive], env)
    fs.rmSync(archive)
    const check = (request) => timedAsUser([process.execPath, path.join(repo, 'dist/test/helpers/store-check.js'), JSON.stringify(request)], env)
    const rows = [['quick check', check({quick: true, checks: ['layers']})], ['full check', check({checks: ['layers']})]]
    // damage one layer (a file rewritten, same size) and let the repair rebuild it
    const overlay = path.join(dir, 'data/tspod/storage/overlay')
    const damaged = fs.readdirSync(overlay).map((id) => path.join(overlay, id, 'diff/layer2/file0')).find((f) => fs.existsSync(f))
    const fd = fs.openSync(damaged, 'r+')
    fs.writeSync(fd, Buffer.from('damage'), 0, 6, 1000)
    fs.closeSync(fd)
    const repair = check({repair: true, checks: ['layers']})
    if (!repair.stdout.includes('rebuilt from its blob')) throw new Error(`the repair did not rebuild: ${repair.stdout}`)
    rows.push(['full check + rebuild of one layer', repair])
    for (const [name, r] of rows) console.log(`${name.padEnd(36)} ${r.seconds.toFixed(2)} s  peak RSS ${r.mb.toFixed(0)} MB`)
  } finally {
    spawnSync('rm', ['-rf', dir])
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
