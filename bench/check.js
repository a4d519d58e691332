#!/usr/bin/env node
'use strict'
// The store checks of `system check` on a generated ~300 MB, 5-layer image (loaded from a local
// archive into a rootless store): wall time and peak RSS of the quick check, the full check, and
// a repair that rebuilds one damaged 60 MB layer from its blob. Run as root after `npm run build`
// (it uses the test helpers compiled in dist/):
//   node bench/check.js [totalMB]
const {spawnSync} = require('node:child_process')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')

const repo = path.resolve(__dirname, '..')
const {buildImage, writeOciArchive} = require(path.join(repo, 'dist/test/helpers/oci-image'))
const {lookupUser, userEnv} = require(path.join(repo, 'dist/test/helpers/rootless'))

const TOTAL_MB = Number(process.argv[2] || 300)
const LAYERS = 5
const user = lookupUser('tspoduser')

/** Files that compress about like real images do: half random, half repetitive text. */
function layerEntries(index, bytes) {
  const entries = [{path: `layer${index}/`, type: 'dir', mode: 0o755}]
  const fileSize = 4 * 1024 * 1024
  for (let i = 0; i * fileSize < bytes; i++) {
    const random = crypto.randomBytes(fileSize / 2)
    const text = Buffer.alloc(fileSize / 2, `layer ${index} file ${i} lorem ipsum dolor sit amet\n`)
    entries.push({path: `layer${index}/file${i}`, type: 'file', content: Buffer.concat([random, text]), mode: 0o644, uid: i % 3 === 0 ? 0 : 1000, gid: 0})
  }
  return entries
}

function asUser(argv, env) {
  const full = ['/usr/bin/time', '-f', '%e %M', 'setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', ...argv]
  const r = spawnSync(full[0], full.slice(1), {env: userEnv(user, env), cwd: '/', encoding: 'utf8', maxBuffer: 64 << 20})
  const last = r.stderr.trim().split('\n').pop()
  const [seconds, kb] = last.split(' ').map(Number)
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`)
  return {seconds, mb: kb / 1024, stdout: r.stdout}
}

async function main() {
  process.stderr.write(`building a ${TOTAL_MB} MB, ${LAYERS}-layer image...\n`)
  const per = (TOTAL_MB * 1024 * 1024) / LAYERS
  const layers = []
  for (let i = 0; i < LAYERS; i++) layers.push(layerEntries(i, per))
  const image = await buildImage({layers})
  const dir = fs.mkdtempSync('/var/tmp/tspod-bench-check-')
  fs.chownSync(dir, user.uid, user.gid)
  try {
    const archive = path.join(dir, 'image.tar')
    await writeOciArchive(archive, [{image, ref: 'localhost/big:latest'}])
    fs.chmodSync(archive, 0o644)
    const env = {XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config')}
    asUser([process.execPath, path.join(repo, 'bin/run.js'), 'load', '-q', '-i', archive], env)
    fs.rmSync(archive)
    const check = (request) => asUser([process.execPath, path.join(repo, 'dist/test/helpers/store-check.js'), JSON.stringify(request)], env)
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
