#!/usr/bin/env node
'use strict'
// Start-up cost: wall time of `tspod --version` and `tspod info`, median of 10 runs, next to
// Debian's Podman. Run as root it measures as the rootless test user (tspoduser), which is the
// mode that matters. Target: `tspod --version` under 60 ms.
//   node bench/startup.js [runs]
const {spawnSync, execFileSync} = require('node:child_process')
const path = require('node:path')
const fs = require('node:fs')

const RUNS = Number(process.argv[2] || 10)
const repo = path.resolve(__dirname, '..')
const bin = path.join(repo, 'bin', 'run.js')
const asUser = process.getuid() === 0 ? 'tspoduser' : undefined

function userPrefix() {
  if (!asUser) return []
  const uid = execFileSync('id', ['-u', asUser]).toString().trim()
  const gid = execFileSync('id', ['-g', asUser]).toString().trim()
  return ['setpriv', '--reuid', uid, '--regid', gid, '--init-groups', '--']
}

function baseEnv() {
  if (!asUser) return {...process.env}
  const uid = execFileSync('id', ['-u', asUser]).toString().trim()
  const home = execFileSync('getent', ['passwd', asUser]).toString().split(':')[5]
  return {HOME: home, USER: asUser, PATH: '/usr/bin:/bin:/usr/sbin:/sbin', XDG_RUNTIME_DIR: `/run/user/${uid}`}
}

function median(values) {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function time(argv, env) {
  const full = [...userPrefix(), ...argv]
  const samples = []
  for (let i = 0; i < RUNS + 1; i++) {
    const start = process.hrtime.bigint()
    const r = spawnSync(full[0], full.slice(1), {env, stdio: ['ignore', 'ignore', 'pipe']})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 0) return `failed (${String(r.stderr).trim().split('\n')[0]})`
    if (i > 0) samples.push(ms) // the first run warms the page cache
  }
  return `${median(samples).toFixed(1)} ms`
}

const withCa = baseEnv()
if (process.env.NODE_EXTRA_CA_CERTS) withCa.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS
const withoutCa = {...withCa}
delete withoutCa.NODE_EXTRA_CA_CERTS
const podman = fs.existsSync('/usr/bin/podman')

const rows = [
  ['--version', time([process.execPath, bin, '--version'], withoutCa), time([process.execPath, bin, '--version'], withCa), podman ? time(['podman', '--version'], withoutCa) : 'not installed'],
  ['info', time([process.execPath, bin, 'info'], withoutCa), time([process.execPath, bin, 'info'], withCa), podman ? time(['podman', 'info'], withoutCa) : 'not installed'],
]
const header = ['command', 'tspod', 'tspod (NODE_EXTRA_CA_CERTS set)', 'podman']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')
console.log(`median of ${RUNS} runs${asUser ? `, as ${asUser}` : ''}; target: tspod --version < 60 ms`)
console.log(line(header))
for (const r of rows) console.log(line(r))
