// The health log: status, failing streak and the last five results, as Podman's
// updateHealthCheckLog keeps them.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {Container} from '../../../src/runtime/container/config'
import {HealthLogEntry, healthLogPath, healthStatusOf, markHealthStarting, readHealth, recordHealthResult} from '../../../src/runtime/container/health-log'
import type {Store} from '../../../src/storage/store/store'

function fakeStore(t: {teardown(f: () => void): void}): Store {
  const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'health-log-'))
  t.teardown(() => fs.rmSync(runRoot, {recursive: true, force: true}))
  return {config: {runRoot}} as unknown as Store
}

const entry = (exitCode: number, output = ''): HealthLogEntry => ({Start: '2026-01-01T00:00:00Z', End: '2026-01-01T00:00:01Z', ExitCode: exitCode, Output: output})

test('nothing recorded: empty status, no log', (t) => {
  t.deepEqual(readHealth(fakeStore(t), 'c1'), {Status: '', FailingStreak: 0, Log: null})
})

test('a start makes it starting and keeps the streak and the log; a success makes it healthy', (t) => {
  const store = fakeStore(t)
  markHealthStarting(store, 'c1')
  t.is(readHealth(store, 'c1').Status, 'starting')
  t.is(recordHealthResult(store, 'c1', entry(1), 3, false), 'starting', 'a failure leaves starting as it is')
  markHealthStarting(store, 'c1')
  t.like(readHealth(store, 'c1'), {Status: 'starting', FailingStreak: 1})
  t.is(readHealth(store, 'c1').Log?.length, 1)
  t.is(recordHealthResult(store, 'c1', entry(0, 'fine'), 3, false), 'healthy')
  t.like(readHealth(store, 'c1'), {Status: 'healthy', FailingStreak: 0})
  t.true(fs.existsSync(healthLogPath(store, 'c1')))
})

test('retries failures in a row make it unhealthy; the first failure of one never checked is healthy', (t) => {
  const store = fakeStore(t)
  t.is(recordHealthResult(store, 'c1', entry(1), 3, false), 'healthy')
  t.is(recordHealthResult(store, 'c1', entry(1), 3, false), 'healthy')
  t.is(recordHealthResult(store, 'c1', entry(-1), 3, false), 'unhealthy')
  t.is(readHealth(store, 'c1').FailingStreak, 3)
  t.is(recordHealthResult(store, 'c1', entry(0), 3, false), 'healthy')
  t.is(readHealth(store, 'c1').FailingStreak, 0)
})

test('failures in the start period do not count', (t) => {
  const store = fakeStore(t)
  markHealthStarting(store, 'c1')
  t.is(recordHealthResult(store, 'c1', entry(1), 1, true), 'starting')
  t.is(readHealth(store, 'c1').FailingStreak, 0)
  t.is(recordHealthResult(store, 'c1', entry(1), 1, false), 'unhealthy')
})

test('the last five results are kept, each output cut at 500 characters', (t) => {
  const store = fakeStore(t)
  for (let i = 0; i < 7; i++) recordHealthResult(store, 'c1', entry(0, `run ${i}`), 3, false)
  recordHealthResult(store, 'c1', entry(0, 'x'.repeat(600)), 3, false)
  const log = readHealth(store, 'c1').Log ?? []
  t.deepEqual(log.map((e) => e.Output.slice(0, 5)), ['run 3', 'run 4', 'run 5', 'run 6', 'xxxxx'])
  t.is(log[4].Output.length, 500)
})

test('healthStatusOf: undefined without a healthcheck, else the recorded status', (t) => {
  const store = fakeStore(t)
  const without = {config: {id: 'c1'}} as unknown as Container
  const withCheck = {config: {id: 'c1', healthcheck: {Test: ['CMD', 'true']}}} as unknown as Container
  markHealthStarting(store, 'c1')
  t.is(healthStatusOf(store, without), undefined)
  t.is(healthStatusOf(store, withCheck), 'starting')
})
