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
  return {...fixture, lifecycle: new ContainerLifecycle(fixture.store, fixture.records, fixture.engine.registries, fixture.engine.events)}
}

test('start, stop, kill, restart and rm tell each target as it comes and return the failures', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const a = (await lifecycle.create(createInput('busybox', {name: 'a', args: ['sleep', '1000']}))).container.config.id
  await lifecycle.create(createInput('busybox', {name: 'b', args: ['sleep', '1000']}))
  const told = (verb: string) => {
    const log: string[] = []
    return {log, events: {onDone: (name: string) => log.push(`${verb} ${name}`), onError: (err: unknown) => log.push(`${verb} error ${(err as Error).constructor.name}`)}}
  }

  // as Podman's: every name must exist before any is started
  const start = told('start')
  await t.throwsAsync(lifecycle.start({names: ['a', 'nope', 'b']}, start.events), {instanceOf: NoSuchContainerError})
  t.deepEqual(start.log, [])
  const {errors} = await lifecycle.start({names: ['a', 'b']}, start.events)
  t.deepEqual(start.log, ['start a', 'start b'])
  t.deepEqual(errors, [])
  t.is(records.get(a)!.state.status, 'running')

  // start on a running container leaves it, and tells nothing
  const pid = records.get(a)!.state.pid
  const again = told('start')
  t.deepEqual((await lifecycle.start({names: ['a']}, again.events)).errors, [])
  t.deepEqual(again.log, [])
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

test('start --filter picks the matching containers (by ID); --all every one; a failed start is the engine\'s error', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const always = (await lifecycle.create(createInput('busybox', {name: 'always', args: ['sleep', '1000'], restart: 'always'}))).container.config.id
  const plain = (await lifecycle.create(createInput('busybox', {name: 'plain', args: ['true']}))).container.config.id
  const log: string[] = []
  const events = {onDone: (name: string) => log.push(name)}
  await lifecycle.start({names: [plain], filters: ['restart-policy=always']}, events)
  t.deepEqual(log, [], 'plain has no policy')
  await lifecycle.start({names: ['plain'], filters: ['restart-policy=none']}, events)
  t.deepEqual(log, [plain], 'told by ID')
  await t.throwsAsync(lifecycle.start({names: [], filters: ['restart-policy=fakepolicy']}), {instanceOf: UsageError, message: 'fakepolicy invalid restart policy'})
  await lifecycle.wait([plain], {onExitCode: () => undefined})

  const broken = (await lifecycle.create(createInput('busybox', {name: 'broken', args: ['/no/such/program']}))).container.config.id
  const failed: unknown[] = []
  const {errors} = await lifecycle.start({names: [], all: true}, {onDone: (name) => log.push(name), onError: (err) => failed.push(err)})
  t.is(errors.length, 1)
  t.deepEqual(failed, errors)
  t.is((errors[0] as Error).constructor.name, 'TspodError', 'exit 125, whatever stopped the command')
  t.regex((errors[0] as Error).message, new RegExp(`^unable to start container "${broken}": .*/no/such/program`))
  t.true(log.includes(always) && log.filter((n) => n === plain).length === 2)
  await lifecycle.stop({names: ['always'], timeout: 0})
  t.is(records.get(always)!.state.status, 'exited')
})

test('--restart: the monitor starts the container again as its policy says, not after a stop', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const {id} = await lifecycle.run(createInput('busybox', {name: 'flaky', args: ['sh', '-c', 'exit 3'], restart: 'on-failure:2'}), {detach: true})
  const settled = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await settled(() => records.get(id)!.state.restartCount === 2 && records.get(id)!.state.status === 'exited')
  // give a third start (which must not come) the time to happen
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const state = records.get(id)!.state
  t.is(state.restartCount, 2)
  t.is(state.status, 'exited')
  t.is(state.exitCode, 3)

  const forever = (await lifecycle.run(createInput('busybox', {name: 'forever', args: ['sleep', '0.2'], restart: 'always'}), {detach: true})).id
  await settled(() => (records.get(forever)!.state.restartCount ?? 0) >= 2)
  t.true((records.get(forever)!.state.restartCount ?? 0) >= 2)
  await lifecycle.stop({names: ['forever'], timeout: 0})
  await settled(() => records.get(forever)!.state.status === 'exited')
  const count = records.get(forever)!.state.restartCount
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.is(records.get(forever)!.state.status, 'exited', 'stopped by the user: not restarted')
  t.is(records.get(forever)!.state.restartCount, count)
})

test('create --replace removes the container of that name first, running or not', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const {id: first} = await lifecycle.run(createInput('busybox', {name: 'twin', args: ['sleep', '1000']}), {detach: true})
  const second = (await lifecycle.create(createInput('busybox', {name: 'twin', args: ['true']}, {replace: true}))).container.config.id
  t.not(second, first)
  t.is(records.get(first), undefined)
  t.is(records.lookup('twin').config.id, second)
})

test('wait --condition: -1 once in a named state; stopped/exited wait for the exit; bad ones are usage errors', async (t) => {
  const {lifecycle} = await lifecycleFixture(t)
  const id = (await lifecycle.create(createInput('busybox', {name: 'w', args: ['sh', '-c', 'sleep 3; exit 4']}))).container.config.id
  const codes: number[] = []
  const onExitCode = (code: number) => codes.push(code)
  await lifecycle.wait([id], {onExitCode}, {conditions: ['created', 'configured']})
  t.deepEqual(codes, [-1], 'created already')
  const running = lifecycle.wait([id], {onExitCode}, {conditions: ['running'], interval: '20'})
  await lifecycle.start({names: [id]})
  await running
  t.deepEqual(codes, [-1, -1])
  await lifecycle.wait([id], {onExitCode}, {conditions: ['running', 'stopped']})
  t.is(codes.length, 3)
  await lifecycle.wait([id], {onExitCode}, {conditions: ['exited']})
  t.is(codes[3], 4)
  await t.throwsAsync(lifecycle.wait([id], {onExitCode}, {conditions: ['asleep']}), {instanceOf: UsageError, message: 'unknown container state: asleep: invalid argument'})
  await t.throwsAsync(lifecycle.wait([id], {onExitCode}, {interval: 'soon'}), {instanceOf: UsageError, message: 'time: invalid duration "soon"'})
})

test('stop --all tells every container, stopped ones too; stop and restart --filter pick the matching ones', async (t) => {
  const {lifecycle, records} = await lifecycleFixture(t)
  const up = (await lifecycle.run(createInput('busybox', {name: 'up', args: ['sleep', '1000'], labels: ['pick=yes']}), {detach: true})).id
  const idle = (await lifecycle.create(createInput('busybox', {name: 'idle', args: ['true']}))).container.config.id
  const log: string[] = []
  const events = {onDone: (name: string) => log.push(name)}
  t.deepEqual(await lifecycle.restart({names: [], filters: ['label=pick=yes'], timeout: 0}, events), [])
  t.deepEqual(log, [up])
  t.is(records.get(idle)!.state.status, 'created', 'not picked')
  log.length = 0
  t.deepEqual(await lifecycle.stop({names: [], filters: ['name=^idle$'], timeout: 0}, events), [])
  t.deepEqual(log, [idle])
  t.is(records.get(up)!.state.status, 'running')
  log.length = 0
  t.deepEqual(await lifecycle.stop({names: [], all: true, timeout: 0}, events), [])
  t.deepEqual(log.sort(), [up, idle].sort())
  t.is(records.get(up)!.state.status, 'exited')
  log.length = 0
  t.deepEqual(await lifecycle.remove({names: [], filters: ['label=pick']}, events), [])
  t.deepEqual(log, [up])
  t.deepEqual(records.list().map((c) => c.config.id), [idle])
})
