// Pausing by signal: every process of a container stopped until none new appears, continued by
// unpause, and the record's state moved between running and paused with Podman's errors.
// The "container" here is a process tree of the test's (no user namespace needed).
import test from 'ava'
import {ChildProcess, spawn} from 'node:child_process'
import * as fs from 'node:fs'

import {pauseContainer, stopAllProcesses, continueAllProcesses, unpauseContainer, whilePaused} from '../../../src/runtime/container/pause'
import {bundleDir} from '../../../src/runtime/container/paths'
import {containerProcesses, processState} from '../../../src/runtime/container/processes'
import {processStartTime} from '../../../src/storage/store/owner'
import {containerConfig, tempRecords} from '../../helpers/container-records'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A shell that forks a short-lived child every 10 ms: a container spawning while it is paused. */
function forkingTree(t: {teardown(fn: () => void): void}): ChildProcess {
  const child = spawn('sh', ['-c', 'while :; do sleep 0.2 & sleep 0.01; done'], {stdio: 'ignore'})
  t.teardown(() => {
    const pids = containerProcesses(child.pid!)
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL')
        process.kill(p, 'SIGCONT')
      } catch {
        // gone
      }
    }
  })
  return child
}

const stopped = (s: string | undefined) => s === undefined || s === 'T' || s === 'Z'

test('stopAllProcesses stops a tree that keeps forking, and nothing new appears after; continueAllProcesses resumes it', async (t) => {
  const child = forkingTree(t)
  await sleep(200)
  const pids = await stopAllProcesses(child.pid!)
  t.true(pids.includes(child.pid!))
  const now = containerProcesses(child.pid!)
  t.true(now.every((p) => stopped(processState(p))), 'every process of the tree is stopped')
  await sleep(300)
  t.deepEqual(containerProcesses(child.pid!).sort(), now.sort(), 'no process was forked while paused')
  continueAllProcesses(child.pid!)
  await sleep(300)
  t.not(processState(child.pid!), 'T')
  t.notDeepEqual(containerProcesses(child.pid!).sort(), now.sort(), 'forking again')
})

/** The process's state once it has left an uninterruptible sleep (D), where a SIGSTOP waits until it returns from the kernel. */
async function stateOutsideD(pid: number): Promise<string | undefined> {
  for (let i = 0; i < 200 && processState(pid) === 'D'; i++) await sleep(10)
  return processState(pid)
}

test('whilePaused (commit --pause): stopped during the action, running after', async (t) => {
  const child = forkingTree(t)
  await sleep(100)
  const during = await whilePaused(child.pid!, async () => stateOutsideD(child.pid!))
  t.is(during, 'T')
  await sleep(100)
  t.not(processState(child.pid!), 'T')
})

test('pause/unpause move a running record to paused and back; Podman\'s errors for every other state', async (t) => {
  const {store, records} = await tempRecords(t)
  const child = forkingTree(t)
  await sleep(100)
  const c = records.add(containerConfig('c')).config
  const created = records.get(c.id)!
  const refusedCreated = await t.throwsAsync(pauseContainer(records, created))
  t.is(refusedCreated?.message, '"created" is not running, can\'t pause: container state improper')
  const notPaused = await t.throwsAsync(unpauseContainer(records, created))
  t.is(notPaused?.message, `"${c.id}" is not paused, can't unpause: container state improper`)

  fs.mkdirSync(bundleDir(store, c.id), {recursive: true})
  const self = {monitorPid: process.pid, monitorStart: processStartTime(process.pid)}
  records.saveState(c.id, {status: 'running', pid: child.pid!, pidStart: processStartTime(child.pid!), ...self, exitCode: 0})
  await pauseContainer(records, records.get(c.id)!)
  t.like(records.get(c.id)!.state, {status: 'paused', pid: child.pid})
  t.is(await stateOutsideD(child.pid!), 'T')
  const again = await t.throwsAsync(pauseContainer(records, records.get(c.id)!))
  t.is(again?.message, `"${c.id}" is already paused: container state improper`)

  await unpauseContainer(records, records.get(c.id)!)
  t.is(records.get(c.id)!.state.status, 'running')
  await sleep(100)
  t.not(processState(child.pid!), 'T')
  const running = await t.throwsAsync(unpauseContainer(records, records.get(c.id)!))
  t.is(running?.message, `"${c.id}" is not paused, can't unpause: container state improper`)

  records.saveState(c.id, {status: 'exited', pid: 0, exitCode: 0})
  const exited = await t.throwsAsync(pauseContainer(records, records.get(c.id)!))
  t.is(exited?.message, '"exited" is not running, can\'t pause: container state improper')
})

test('a paused record whose process is gone settles as exited, as a running one does', async (t) => {
  const {store, records} = await tempRecords(t)
  const c = records.add(containerConfig('gone')).config
  fs.mkdirSync(bundleDir(store, c.id), {recursive: true})
  records.saveState(c.id, {status: 'paused', pid: 2 ** 22 + 7, pidStart: 'gone', exitCode: 0})
  t.like(records.get(c.id)!.state, {status: 'exited', pid: 0})
})
