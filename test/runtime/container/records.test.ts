// Container records in a real-root temporary store: lookup in Podman's words, state changes
// that never overwrite a recorded exit, and the exit codes kept after removal.
import test, {ExecutionContext} from 'ava'
import {spawnSync} from 'node:child_process'
import nodeFs, * as fs from 'node:fs'
import * as path from 'node:path'

import {CREATED_STATE} from '../../../src/runtime/container/config'
import {bundleDir} from '../../../src/runtime/container/paths'
import {processStartTime} from '../../../src/storage/store/owner'
import {readRecord} from '../../../src/storage/store/record-files'
import {containerConfig, tempRecords} from '../../helpers/container-records'

test('lookup: exact name first, then a unique id prefix; Podman\'s errors otherwise', async (t) => {
  const {records} = await tempRecords(t)
  const a = records.add(containerConfig('alpha')).config
  t.is(records.lookup('alpha').config.id, a.id)
  t.is(records.lookup(a.id.slice(0, 6)).config.id, a.id)
  t.is(t.throws(() => records.lookup('nothere'))!.message, 'no container with name or ID "nothere" found: no such container')
  t.is(records.get(a.id)!.state.status, CREATED_STATE.status)
})

test.serial('a transient container (a build step\'s) has its record files written but not fsynced; any other\'s are fsynced', async (t) => {
  const {store, records} = await tempRecords(t)
  const fsyncs = countingFsyncs(t)
  const transient = records.add(containerConfig('step'), {transient: true}).config
  t.is(fsyncs.count, 0)
  t.is(readRecord<{id: string}>(store.layout.containerRecord(transient.id))?.id, transient.id)
  t.is(readRecord<{config: {id: string}}>(store.layout.containerRuntimeRecord(transient.id, 'config'))?.config.id, transient.id)
  records.add(containerConfig('kept'))
  t.true(fsyncs.count >= 2, 'the storage and the runtime record, each fsynced')
})

/** Counts fs.fsyncSync calls until the test ends (serial tests run alone: no other test's count). */
function countingFsyncs(t: ExecutionContext): {count: number} {
  const counter = {count: 0}
  // the module object itself (a namespace import's properties are read-only getters onto it)
  const original = nodeFs.fsyncSync
  nodeFs.fsyncSync = (fd: number) => {
    counter.count++
    original(fd)
  }
  t.teardown(() => {
    nodeFs.fsyncSync = original
  })
  return counter
}

test('updateRunningState changes a running container only: a recorded exit is never overwritten', async (t) => {
  const {records} = await tempRecords(t)
  const c = records.add(containerConfig('c')).config
  t.false(records.updateRunningState(c.id, (s) => ({...s, status: 'stopping'})), 'created: untouched')
  records.saveState(c.id, {status: 'exited', pid: 0, exitCode: 3})
  t.false(records.updateRunningState(c.id, (s) => ({...s, status: 'stopping', stoppedByUser: true})))
  t.is(records.get(c.id)!.state.exitCode, 3)
  t.is(records.get(c.id)!.state.status, 'exited')
})

test('an exited container\'s code outlives its removal (for wait); a created one leaves none', async (t) => {
  const {records} = await tempRecords(t)
  const gone = records.add(containerConfig('gone')).config
  records.saveState(gone.id, {status: 'exited', pid: 0, exitCode: 42})
  records.delete(gone.id)
  t.is(records.get(gone.id), undefined)
  t.is(records.removedExitCode(gone.id), 42)
  const never = records.add(containerConfig('never')).config
  records.delete(never.id)
  t.is(records.removedExitCode(never.id), undefined)
})

test('a running container whose process ended before its monitor recorded it: no pid, still running until the monitor says so', async (t) => {
  const {store, records} = await tempRecords(t)
  const c = records.add(containerConfig('gone')).config
  fs.mkdirSync(bundleDir(store, c.id), {recursive: true})
  const child = spawnSync('true')
  const deadPid = child.pid!
  records.saveState(c.id, {status: 'running', pid: deadPid, pidStart: 'gone', monitorPid: process.pid, monitorStart: processStartTime(process.pid), exitCode: 0})
  t.like(records.get(c.id)!.state, {status: 'running', pid: 0})
  records.saveState(c.id, {status: 'running', pid: process.pid, pidStart: processStartTime(process.pid), monitorPid: process.pid, monitorStart: processStartTime(process.pid), exitCode: 0})
  t.is(records.get(c.id)!.state.pid, process.pid, 'alive: its pid')
})

test('a container only the store knows is external: found by name or prefix, and removed with its dirs', async (t) => {
  const {store, records} = await tempRecords(t)
  const kept = containerConfig('kept')
  records.add(kept)
  const id = 'f'.repeat(64)
  store.containers.create({id, name: 'cut-short', imageId: kept.imageId, created: new Date().toISOString()})
  fs.mkdirSync(path.join(store.layout.containerDir(id), 'userdata'), {recursive: true})
  t.deepEqual(records.externalContainers().map((c) => c.id), [id])
  t.is(records.lookupExternal('cut-short')?.id, id)
  t.is(records.lookupExternal('fff')?.id, id)
  t.is(records.lookupExternal('kept'), undefined)
  await records.removeExternal(id)
  t.deepEqual(records.externalContainers(), [])
  t.is(store.containers.get(id), undefined)
  t.false(fs.existsSync(store.layout.containerDir(id)))
  t.truthy(records.get(kept.id))
})
