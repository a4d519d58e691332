#!/usr/bin/env node
'use strict'
// The file locks of src/storage/store/lockfile.ts (flock, non-blocking, polled with a backoff):
// the cost of an uncontended take-and-release, and how long a waiter takes to notice a release
// after holds of various lengths (the price of polling instead of a blocking wait).
// Run after `npm run build`: node bench/locks.js
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const {lock, tryLock} = require(path.resolve(__dirname, '..', 'dist', 'src', 'storage', 'lockfile'))

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-bench-locks-'))
const file = path.join(dir, 'bench.lock')

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

async function main() {
  const N = 20000
  tryLock(file, 'exclusive').release()
  let start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) tryLock(file, i % 2 ? 'shared' : 'exclusive').release()
  const uncontended = Number(process.hrtime.bigint() - start) / N / 1000
  console.log(`uncontended take + release: ${uncontended.toFixed(1)} µs`)

  for (const holdMs of [1, 5, 20, 100]) {
    const delays = []
    for (let i = 0; i < 20; i++) {
      const held = tryLock(file, 'exclusive')
      let released = 0n
      setTimeout(() => {
        released = process.hrtime.bigint()
        held.release()
      }, holdMs)
      const got = await lock(file, 'exclusive')
      delays.push(Number(process.hrtime.bigint() - released) / 1e6)
      got.release()
    }
    console.log(`hold ${String(holdMs).padStart(3)} ms: a waiter gets the lock ${median(delays).toFixed(2)} ms after the release (median of 20, max ${Math.max(...delays).toFixed(2)})`)
  }
  start = process.hrtime.bigint()
  fs.rmSync(dir, {recursive: true, force: true})
}

main()
