// The mount counters: one entry per container or image and session, kept in the run root;
// an ended session's entries are dropped when the file is read.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {MountRecords} from '../../../src/runtime/mount/mount-records'
import {currentMountSession} from '../../../src/runtime/mount/mount-session'

function runRoot(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mount-records-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('entries are counted per session, listed by kind, and taken on removal', async (t) => {
  const dir = runRoot(t)
  const session = currentMountSession()
  await MountRecords.update(dir, (r) => {
    r.set('container', 'c1', {session, count: 2, mountpoint: '/m/c1'})
    r.set('image', 'i1', {session, count: 1, mountpoint: '/m/i1'})
  })
  await MountRecords.update(dir, (r) => {
    t.is(r.entry('container', 'c1', session)?.count, 2)
    t.deepEqual(r.mountedIn('container', session), [{id: 'c1', mountpoint: '/m/c1'}])
    t.deepEqual(r.mountedIn('image', session), [{id: 'i1', mountpoint: '/m/i1'}])
    r.set('container', 'c1', {session, count: 0, mountpoint: '/m/c1'})
    t.is(r.entry('container', 'c1', session), undefined, 'a count of zero drops the entry')
    t.deepEqual(r.ids('container'), [])
    t.is(r.take('image', 'i1').length, 1)
    t.deepEqual(r.ids('image'), [])
  })
})

test('the entries of an ended session are forgotten', async (t) => {
  const dir = runRoot(t)
  const child = spawn('sleep', ['10'])
  const pid = child.pid!
  const start = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]
  const other = {namespace: fs.readlinkSync('/proc/self/ns/mnt'), pid, start}
  await MountRecords.update(dir, (r) => r.set('container', 'c1', {session: other, count: 1, mountpoint: '/m/c1'}))
  t.deepEqual(await MountRecords.update(dir, (r) => r.ids('container')), ['c1'], 'alive: kept')
  t.deepEqual(await MountRecords.update(dir, (r) => r.mountedIn('container', currentMountSession())), [], 'not this session\'s')
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('exit', resolve))
  t.deepEqual(await MountRecords.update(dir, (r) => r.ids('container')), [], 'ended: dropped')
})
