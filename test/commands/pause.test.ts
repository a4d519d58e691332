// `pause`/`unpause` and `pod pause`/`pod unpause` through the CLI as the rootless user: a paused
// container's processes stop (SIGSTOP, state T) until unpause; its state in ps and inspect; the
// verbs a paused container refuses, and those that still reach it; events.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {processState} from '../../src/runtime/container/processes'
import {privateEventsLog, sandboxWithImages} from '../helpers/image-sandbox'
import {processAlive} from '../helpers/processes'
import {Sandbox, tspod, tspodExitAndStderr as refused, tspodOk as ok} from '../helpers/rootless'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The numbers the counter has written to its log so far. */
async function counted(box: Sandbox, name: string): Promise<number> {
  return (await ok(box, ['logs', name])).split('\n').filter(Boolean).length
}



test('a paused counter stops advancing and resumes after unpause; ps, inspect and the process state say paused; wait does not return', async (t) => {
  const box = await sandboxWithImages(t)
  privateEventsLog(box)
  const id = (await ok(box, ['run', '-d', '--name', 'counter', 'busybox', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.1; done'])).trim()
  await sleep(600)
  const waiting = tspod(box, ['wait', 'counter'])
  t.is(await ok(box, ['pause', 'counter']), 'counter\n')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.Paused}} {{.State.Running}}', 'counter']), 'paused true false\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']), 'counter Paused\n')
  t.is(await ok(box, ['ps', '-q']), '', 'plain ps lists running containers only, as Podman')
  t.is(await ok(box, ['ps', '-q', '--no-trunc', '--filter', 'status=paused']), `${id}\n`)
  const pid = Number(await ok(box, ['inspect', '--format', '{{.State.Pid}}', 'counter']))
  t.is(processState(pid), 'T', 'stopped by signal')
  await sleep(300)
  const before = await counted(box, 'counter')
  await sleep(1000)
  t.is(await counted(box, 'counter'), before, 'no number written while paused')

  t.is(await ok(box, ['unpause', id.slice(0, 12)]), `${id.slice(0, 12)}\n`)
  t.regex(await ok(box, ['ps', '--format', '{{.Names}} {{.Status}}']), /^counter Up /)
  await sleep(1000)
  t.true((await counted(box, 'counter')) > before + 3, 'counting again')
  t.not(processState(pid), 'T')

  let settled = false
  void waiting.then(() => (settled = true))
  await sleep(300)
  t.false(settled, 'wait did not take the pause for an exit')
  await ok(box, ['pause', 'counter'])
  t.is(await ok(box, ['rm', '-f', 'counter']), 'counter\n', 'rm -f ends a paused container')
  t.false(processAlive(pid))
  t.is((await waiting).stdout, '137\n')
  const events = await ok(box, ['events', '--stream=false', '--filter', 'container=counter', '--format', '{{.Status}}'])
  // died: when the monitor records the exit before rm takes the record (as for rm -f of a running one)
  t.regex(events, /^create\ninit\nstart\npause\nunpause\npause\n(died\n)?remove\n$/)
})

test('a paused container: exec, start, stop, restart, rm, pause again and unpause of a running one are refused in Podman\'s words; kill reaches it', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['run', '-d', '--name', 'p', 'busybox', 'sleep', '300'])).trim()
  t.deepEqual(await refused(box, ['unpause', 'p']), [125, `Error: "${id}" is not paused, can't unpause: container state improper\n`])
  await ok(box, ['pause', 'p'])
  t.deepEqual(await refused(box, ['pause', 'p']), [125, `Error: "${id}" is already paused: container state improper\n`])
  t.deepEqual(await refused(box, ['exec', 'p', 'true']), [125, 'Error: can only create exec sessions on running containers: container state improper\n'])
  t.deepEqual(await refused(box, ['start', 'p']), [125, `Error: unable to start container "${id}": cannot start paused container ${id}: container state improper\n`])
  t.deepEqual(await refused(box, ['stop', 'p']), [125, `Error: container ${id} is running or paused, refusing to clean up: container state improper\n`])
  t.deepEqual(await refused(box, ['restart', 'p']), [125, 'Error: unable to restart a container in a paused or unknown state: container state improper\n'])
  t.deepEqual(await refused(box, ['rm', 'p']), [2, `Error: cannot remove container ${id} as it is paused - running or paused containers cannot be removed without force: container state improper\n`])
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', 'p']), 'paused\n', 'still paused after the refusals')
  t.is(await ok(box, ['kill', 'p']), 'p\n')
  t.is(await ok(box, ['wait', 'p']), '137\n')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'p']), 'exited 137\n')
  t.deepEqual(await refused(box, ['pause', 'p']), [125, 'Error: "exited" is not running, can\'t pause: container state improper\n'])
})

test('pause/unpause --all, --filter, --latest, --cidfile; missing names and no names are one-line errors with 125', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'idle', 'busybox', 'true'])
  const a = (await ok(box, ['run', '-d', '--name', 'a', 'busybox', 'sleep', '300'])).trim()
  const cidfile = path.join(box.dir, 'b.cid')
  await ok(box, ['run', '-d', '--name', 'b', '--cidfile', cidfile, 'busybox', 'sleep', '300'])
  const b = fs.readFileSync(cidfile, 'utf8').trim()
  t.is(await ok(box, ['pause', '--all']), `${a}\n${b}\n`, 'the created one passed over in silence')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}', '--filter', 'status=paused']), 'a Paused\nb Paused\n')
  t.is(await ok(box, ['info', '--format', '{{.Store.ContainerStore.Paused}} {{.Store.ContainerStore.Running}} {{.Store.ContainerStore.Stopped}}']), '2 0 1\n')
  t.is(await ok(box, ['unpause', '--filter', 'name=a']), `${a}\n`)
  t.is(await ok(box, ['unpause', '--all']), `${b}\n`, 'only the paused one')
  t.is(await ok(box, ['pause', '--latest']), `${b}\n`)
  t.is(await ok(box, ['container', 'unpause', '--cidfile', cidfile]), `${b}\n`)
  t.is(await ok(box, ['ps', '--format', '{{.Names}}']), 'a\nb\n')

  t.deepEqual(await refused(box, ['pause']), [125, 'Error: you must provide at least one name or id\n'])
  t.deepEqual(await refused(box, ['unpause', 'nosuch']), [125, 'Error: no container with name or ID "nosuch" found: no such container\n'])
  t.deepEqual(await refused(box, ['pause', '--all', '--latest']), [125, 'Error: --all and --latest cannot be used together\n'])
  t.deepEqual(await refused(box, ['pause', 'idle']), [125, 'Error: "created" is not running, can\'t pause: container state improper\n'])
  await ok(box, ['rm', '-f', '-t', '0', 'a', 'b', 'idle'])
})

test('pod pause/unpause: every running container of the pod, infra included; the pod Paused, then Running; pod rm -f and pod kill reach a paused pod', async (t) => {
  const box = await sandboxWithImages(t)
  privateEventsLog(box)
  const podId = (await ok(box, ['pod', 'create', '--name', 'pp'])).trim()
  await ok(box, ['run', '-d', '--pod', 'pp', '--name', 'member', 'busybox', 'sleep', '300'])
  t.is(await ok(box, ['pod', 'pause', 'pp']), `${podId}\n`)
  t.is(await ok(box, ['pod', 'ps', '--format', '{{.Name}} {{.Status}}']), 'pp Paused\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Status}}']), 'Paused\nPaused\n')
  t.is(await ok(box, ['pod', 'unpause', '--latest']), `${podId}\n`)
  t.is(await ok(box, ['pod', 'inspect', '--format', '{{.State}}', 'pp']), 'Running\n')
  t.is(await ok(box, ['pod', 'pause', '--all']), `${podId}\n`)
  const events = await ok(box, ['events', '--stream=false', '--filter', 'type=pod', '--format', '{{.Status}} {{.Name}}'])
  t.is(events, 'pause pp\nunpause pp\npause pp\n')
  t.deepEqual(await refused(box, ['pod', 'pause', 'nosuch']), [125, 'Error: no pod with name or ID nosuch found: no such pod\n'])
  t.deepEqual(await refused(box, ['pod', 'unpause', '--latest', 'pp']), [125, 'Error: --latest and containers cannot be used together\n'])
  t.deepEqual((await refused(box, ['pod', 'rm', 'pp']))[0], 125)
  t.is(await ok(box, ['pod', 'stop', '-t', '0', 'pp']), `${podId}\n`, 'pod stop passes paused containers over, as Podman\'s')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Status}}']), 'Paused\nPaused\n')
  t.is(await ok(box, ['pod', 'rm', '-f', 'pp']), `${podId}\n`)
  t.is(await ok(box, ['ps', '-aq']), '')

  // pod kill reaches paused containers, as libpod's
  await ok(box, ['pod', 'create', '--name', 'pk'])
  await ok(box, ['run', '-d', '--pod', 'pk', '--name', 'pkm', 'busybox', 'sleep', '300'])
  await ok(box, ['pod', 'pause', 'pk'])
  await ok(box, ['pod', 'kill', 'pk'])
  t.is(await ok(box, ['wait', 'pkm']), '137\n')
  t.is(await ok(box, ['pod', 'rm', 'pk']).then((out) => out.length > 0), true)
})

test('a container that joined another\'s pid namespace is not paused with it; each pauses on its own', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'owner', 'busybox', 'sleep', '300'])
  await ok(box, ['run', '-d', '--name', 'joiner', '--pid', 'container:owner', 'busybox', 'sleep', '300'])
  const pidOf = async (name: string) => Number(await ok(box, ['inspect', '--format', '{{.State.Pid}}', name]))
  const [owner, joiner] = [await pidOf('owner'), await pidOf('joiner')]
  await ok(box, ['pause', 'owner'])
  t.is(processState(owner), 'T')
  t.not(processState(joiner), 'T', 'the joiner runs on')
  await ok(box, ['pause', 'joiner'])
  await ok(box, ['unpause', 'owner'])
  t.not(processState(owner), 'T')
  t.is(processState(joiner), 'T', 'the joiner stays paused')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}', '--filter', 'status=paused']), 'joiner Paused\n')
  await ok(box, ['rm', '-f', '-t', '0', 'joiner', 'owner'])
})

test('a paused foreground run waits on, and ends with its command\'s code after unpause; a restart policy does not fire on pause', async (t) => {
  const box = await sandboxWithImages(t)
  const fg = tspod(box, ['run', '--name', 'fg', 'busybox', 'sh', '-c', 'sleep 3; echo done; exit 4'])
  let ended = false
  void fg.then(() => (ended = true))
  for (let i = 0; i < 100 && (await tspod(box, ['inspect', '--format', '{{.State.Status}}', 'fg'])).stdout !== 'running\n'; i++) await sleep(100)
  await ok(box, ['pause', 'fg'])
  // paused before its 3 s were up (else pause had failed): 4 s later it would have ended unpaused
  await sleep(4000)
  t.false(ended, 'the foreground CLI did not take the stopped command for an exited one')
  await ok(box, ['unpause', 'fg'])
  const r = await fg
  t.is(r.code, 4)
  t.is(r.stdout, 'done\n')

  await ok(box, ['run', '-d', '--name', 'always', '--restart', 'always', 'busybox', 'sleep', '300'])
  await ok(box, ['pause', 'always'])
  await sleep(1000)
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.RestartCount}}', 'always']), 'paused 0\n')
  await ok(box, ['unpause', 'always'])
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.RestartCount}}', 'always']), 'running 0\n')
  await ok(box, ['rm', '-f', '-t', '0', 'always', 'fg'])
})
