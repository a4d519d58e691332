// The lock primitive: flock through the addon, shared and exclusive, between holders in one
// process and between processes, released by the kernel when its holder is killed.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {lock, tryLock} from '../../../src/storage/store/lockfile'

const LOCKFILE_MODULE = path.resolve(__dirname, '..', '..', '..', 'src', 'storage', 'store', 'lockfile.js')

function lockFile(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-lock-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return path.join(dir, 'locks', 'test.lock')
}

/** A separate Node process holding the lock until it is killed; resolves once it holds it. */
function holdInChild(file: string, mode: 'shared' | 'exclusive'): Promise<import('node:child_process').ChildProcess> {
  const script = `require(${JSON.stringify(LOCKFILE_MODULE)}).lock(${JSON.stringify(file)}, ${JSON.stringify(mode)}).then(() => { process.stdout.write('held\\n'); setInterval(() => {}, 1000) })`
  const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']})
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child))
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)))
  })
}

test('shared holders coexist; an exclusive holder excludes shared and exclusive ones', (t) => {
  const file = lockFile(t)
  const a = tryLock(file, 'shared')
  const b = tryLock(file, 'shared')
  t.truthy(a)
  t.truthy(b)
  t.is(tryLock(file, 'exclusive'), undefined)
  a!.release()
  t.is(tryLock(file, 'exclusive'), undefined, 'one shared holder is enough to keep an exclusive one out')
  b!.release()
  const x = tryLock(file, 'exclusive')
  t.truthy(x)
  t.is(tryLock(file, 'shared'), undefined)
  t.is(tryLock(file, 'exclusive'), undefined)
  x!.release()
  t.truthy(tryLock(file, 'shared'))
})

test('a lock held by another process excludes this one until that process is killed', async (t) => {
  const file = lockFile(t)
  const holder = await holdInChild(file, 'exclusive')
  t.is(tryLock(file, 'shared'), undefined)
  t.is(tryLock(file, 'exclusive'), undefined)
  const waiting = lock(file, 'exclusive')
  let got = false
  void waiting.then(() => (got = true))
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.false(got, 'the waiter must not get the lock while the holder lives')
  holder.kill('SIGKILL')
  const held = await waiting
  t.truthy(held, 'the kernel released the killed holder\'s lock')
  held.release()
})

test('a shared lock of another process lets shared holders in and keeps an exclusive one out', async (t) => {
  const file = lockFile(t)
  const holder = await holdInChild(file, 'shared')
  t.teardown(() => holder.kill('SIGKILL'))
  const shared = tryLock(file, 'shared')
  t.truthy(shared)
  shared!.release()
  t.is(tryLock(file, 'exclusive'), undefined)
})

test('a waiter on a lock file removed by its holder starts over on the new file', async (t) => {
  const file = lockFile(t)
  const first = tryLock(file, 'exclusive')!
  const waiting = lock(file, 'exclusive')
  await new Promise((resolve) => setTimeout(resolve, 30))
  first.releaseAndRemove()
  const second = await waiting
  t.true(fs.existsSync(file))
  // the lock the waiter holds is the one on the file the path names now
  t.is(tryLock(file, 'exclusive'), undefined)
  second.release()
  t.truthy(tryLock(file, 'exclusive'))
})
