// followStartedOutput: `start -a` of an initialized container follows its log from where it
// ended at the start (an earlier run's output is not shown again) until the container has
// exited, each entry to its stream, and resolves with the recorded exit code.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {Container, ContainerState} from '../../../src/runtime/container/config'
import {followStartedOutput} from '../../../src/runtime/container/initialized-attach'
import type {Store} from '../../../src/storage/store/store'

function line(stream: 'stdout' | 'stderr', content: string, partial = false): string {
  return `2026-01-01T00:00:00.000000000Z ${stream} ${partial ? 'P' : 'F'} ${content}\n`
}

test('only the output written after the start, to its own stream, until the exit; the exit code recorded', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-init-attach-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const log = path.join(dir, 'ctr.log')
  fs.writeFileSync(log, line('stdout', 'from the last run'))
  let state: ContainerState = {status: 'initialized', pid: 1, exitCode: 0}
  const container = {config: {id: 'c1', log: {driver: 'k8s-file', path: log, size: 0}}, state} as unknown as Container
  const records = {get: () => ({...container, state}), removedExitCode: () => undefined}
  const written = {stdout: '', stderr: ''}
  const out = {stdout: {write: (s: string) => (written.stdout += s)}, stderr: {write: (s: string) => (written.stderr += s)}}
  const start = async () => {
    state = {...state, status: 'running'}
    fs.appendFileSync(log, line('stdout', 'hello'))
    setTimeout(() => {
      fs.appendFileSync(log, line('stderr', 'oops') + line('stdout', 'no newline', true))
      state = {...state, status: 'exited', pid: 0, exitCode: 3}
    }, 120)
  }
  const code = await followStartedOutput({} as Store, records, container, start, out)
  t.is(code, 3)
  t.is(written.stdout, 'hello\nno newline')
  t.is(written.stderr, 'oops\n')
})

test('a container removed meanwhile (--rm) gives the exit code kept for it', async (t) => {
  const container = {config: {id: 'c2', log: {driver: 'none', size: 0}}, state: {status: 'initialized', pid: 1, exitCode: 0}} as unknown as Container
  const records = {get: () => undefined, removedExitCode: () => 7}
  t.is(await followStartedOutput({} as Store, records, container, async () => undefined, {stdout: {write: () => true}, stderr: {write: () => true}}), 7)
})
