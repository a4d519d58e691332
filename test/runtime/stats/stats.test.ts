// StatsSampler on host processes standing in for containers (they share the host's pid
// namespace, so each counts its init and descendants): CPU % between samples, AVG CPU % since
// the start, memory against the given total, tasks; zeros for a container without processes.
import test from 'ava'

import type {Container, ContainerState} from '../../../src/runtime/container/config'
import {StatsSampler} from '../../../src/runtime/stats/stats'
import {spawnedShell} from '../../helpers/processes'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function container(id: string, state: Partial<ContainerState>): Container {
  return {config: {id, name: `name-${id}`} as Container['config'], state: {status: 'running', pid: 0, exitCode: 0, ...state}}
}

test('a busy container: CPU % between samples and on average, memory of the total, its tasks', async (t) => {
  const startedAt = new Date().toISOString()
  const busy = spawnedShell(t, 'sleep 60 & while :; do :; done')
  const idle = spawnedShell(t, 'exec sleep 60')
  const sampler = new StatsSampler(1e12)
  const busyC = container('busy', {pid: busy.pid!, startedAt})
  const idleC = container('idle', {pid: idle.pid!, startedAt})
  const created = container('created', {status: 'created'})
  const all = [busyC, idleC, created]
  await sleep(700)
  const [first, quiet, none] = sampler.sample(all, all)
  t.true(first.cpuPercent > 5, `first sample counts from the start: ${first.cpuPercent}`)
  t.true(Math.abs(first.cpuPercent - first.avgCpuPercent) < 5)
  t.is(first.pids, 2)
  t.is(first.memLimit, 1e12)
  t.true(first.memUsage > 0)
  t.is(first.memPercent, (first.memUsage / 1e12) * 100)
  t.true(first.sampledAtNs > 0)
  t.is(quiet.cpuPercent, 0)
  t.is(quiet.pids, 1)
  t.deepEqual(none, {containerId: 'created', name: 'name-created', cpuPercent: 0, avgCpuPercent: 0, cpuNs: 0, systemCpuNs: 0, sampledAtNs: 0, memUsage: 0, memLimit: 0, memPercent: 0, netInput: 0, netOutput: 0, blockInput: 0, blockOutput: 0, pids: 0})

  await sleep(700)
  const [second] = sampler.sample([busyC], all)
  t.true(second.cpuNs > first.cpuNs)
  t.true(second.cpuPercent > 5, `between the samples: ${second.cpuPercent}`)

  // a container started again (another init) counts from its start again
  const again = spawnedShell(t, 'exec sleep 60')
  const [restarted] = sampler.sample([container('busy', {pid: again.pid!, startedAt: new Date().toISOString()})], all)
  t.is(restarted.cpuPercent, 0)
})
