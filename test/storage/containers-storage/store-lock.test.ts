// containers/storage's lock files: fcntl record locks that exclude its own holders (here Python's
// lockf, the same POSIX lock containers/storage's Go code takes), and a new last-writer id on write.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {StoreLock, newLastWriterId, withStoreLocks} from '../../../src/storage/containers-storage/store-lock'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cslock-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

/** Another process holding a POSIX record lock on `file` until its stdin closes; resolves once held. */
async function holdElsewhere(file: string, exclusive: boolean): Promise<() => Promise<void>> {
  const mode = exclusive ? 'LOCK_EX' : 'LOCK_SH'
  const open = exclusive ? "'r+'" : "'r'"
  const child = spawn('python3', ['-c', `import fcntl,sys\nf=open(${JSON.stringify(file)},${open})\nfcntl.lockf(f,fcntl.${mode})\nprint('held',flush=True)\nsys.stdin.read()`], {stdio: ['pipe', 'pipe', 'inherit']})
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  return async () => {
    child.stdin.end()
    await new Promise((resolve) => child.once('exit', resolve))
  }
}

test('an exclusive lock waits while another process holds the file locked, and is taken once it lets go', async (t) => {
  const file = path.join(tempDir(t), 'containers.lock')
  fs.writeFileSync(file, '')
  const release = await holdElsewhere(file, true)
  let taken: StoreLock | undefined
  const waiting = StoreLock.take(file, 'exclusive').then((l) => (taken = l))
  await sleep(200)
  t.is(taken, undefined)
  await release()
  await waiting
  t.truthy(taken)
  taken!.release()
})

test('shared locks go together; an exclusive one waits for a shared holder', async (t) => {
  const file = path.join(tempDir(t), 'layers.lock')
  fs.writeFileSync(file, '')
  const release = await holdElsewhere(file, false)
  const shared = await StoreLock.take(file, 'shared')
  shared.release()
  let taken = false
  const waiting = StoreLock.take(file, 'exclusive').then((l) => {
    taken = true
    l.release()
  })
  await sleep(200)
  t.false(taken)
  await release()
  await waiting
  t.true(taken)
})

test('recordWrite puts a new 64-byte last-writer id (time, counter, pid, random) in the lock file', async (t) => {
  const dir = tempDir(t)
  const files = ['a.lock', 'b.lock'].map((f) => path.join(dir, f))
  await withStoreLocks(files, 'exclusive', (locks) => {
    locks[1].recordWrite()
    locks[1].recordWrite()
  })
  const content = fs.readFileSync(files[1])
  t.is(content.length, 64)
  t.is(content.readUInt32LE(16), process.pid)
  t.true(content.readBigUInt64LE(8) >= 2n)
  t.is(fs.readFileSync(files[0]).length, 0)
  t.notDeepEqual(newLastWriterId(), newLastWriterId())
  await t.throwsAsync(withStoreLocks([files[0]], 'shared', (locks) => locks[0].recordWrite()), {message: /shared lock/})
})
