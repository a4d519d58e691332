// The mount session: this process's mount namespace and the oldest of its parents in it.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'

import {currentMountSession, sameSession, sessionAlive} from '../../../src/runtime/mount/mount-session'

test('the current session is alive and names this mount namespace', (t) => {
  const session = currentMountSession()
  t.is(session.namespace, fs.readlinkSync('/proc/self/ns/mnt'))
  t.is(fs.readlinkSync(`/proc/${session.pid}/ns/mnt`), session.namespace)
  t.true(sessionAlive(session))
  t.true(sameSession(session, currentMountSession()))
})

test('a session whose first process has ended, or whose pid was reused, is not alive', async (t) => {
  const child = spawn('sleep', ['10'])
  const pid = child.pid!
  const start = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]
  const session = {namespace: fs.readlinkSync('/proc/self/ns/mnt'), pid, start}
  t.true(sessionAlive(session))
  t.false(sessionAlive({...session, start: '1'}), 'another start time: a reused pid')
  t.false(sessionAlive({...session, namespace: 'mnt:[1]'}), 'another namespace, read')
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('exit', resolve))
  t.false(sessionAlive(session))
})
