#!/usr/bin/env node
'use strict'
// Run the whole ava suite (as root: rootless tests switch to the test users themselves) and end
// with the line CI reads: "N passed, N failed". ava's own summary is not in that form, so this
// counts its TAP results; a run that executed no test at all counts as a failure.
const {spawn} = require('node:child_process')
const path = require('node:path')
const readline = require('node:readline')

const root = path.resolve(__dirname, '..')
const ava = spawn(process.execPath, [path.join(root, 'node_modules', 'ava', 'entrypoints', 'cli.mjs'), '--tap', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
})

let passed = 0
let failed = 0
let skipped = 0
const failures = []
readline.createInterface({input: ava.stdout}).on('line', (line) => {
  process.stdout.write(line + '\n')
  const m = /^(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO).*)?$/.exec(line)
  if (!m) return
  if (m[3]) skipped++
  else if (m[1] === 'ok') passed++
  else {
    failed++
    failures.push(m[2])
  }
})

ava.on('close', (code) => {
  if (failures.length) process.stdout.write(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`)
  if (skipped) process.stdout.write(`${skipped} skipped\n`)
  if (code !== 0 && failed === 0) failed = 1 // ava itself failed (a crash, a timeout, no tests)
  if (passed + failed === 0) failed = 1
  process.stdout.write(`${passed} passed, ${failed} failed\n`)
  process.exitCode = failed ? 1 : 0
})
