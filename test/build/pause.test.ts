// --pause: a process tree stopped while the action runs, continued after.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'

import {containerProcesses, whilePaused} from '../../src/build/pause'

const state = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0]

test('the init and its children are stopped during the action and running after', async (t) => {
  const child = spawn('sh', ['-c', 'sleep 30 & wait'], {stdio: 'ignore'})
  t.teardown(() => void child.kill('SIGKILL'))
  await new Promise((r) => setTimeout(r, 300))
  const pids = containerProcesses(child.pid!)
  t.true(pids.length >= 2)
  const during = await whilePaused(child.pid!, async () => {
    await new Promise((r) => setTimeout(r, 100))
    return pids.map(state)
  })
  t.true(during.every((s) => s === 'T'))
  await new Promise((r) => setTimeout(r, 100))
  t.true(pids.map(state).every((s) => s !== 'T'))
})
