// A container's processes found from its init: here a process tree in the test's own pid
// namespace (the tree through /proc), signalled together.
import test from 'ava'
import {spawn} from 'node:child_process'

import {containerProcesses, processState, signalEach} from '../../../src/runtime/container/processes'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('outside a pid namespace of its own: the init and its descendants, not the test itself', async (t) => {
  const child = spawn('sh', ['-c', 'sh -c "sleep 30" & sleep 30 & wait'], {stdio: 'ignore'})
  t.teardown(() => void child.kill('SIGKILL'))
  await sleep(300)
  const pids = containerProcesses(child.pid!)
  t.is(pids[0], child.pid!)
  t.true(pids.length >= 4, 'sh, its sleep, the inner sh and its sleep')
  t.false(pids.includes(process.pid))
  signalEach(pids, 'SIGKILL')
})

test('signalEach skips pids that are gone and never signals a process group (0, -1); processState reads the state letter', async (t) => {
  const child = spawn('sleep', ['30'], {stdio: 'ignore'})
  t.teardown(() => void child.kill('SIGKILL'))
  await sleep(100)
  signalEach([0, -1, 2 ** 22 + 7, child.pid!], 'SIGSTOP')
  await sleep(100)
  t.is(processState(child.pid!), 'T')
  signalEach([child.pid!], 'SIGCONT')
  await sleep(100)
  t.is(processState(child.pid!), 'S')
  t.is(processState(2 ** 22 + 7), undefined)
})
