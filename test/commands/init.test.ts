// @userns
// `init` / `container init` through the CLI as the rootless user: the container's process made
// under its monitor and held before its program (state initialized, a pid and a monitor), `start`
// and `start -a` running the program, init's refusals in Podman's words, stop/kill/rm of an
// initialized container, nothing left behind, and the same with --runtime crun.
import test from 'ava'

import {privateEventsLog, sandboxWithImages} from '../helpers/image-sandbox'
import {processAlive} from '../helpers/processes'
import {Sandbox, tspod, tspodExitAndStderr as refused, tspodOk as ok} from '../helpers/rootless'

async function pids(box: Sandbox, name: string): Promise<[number, number]> {
  const [pid, monitor] = (await ok(box, ['inspect', '--format', '{{.State.Pid}} {{.State.ConmonPid}}', name])).trim().split(' ').map(Number)
  return [pid, monitor]
}

for (const runtime of [[], ['--runtime', 'crun']]) {
  const which = runtime.length > 0 ? 'with --runtime crun' : 'native'
  test.serial(`${which}: init holds the process before its program; start -a runs it, its output and exit code; init again after the exit; rm without -f`, async (t) => {
    const box = await sandboxWithImages(t)
    privateEventsLog(box)
    const id = (await ok(box, [...runtime, 'create', '--name', 'i1', 'busybox', 'sh', '-c', 'echo hello; echo err >&2; exit 3'])).trim()
    t.is(await ok(box, ['init', 'i1']), 'i1\n')
    t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']), 'i1 Initialized\n')
    t.is(await ok(box, ['ps', '-q']), '', 'not running')
    t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.Running}} {{.State.StartedAt}}', 'i1']), 'initialized false 0001-01-01T00:00:00Z\n')
    const [pid, monitor] = await pids(box, 'i1')
    t.true(pid > 0 && processAlive(pid), 'the held process')
    t.true(monitor > 0 && processAlive(monitor), 'its monitor')
    t.is(await ok(box, ['logs', 'i1']), '', 'the program has not run')
    t.deepEqual(await refused(box, ['container', 'init', 'i1']), [125, `Error: container ${id} has already been created in runtime: container state improper\n`])

    const r = await tspod(box, ['start', '-a', 'i1'])
    t.is(r.code, 3)
    t.is(r.stdout, 'hello\n')
    t.is(r.stderr, 'err\n')
    t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'i1']), 'exited 3\n')
    t.false(processAlive(pid))

    t.is(await ok(box, ['init', id.slice(0, 12)]), `${id.slice(0, 12)}\n`, 'an exited one is initialized again')
    t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'i1']), 'initialized 0\n')
    const [again, againMonitor] = await pids(box, 'i1')
    t.is(await ok(box, ['rm', 'i1']), 'i1\n', 'removed without -f')
    t.false(processAlive(again), 'no process left')
    for (let i = 0; i < 50 && processAlive(againMonitor); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    t.false(processAlive(againMonitor), 'no monitor left')
    const events = await ok(box, ['events', '--stream=false', '--filter', 'container=i1', '--format', '{{.Status}}'])
    t.regex(events, /^create\ninit\nstart\nattach\n(died\n)?init\n(died\n)?remove\n$/)
  })

  test.serial(`${which}: init then start runs the program under the monitor; rm -f of an initialized one leaves no process`, async (t) => {
    const box = await sandboxWithImages(t)
    await ok(box, [...runtime, 'create', '--name', 'svc', 'busybox', 'sh', '-c', 'echo up; sleep 300'])
    await ok(box, ['init', 'svc'])
    t.is(await ok(box, ['start', 'svc']), 'svc\n')
    t.regex(await ok(box, ['ps', '--format', '{{.Names}} {{.Status}}']), /^svc Up /)
    for (let i = 0; i < 50 && (await ok(box, ['logs', 'svc'])) === ''; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    t.is(await ok(box, ['logs', 'svc']), 'up\n')
    await ok(box, ['rm', '-f', '-t', '0', 'svc'])

    await ok(box, [...runtime, 'create', '--name', 'held', 'busybox', 'sleep', '300'])
    await ok(box, ['init', 'held'])
    const [pid, monitor] = await pids(box, 'held')
    t.is(await ok(box, ['rm', '-f', 'held']), 'held\n')
    t.false(processAlive(pid))
    for (let i = 0; i < 50 && processAlive(monitor); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    t.false(processAlive(monitor))
    t.is(await ok(box, ['ps', '-a', '-q']), '')
  })
}

test.serial('kill refuses an initialized container; stop ends it (its held process ignores SIGTERM, as crun\'s does): exited 137', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['create', '--name', 's1', 'busybox', 'sleep', '300'])).trim()
  await ok(box, ['init', 's1'])
  t.deepEqual(await refused(box, ['kill', 's1']), [125, `Error: can only kill running containers. ${id} is in state initialized: container state improper\n`])
  const r = await tspod(box, ['stop', '-t', '1', 's1'])
  t.is(r.code, 0)
  t.is(r.stdout, 's1\n')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}', 's1']), 'exited 137 0\n')
  await ok(box, ['rm', 's1'])
})

test.serial('init --all, --latest; no names, names with --all and a missing one are one-line errors with 125', async (t) => {
  const box = await sandboxWithImages(t)
  const a = (await ok(box, ['create', '--name', 'a', 'busybox', 'true'])).trim()
  const b = (await ok(box, ['create', '--name', 'b', 'busybox', 'true'])).trim()
  t.is(await ok(box, ['init', '--latest']), `${b}\n`)
  t.is(await ok(box, ['init', '--all']), `${a}\n${b}\n`, 'one already initialized is told without an error, as Podman')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']), 'a Initialized\nb Initialized\n')
  await ok(box, ['create', '--name', 'c', 'busybox', 'true'])
  t.is(await ok(box, ['ps', '-a', '--filter', 'status=initialized', '--format', '{{.Names}}']), 'a\nb\n')
  t.is(await ok(box, ['ps', '-a', '--filter', 'status=created', '--format', '{{.Names}}']), 'c\n')
  t.is(await ok(box, ['info', '--format', '{{.Store.ContainerStore.Stopped}} {{.Store.ContainerStore.Running}}']), '3 0\n', 'counted as stopped, as Podman')
  t.deepEqual(await refused(box, ['init']), [125, 'Error: you must provide at least one name or id\n'])
  t.deepEqual(await refused(box, ['init', '--all', 'a']), [125, 'Error: no arguments are needed with --all\n'])
  t.deepEqual(await refused(box, ['init', 'nope']), [125, 'Error: no container with name or ID "nope" found: no such container\n'])
  await ok(box, ['rm', '-a'])
})

test.serial('--timeout counts from start, not from init: a container held longer than its timeout still runs once started', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 't', '--timeout', '2', 'busybox', 'sleep', '100'])
  await ok(box, ['init', 't'])
  await new Promise((resolve) => setTimeout(resolve, 2500))
  await ok(box, ['start', 't'])
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', 't']), 'running\n')
  t.is(await ok(box, ['wait', 't']), '-1\n', 'killed by its timeout after all')
  await ok(box, ['rm', 't'])
})

test.serial('init of a container whose program cannot be found fails as crun\'s create does (125, still created)', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'n', 'busybox', 'nonexist'])
  t.deepEqual(await refused(box, ['init', 'n']), [125, 'Error: executable file `nonexist` not found in $PATH: No such file or directory\n'])
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', 'n']), 'created\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']), 'n Created\n')
  await ok(box, ['create', '--name', 'abs', 'busybox', '/bin/nonexist'])
  t.is((await refused(box, ['init', 'abs']))[0], 125)
  await ok(box, ['rm', 'n', 'abs'])
})
