// Exec session records: 64-hex IDs, listed by ID; a foreground session's record is dropped once
// its process is gone, a detached one's stays until the container starts again.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {
  clearExecSessions,
  execSessionsDir,
  listExecSessions,
  newExecSessionId,
  recordExecSession,
  removeExecSession,
} from '../../../src/runtime/container/exec-sessions'
import type {Store} from '../../../src/storage/store/store'

function fakeStore(t: {teardown(fn: () => void): void}): Store {
  const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-exec-sessions-'))
  t.teardown(() => fs.rmSync(runRoot, {recursive: true, force: true}))
  return {config: {runRoot}} as unknown as Store
}

/** A process that has exited and been reaped: its pid no longer names it. */
async function endedPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

test('session IDs are 64 hex digits, each new', (t) => {
  const a = newExecSessionId()
  t.regex(a, /^[0-9a-f]{64}$/)
  t.not(a, newExecSessionId())
})

test('a recorded session is listed until removed; the list is sorted by ID', (t) => {
  const store = fakeStore(t)
  const ids = ['b'.repeat(64), 'a'.repeat(64)]
  for (const id of ids) recordExecSession(store, 'ctr', {id, pid: process.pid, detached: false, command: ['sh']})
  t.deepEqual(listExecSessions(store, 'ctr').map((s) => s.id), ['a'.repeat(64), 'b'.repeat(64)])
  removeExecSession(store, 'ctr', 'a'.repeat(64))
  t.deepEqual(listExecSessions(store, 'ctr').map((s) => s.id), ['b'.repeat(64)])
  t.deepEqual(listExecSessions(store, 'other'), [])
})

test('a foreground session whose process is gone is dropped (and its record removed); a detached one stays', async (t) => {
  const store = fakeStore(t)
  const pid = await endedPid()
  recordExecSession(store, 'ctr', {id: '1'.repeat(64), pid, detached: false, command: ['true']})
  recordExecSession(store, 'ctr', {id: '2'.repeat(64), pid, detached: true, command: ['true']})
  t.deepEqual(listExecSessions(store, 'ctr').map((s) => s.id), ['2'.repeat(64)])
  t.deepEqual(fs.readdirSync(execSessionsDir(store, 'ctr')), [`${'2'.repeat(64)}.json`])
})

test('clearing (a new start) removes every session; unreadable records are skipped', (t) => {
  const store = fakeStore(t)
  recordExecSession(store, 'ctr', {id: '3'.repeat(64), pid: process.pid, detached: true, command: ['top']})
  fs.writeFileSync(path.join(execSessionsDir(store, 'ctr'), 'junk.json'), '{')
  t.deepEqual(listExecSessions(store, 'ctr').map((s) => s.id), ['3'.repeat(64)])
  clearExecSessions(store, 'ctr')
  t.deepEqual(listExecSessions(store, 'ctr'), [])
  t.false(fs.existsSync(execSessionsDir(store, 'ctr')))
})
