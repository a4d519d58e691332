// The sums of context files kept between builds: reused only while the file's inode, size, mtime
// and ctime are what they were, so a rewrite is always read again, even one that puts the size
// and mtime back; a damaged sums file only costs reading the files again.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {FileSums} from '../../src/build/file-sums'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-file-sums-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

/** `file`'s times set to `ref`'s, to the nanosecond (utimes through Node rounds them) */
function sameTimes(file: string, ref: string): void {
  execFileSync('touch', ['-r', ref, file])
}

/** past the coarse clock's tick that file times come from, as a real edit is */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
}

const sha256 = (data: string) => crypto.createHash('sha256').update(data).digest('hex')

/** A sum taken through a fresh FileSums that reads `store` (nothing settles: every sum is kept). */
function sumOnce(store: string, file: string): string {
  const sums = new FileSums(store, 0)
  const sum = sums.sum(file, fs.lstatSync(file))
  sums.save()
  return sum
}

test('an unchanged file is not read again: the kept sum is used', (t) => {
  const dir = tempDir(t)
  const store = path.join(dir, 'sums.json')
  const file = path.join(dir, 'a')
  fs.writeFileSync(file, 'one')
  t.is(sumOnce(store, file), sha256('one'))
  t.is((fs.statSync(store).mode & 0o777).toString(8), '600')
  // a kept sum that is not the file's shows that the file was not read
  const kept = JSON.parse(fs.readFileSync(store, 'utf8')) as Record<string, {sha256: string}>
  kept[file].sha256 = 'f'.repeat(64)
  fs.writeFileSync(store, JSON.stringify(kept))
  t.is(sumOnce(store, file), 'f'.repeat(64))
})

test('a rewrite with the same size and mtime is read again (its ctime moved)', (t) => {
  const dir = tempDir(t)
  const store = path.join(dir, 'sums.json')
  const file = path.join(dir, 'a')
  fs.writeFileSync(file, 'one')
  const ref = path.join(dir, 'times')
  fs.writeFileSync(ref, '')
  sameTimes(ref, file)
  const before = fs.statSync(file, {bigint: true})
  t.is(sumOnce(store, file), sha256('one'))
  pause()
  fs.writeFileSync(file, 'two')
  sameTimes(file, ref)
  const after = fs.statSync(file, {bigint: true})
  t.is(after.mtimeNs, before.mtimeNs)
  t.is(after.size, before.size)
  t.is(sumOnce(store, file), sha256('two'))
})

test('another file renamed into place with the same size and mtime is read (its inode differs)', (t) => {
  const dir = tempDir(t)
  const store = path.join(dir, 'sums.json')
  const file = path.join(dir, 'a')
  fs.writeFileSync(file, 'one')
  t.is(sumOnce(store, file), sha256('one'))
  pause()
  const other = path.join(dir, 'b')
  fs.writeFileSync(other, 'two')
  sameTimes(other, file)
  fs.renameSync(other, file)
  t.is(sumOnce(store, file), sha256('two'))
})

test('a sum taken while the file could still change unnoticed is not kept', (t) => {
  const dir = tempDir(t)
  const store = path.join(dir, 'sums.json')
  const file = path.join(dir, 'a')
  fs.writeFileSync(file, 'one')
  const sums = new FileSums(store, 60_000)
  t.is(sums.sum(file, fs.lstatSync(file)), sha256('one'))
  sums.save()
  t.false(fs.existsSync(store))
})

test('a damaged sums file is ignored and replaced', (t) => {
  const dir = tempDir(t)
  const store = path.join(dir, 'sums.json')
  const file = path.join(dir, 'a')
  fs.writeFileSync(file, 'one')
  // settled: its ctime behind the clock (Date.now() is whole milliseconds, file times are not)
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
  fs.writeFileSync(store, '{"not json')
  t.is(sumOnce(store, file), sha256('one'))
  t.truthy((JSON.parse(fs.readFileSync(store, 'utf8')) as Record<string, unknown>)[file])
})
