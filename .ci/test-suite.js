#!/usr/bin/env node
'use strict'
// Run the whole ava suite (as root: rootless tests switch to the test users themselves) and end
// with the line CI reads: "N passed, N failed". ava's own summary is not in that form, so this
// counts its TAP results; a run that executed no test at all counts as a failure.
//   --fast    only the tests that need no root, no user namespaces and no test user
//   --userns  only the others: test files whose first line is "// @userns", and all of
//             test/commands/ and test/security/, which run the real CLI and containers as the
//             test users (README "Tests")
const {spawn} = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const readline = require('node:readline')

const root = path.resolve(__dirname, '..')
const USERNS_MARK = '// @userns\n'
const USERNS_DIRS = ['dist/test/commands/', 'dist/test/security/']

function testFiles(dir) {
  return fs.readdirSync(path.join(root, dir), {withFileTypes: true}).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`
    if (entry.isDirectory()) return testFiles(rel)
    return entry.name.endsWith('.test.js') ? [rel] : []
  })
}

/** dist/test/x.test.js needs root or user namespaces when test/x.test.ts is marked so (or by its dir). */
function needsUserns(file) {
  if (USERNS_DIRS.some((dir) => file.startsWith(dir))) return true
  const source = path.join(root, file.slice('dist/'.length).replace(/\.js$/, '.ts'))
  return fs.readFileSync(source, 'utf8').startsWith(USERNS_MARK)
}

let args = process.argv.slice(2)
const group = args.find((arg) => arg === '--fast' || arg === '--userns')
if (group) {
  args = args.filter((arg) => arg !== group)
  args.push(...testFiles('dist/test').filter((file) => needsUserns(file) === (group === '--userns')))
}

const ava = spawn(process.execPath, [path.join(root, 'node_modules', 'ava', 'entrypoints', 'cli.mjs'), '--tap', ...args], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
})

// Where the time goes: each test file's span, from the result before its first one to its last one
// (ava runs two files at once, so the spans overlap; good enough to find the slow files).
const started = Date.now()
let lastResultAt = started
const spans = new Map()
function noteTiming(title) {
  const now = Date.now()
  const file = title.split(' › ').slice(0, -1).join(' › ')
  const span = spans.get(file)
  if (span) span.end = now
  else spans.set(file, {start: lastResultAt, end: now})
  lastResultAt = now
}
function slowestFiles(count) {
  return [...spans].map(([file, {start, end}]) => [file, end - start]).sort((a, b) => b[1] - a[1]).slice(0, count)
}

let passed = 0
let failed = 0
let skipped = 0
const failures = []
readline.createInterface({input: ava.stdout}).on('line', (line) => {
  process.stdout.write(line + '\n')
  const m = /^(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO).*)?$/.exec(line)
  if (!m) return
  noteTiming(m[2])
  if (m[3]) skipped++
  else if (m[1] === 'ok') passed++
  else {
    failed++
    failures.push(m[2])
  }
})

ava.on('close', (code) => {
  const slow = slowestFiles(15).map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`)
  process.stdout.write(`\nSlowest test files (of ${((Date.now() - started) / 1000).toFixed(0)} s):\n${slow.join('\n')}\n`)
  if (failures.length) process.stdout.write(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`)
  if (skipped) process.stdout.write(`${skipped} skipped\n`)
  if (code !== 0 && failed === 0) failed = 1 // ava itself failed (a crash, a timeout, no tests)
  if (passed + failed === 0) failed = 1
  process.stdout.write(`${passed} passed, ${failed} failed\n`)
  process.exitCode = failed ? 1 : 0
})
