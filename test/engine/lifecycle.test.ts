// @userns
// The lifecycle verbs (src/engine/lifecycle.ts) on a real store with detached containers: each
// target's outcome is told as it comes, the flags that pick targets (--all, --running, -i), and
// the --rm clean-up when a start fails. (The foreground loops run the CLI: test/commands/.)
import test from 'ava'

import {ContainerLifecycle} from '../../src/engine/lifecycle'
import {NoSuchContainerError, UsageError} from '../../src/engine/errors'
import {createInput, engineFixture} from './engine-fixture'

async function lifecycleFixture(t: Parameters<typeof engineFixture>[0]) {
  const fixture = await engineFixture(t)
  return {...fixture, lifecycle: new ContainerLifecycle(fixture.store, fixture.records, fixture.engine.registries)}
}

test('start, stop, kill, restart and rm tell each target as it comes and return the failures', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const a = (await lifecycle.create(createInput('busybox', {name: 'a', args: ['sleep', '1000']}))).container.config.id
  await lifecycle.create(createInput('busybox', {name: 'b', args: ['sleep', '1000']}))
  const told = (verb: string) => {
    const log: string[] = []
    return {log, events: {onDone: (name: string) => log.push(`${verb} ${name}`), onError: (err: unknown) => log.push(`${verb} error ${(err as Error).constructor.name}`)}}
  }

  const start = told('start')
  const {errors} = await lifecycle.start({names: ['a', 'nope', 'b']}, start.events)
  t.deepEqual(start.log, ['start a', 'start error NoSuchContainerError', 'start b'])
  t.is(errors.length, 1)
  t.true(errors[0] instanceof NoSuchContainerError)
  t.is(records.get(a)!.state.status, 'running')

  // start on a running container is done without starting it again
  const pid = records.get(a)!.state.pid
  t.deepEqual((await lifecycle.start({names: ['a']})).errors, [])
  t.is(records.get(a)!.state.pid, pid)

  const restart = told('restart')
  t.deepEqual(await lifecycle.restart({names: [], running: true, timeout: 0}, restart.events), [])
  t.deepEqual(restart.log.sort(), [`restart ${a}`, `restart ${records.lookup('b').config.id}`].sort())
  t.not(records.get(a)!.state.pid, pid)

  const kill = told('kill')
  t.deepEqual(await lifecycle.kill({names: ['a'], signal: 'SIGKILL'}, kill.events), [])
  t.deepEqual(kill.log, ['kill a'])
  const codes: number[] = []
  await lifecycle.wait(['a'], {onExitCode: (code) => codes.push(code)})
  t.deepEqual(codes, [137])

  const stop = told('stop')
  t.deepEqual(await lifecycle.stop({names: ['nope', 'b'], ignore: true, timeout: 0}, stop.events), [])
  t.deepEqual(stop.log, ['stop b'])
  t.is(records.lookup('b').state.status, 'exited')

  const rm = told('rm')
  t.deepEqual(await lifecycle.remove({names: ['a', 'nope', 'b'], ignore: true}, rm.events), [])
  t.deepEqual(rm.log, ['rm a', 'rm b'])
  t.deepEqual(records.list(), [])
})

test('start --attach takes one container that is not running', async (t) => {
  const {lifecycle} = await lifecycleFixture(t)
  await lifecycle.create(createInput('busybox', {name: 'a', args: ['sleep', '1000']}))
  await lifecycle.create(createInput('busybox', {name: 'b', args: ['true']}))
  await t.throwsAsync(lifecycle.start({names: ['a', 'b'], attach: true}), {instanceOf: UsageError, message: 'you cannot start and attach multiple containers at once'})
  await lifecycle.start({names: ['a']})
  const id = lifecycle.records.lookup('a').config.id
  await t.throwsAsync(lifecycle.start({names: ['a'], attach: true}), {instanceOf: UsageError, message: `container ${id} is already running; tspod cannot attach to a running container`})
})

test('run -d --rm: a container whose command cannot start is removed with the failure', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const err = await t.throwsAsync(lifecycle.run(createInput('busybox', {name: 'broken', args: ['/no/such/program'], autoRemove: true}), {detach: true}))
  t.regex(err!.message, /\/no\/such\/program/)
  t.deepEqual(records.list(), [])
  // without --rm it stays, to be looked at
  await t.throwsAsync(lifecycle.run(createInput('busybox', {name: 'kept', args: ['/no/such/program']}), {detach: true}))
  t.truthy(records.lookup('kept'))
})

test('wait: the exit code of each container, a missing one an error', async (t) => {
  const {lifecycle} = await lifecycleFixture(t)
  const {id} = await lifecycle.run(createInput('busybox', {args: ['sh', '-c', 'exit 7']}), {detach: true})
  const codes: number[] = []
  const failed: unknown[] = []
  const errors = await lifecycle.wait([id, 'nope'], {onExitCode: (code) => codes.push(code), onError: (err) => failed.push(err)})
  t.deepEqual(codes, [7])
  t.is(errors.length, 1)
  t.deepEqual(failed, errors)
  t.true(errors[0] instanceof NoSuchContainerError)
})
