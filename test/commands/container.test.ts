// The container lifecycle through the CLI, as the rootless user: kept containers, detached
// ones under their monitor, logs, stop/kill/restart/wait, rm, ps, inspect, exists.
import test from 'ava'
import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, leftovers, sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, TSPOD_BIN, runAs, tspod, tspodOk as ok, userEnv} from '../helpers/rootless'
import {processAlive, until} from '../helpers/processes'

function containerDirs(box: Sandbox): string[] {
  const dir = path.join(graphRoot(box), 'containers')
  return fs.existsSync(dir) ? fs.readdirSync(dir) : []
}

test('run without --rm keeps the container: ps -a shows it exited, logs has its output, rm removes everything', async (t) => {
  const box = await sandboxWithImages(t)
  const r = await tspod(box, ['run', '--name', 'kept', 'busybox', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3'])
  t.is(r.code, 3)
  t.is(r.stdout, 'to-out\n')
  t.is(r.stderr, 'to-err\n')
  const ps = await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}} {{.Image}} {{.Command}}'])
  t.regex(ps, /^kept Exited \(3\) .* ago localhost\/busybox:latest sh -c echo to-out\.\.\.\n$/)
  t.is(await ok(box, ['ps', '-q']), '', 'not running: plain ps lists nothing')
  t.is(await ok(box, ['ps', '--external', '-q']), '', '--external adds only containers tspod does not manage: none')
  t.regex(await ok(box, ['ps', '--all', '--external', '--format', '{{.Names}}']), /^kept\n$/)
  const logs = await tspod(box, ['logs', 'kept'])
  t.is(logs.stdout, 'to-out\n')
  t.is(logs.stderr, 'to-err\n')
  t.regex(await ok(box, ['logs', '-t', 'kept']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d to-out\n$/)
  t.is(containerDirs(box).length, 1)
  t.is(await ok(box, ['rm', 'kept']), 'kept\n')
  t.deepEqual(containerDirs(box), [])
  t.is(await ok(box, ['ps', '-a', '-q']), '')
  t.deepEqual(leftovers(box), [])
})

test('run --rm leaves nothing behind: no record, no container dir, no bundle, no mount', async (t) => {
  const box = await sandboxWithImages(t)
  const runRoot = path.join(box.dir, 'run')
  const r = await tspod(box, ['--runroot', runRoot, 'run', '--rm', 'busybox', 'sh', '-c', 'echo hi > /new-file; cat /new-file'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'hi\n')
  t.is(await ok(box, ['--runroot', runRoot, 'ps', '-a', '-q']), '')
  t.deepEqual(containerDirs(box), [])
  t.deepEqual(fs.readdirSync(path.join(runRoot, 'containers')), [])
  t.false(fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(box.dir))
  t.deepEqual(leftovers(box), [])
})

test('rm removes what the container wrote as other users too: subordinate-id dirs, mode 000 dirs, a deleted image file', async (t) => {
  const box = await sandboxWithImages(t)
  const script = 'mkdir -p /d/e && touch /d/e/f && chown -R 1000:1000 /d && chmod 000 /d/e /d; mkdir /mine && chmod 000 /mine; rm /bin/ls'
  t.is((await tspod(box, ['run', '--name', 'writer', 'busybox', 'sh', '-c', script])).code, 0)
  const [id] = containerDirs(box)
  const upper = path.join(graphRoot(box), 'containers', id, 'upper')
  t.is(fs.statSync(path.join(upper, 'd')).uid, 100000 + 999, 'container uid 1000 is subordinate id 100999 (setup-host: 100000:65536)')
  t.is(await ok(box, ['rm', 'writer']), 'writer\n')
  t.deepEqual(containerDirs(box), [])
  t.deepEqual(leftovers(box), [])
})

test('--name is unique, in Podman\'s words; a bad name is refused', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['create', '--name', 'one', 'busybox', 'true'])).trim()
  t.regex(id, /^[0-9a-f]{64}$/)
  const again = await tspod(box, ['create', '--name', 'one', 'busybox', 'true'])
  t.is(again.code, 125)
  t.is(again.stderr, `Error: creating container storage: the container name "one" is already in use by ${id}. You have to remove that container to be able to reuse that name: that name is already in use\n`)
  const bad = await tspod(box, ['create', '--name', '-bad', 'busybox'])
  t.is(bad.code, 125)
  const auto = (await ok(box, ['create', 'busybox', 'true'])).trim()
  t.regex(await ok(box, ['inspect', '--format', '{{.Name}}', auto]), /^[a-z]+_[a-z]+\d*\n$/)
})

test('create, start, wait, logs; start -a attaches and returns the exit code', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'c1', 'busybox', 'sh', '-c', 'echo run-$RANDOM-done; exit 4'])
  t.regex(await ok(box, ['ps', '-a', '--format', '{{.Status}}']), /^Created\n$/)
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.Running}}', 'c1']), 'created false\n')
  t.is(await ok(box, ['start', 'c1']), 'c1\n')
  const wait = await tspod(box, ['wait', 'c1'])
  t.is(wait.stdout, '4\n')
  t.regex(await ok(box, ['logs', 'c1']), /^run-\d+-done\n$/)
  const attached = await tspod(box, ['start', '-a', 'c1'])
  t.is(attached.code, 4)
  t.regex(attached.stdout, /^run-\d+-done\n$/)
  t.is((await ok(box, ['logs', 'c1'])).split('\n').filter(Boolean).length, 2, 'the second start appends to the log')
  t.is(await ok(box, ['logs', '--tail', '1', 'c1']), attached.stdout)
})

test('run -d: the container outlives the CLI, logs -f follows it, stop sends SIGTERM then SIGKILL', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['run', '-d', '--name', 'bg', 'busybox', 'sh', '-c', 'trap "echo got-term; exit 7" TERM; echo started; while true; do sleep 0.1; done'])).trim()
  t.regex(id, /^[0-9a-f]{64}$/)
  await until(async () => (await ok(box, ['logs', 'bg'])).includes('started'), 'the log')
  const inspect = JSON.parse(await ok(box, ['inspect', 'bg']))[0]
  t.is(inspect.Id, id)
  t.is(inspect.Name, 'bg')
  t.is(inspect.State.Status, 'running')
  t.true(inspect.State.Running)
  t.true(inspect.State.Pid > 0)
  t.true(fs.existsSync(`/proc/${inspect.State.Pid}`))
  t.regex(await ok(box, ['ps', '--format', '{{.ID}} {{.Status}}']), new RegExp(`^${id.slice(0, 12)} Up `))
  const follow = tspod(box, ['logs', '-f', 'bg'])
  t.is(await ok(box, ['stop', 'bg']), 'bg\n')
  t.is((await follow).stdout, 'started\ngot-term\n')
  const after = JSON.parse(await ok(box, ['inspect', 'bg']))[0]
  t.is(after.State.Status, 'exited')
  t.is(after.State.ExitCode, 7)
  t.false(fs.existsSync(`/proc/${inspect.State.Pid}`))

  // pid 1 without a handler ignores SIGTERM: stop waits -t seconds, then SIGKILL (137)
  await ok(box, ['run', '-d', '--name', 'sleeper', 'busybox', 'sleep', '1000'])
  await ok(box, ['stop', '-t', '1', 'sleeper'])
  t.is(await ok(box, ['inspect', '--format', '{{.State.ExitCode}}', 'sleeper']), '137\n')
  t.is(await ok(box, ['stop', 'sleeper']), 'sleeper\n', 'stopping a stopped container is no error')
})

test('kill -s, restart, and kill of a container that is not running', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'k', 'busybox', 'sh', '-c', 'trap "echo usr1; exit 9" USR1; echo up; while true; do sleep 0.1; done'])
  await until(async () => (await ok(box, ['logs', 'k'])).includes('up'), 'the log')
  t.is(await ok(box, ['kill', '-s', 'USR1', 'k']), 'k\n')
  t.is(await ok(box, ['wait', 'k']), '9\n')
  const notRunning = await tspod(box, ['kill', 'k'])
  t.is(notRunning.code, 125)
  t.regex(notRunning.stderr, /^Error: can only kill running containers\. [0-9a-f]{64} is in state exited: container state improper\n$/)
  const badSignal = await tspod(box, ['kill', '-s', 'NOPE', 'k'])
  t.is(badSignal.code, 125)
  t.is(badSignal.stderr, 'Error: invalid signal: NOPE\n')
  t.is(await ok(box, ['restart', 'k']), 'k\n')
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', 'k']), 'running\n')
  await ok(box, ['kill', 'k'])
  t.is(await ok(box, ['wait', 'k']), '137\n')
})

test('rm: a running container needs -f (exit 2), a missing one exits 1, -a removes all', async (t) => {
  const box = await sandboxWithImages(t)
  const id = (await ok(box, ['run', '-d', '--name', 'r1', 'busybox', 'sleep', '1000'])).trim()
  const refused = await tspod(box, ['rm', 'r1'])
  t.is(refused.code, 2)
  t.is(refused.stderr, `Error: cannot remove container ${id} as it is running - running or paused containers cannot be removed without force: container state improper\n`)
  const missing = await tspod(box, ['rm', 'nothere'])
  t.is(missing.code, 1)
  t.is(missing.stderr, 'Error: no container with name or ID "nothere" found: no such container\n')
  t.is((await tspod(box, ['rm', '--ignore', 'nothere'])).code, 0)
  const pid = Number(await ok(box, ['inspect', '--format', '{{.State.Pid}}', 'r1']))
  t.is(await ok(box, ['rm', '-f', '-t', '0', id.slice(0, 8)]), `${id.slice(0, 8)}\n`)
  t.false(fs.existsSync(`/proc/${pid}`))
  await ok(box, ['create', 'busybox'])
  await ok(box, ['create', 'busybox'])
  t.is((await ok(box, ['rm', '-a'])).split('\n').filter(Boolean).length, 2)
  t.deepEqual(containerDirs(box), [])
})

test('ps: -a, -q, --no-trunc, --filter, --format json; container exists', async (t) => {
  const box = await sandboxWithImages(t)
  const a = (await ok(box, ['create', '--name', 'fa', 'busybox', 'true'])).trim()
  t.is((await tspod(box, ['run', '--name', 'fb', 'busybox', 'sh', '-c', 'exit 2'])).code, 2)
  t.is(await ok(box, ['ps', '-a', '-q', '--no-trunc', '--filter', 'status=created']), `${a}\n`)
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--filter', 'exited=2']), 'fb\n')
  t.is(await ok(box, ['ps', '--format', '{{.Names}}', '--filter', 'name=^f']), '', 'a filter other than status keeps to running ones')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--filter', 'name=^f']), 'fa\nfb\n', 'oldest first')
  t.is(await ok(box, ['ps', '--format', '{{.Names}}', '--filter', 'status=exited']), 'fb\n', 'a status filter looks at all')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--sort', 'names']), 'fa\nfb\n')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--sort', 'status']), 'fa\nfb\n', 'created before exited')
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--filter', 'ancestor=localhost/busybox:latest', '--filter', 'id=' + a.slice(0, 6)]), 'fa\n')
  const json = JSON.parse(await ok(box, ['ps', '-a', '--format', 'json']))
  t.deepEqual(json.map((c: {Names: string[]}) => c.Names[0]).sort(), ['fa', 'fb'])
  t.is(json.find((c: {Names: string[]}) => c.Names[0] === 'fb').ExitCode, 2)
  const table = await ok(box, ['ps', '-a'])
  t.regex(table.split('\n')[0], /^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/)
  const badFilter = await tspod(box, ['ps', '--filter', 'nope=1'])
  t.is(badFilter.code, 125)
  t.is((await tspod(box, ['container', 'exists', 'fa'])).code, 0)
  t.is((await tspod(box, ['container', 'exists', 'nope'])).code, 1)
})

test('inspect: Podman\'s container shape; tspod inspect finds containers before images', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--name', 'ins', '-e', 'FOO=bar', '--hostname', 'hn', 'busybox', 'true'])
  const [c] = JSON.parse(await ok(box, ['container', 'inspect', 'ins']))
  t.is(c.Name, 'ins')
  t.is(c.Path, 'true')
  t.deepEqual(c.Args, [])
  t.is(c.ImageName, 'localhost/busybox:latest')
  t.regex(c.Image, /^[0-9a-f]{64}$/)
  t.is(c.State.Status, 'exited')
  t.is(c.State.ExitCode, 0)
  t.false(c.State.Running)
  t.regex(c.State.StartedAt, /^\d{4}-/)
  t.regex(c.State.FinishedAt, /^\d{4}-/)
  t.is(c.Config.Hostname, 'hn')
  t.true(c.Config.Env.includes('FOO=bar'))
  t.is(c.HostConfig.NetworkMode, 'pasta', 'the rootless default where pasta is installed')
  t.is(c.GraphDriver.Name, 'overlay')
  t.is(c.Driver, 'overlay')
  const [viaTop] = JSON.parse(await ok(box, ['inspect', 'ins']))
  t.is(viaTop.Id, c.Id)
  const [image] = JSON.parse(await ok(box, ['inspect', 'busybox']))
  t.is(image.Id, c.Image)
  const missing = await tspod(box, ['container', 'inspect', 'nothere'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: no container with name or ID "nothere" found: no such container\n')
})

test('a detached container outlives its killed monitor (as under conmon) and settles as exited once it ends; a wiped run root shows as exited', async (t) => {
  const box = await sandboxWithImages(t)
  const runRoot = path.join(box.dir, 'run')
  const g = ['--runroot', runRoot]
  const status = async (name: string) => (await ok(box, [...g, 'ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Names}} {{.Status}}'])).trim()
  await ok(box, [...g, 'run', '-d', '--name', 'm1', 'busybox', 'sleep', '1000'])
  const [m1] = JSON.parse(await ok(box, [...g, 'inspect', 'm1']))
  t.is(fs.readFileSync(`/proc/${m1.State.ConmonPid}/comm`, 'utf8'), 'conmon\n', 'the monitor is the small C program, named as Podman\'s')
  process.kill(m1.State.ConmonPid, 'SIGKILL')
  t.true(fs.existsSync(`/proc/${m1.State.Pid}`), 'the container outlives its monitor')
  t.regex(await status('m1'), /^m1 Up /)
  process.kill(m1.State.Pid, 'SIGKILL')
  await until(async () => (await status('m1')).startsWith('m1 Exited'), 'the container to show as exited')
  t.regex(await status('m1'), /^m1 Exited \(137\) /)

  // the monitor wrote the exit file, then died before recording the exit: the record takes the code from it
  await ok(box, [...g, 'run', '-d', '--name', 'm3', 'busybox', 'sleep', '1000'])
  const [m3] = JSON.parse(await ok(box, [...g, 'inspect', 'm3']))
  process.kill(m3.State.ConmonPid, 'SIGKILL')
  const exitFile = path.join(runRoot, 'containers', m3.Id, 'exit')
  fs.writeFileSync(exitFile, '42')
  fs.chownSync(exitFile, box.user.uid, box.user.gid)
  process.kill(m3.State.Pid, 'SIGKILL')
  await until(async () => (await status('m3')).startsWith('m3 Exited'), 'the container to show as exited')
  t.regex(await status('m3'), /^m3 Exited \(42\) /)

  await ok(box, [...g, 'run', '-d', '--name', 'm2', 'busybox', 'sleep', '1000'])
  const pid = Number(await ok(box, [...g, 'inspect', '--format', '{{.State.Pid}}', 'm2']))
  fs.rmSync(path.join(runRoot, 'containers'), {recursive: true, force: true})
  t.is(await ok(box, [...g, 'inspect', '--format', '{{.State.Status}}', 'm2']), 'exited\n')
  process.kill(pid, 'SIGKILL')
  t.is((await ok(box, [...g, 'rm', 'm1', 'm2', 'm3'])).split('\n').filter(Boolean).length, 3)
})

test('run -d under tspod-monitor: the exit file holds the exit code, -t logs the container terminal, --rm removes the container once it ends', async (t) => {
  const box = await sandboxWithImages(t)
  const runRoot = path.join(box.dir, 'run')
  const g = ['--runroot', runRoot]
  const id = (await ok(box, [...g, 'run', '-d', '--name', 'quick', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3'])).trim()
  t.is(await ok(box, [...g, 'wait', 'quick']), '3\n')
  t.is(fs.readFileSync(path.join(runRoot, 'containers', id, 'exit'), 'utf8'), '3')
  const logs = await tspod(box, [...g, 'logs', 'quick'])
  t.is(logs.stdout, 'out\n')
  t.is(logs.stderr, 'err\n')
  t.is(await ok(box, [...g, 'inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.State.ConmonPid}}', 'quick']), 'exited 3 0\n')

  await ok(box, [...g, 'run', '-d', '-t', '--name', 'tty-bg', 'busybox', 'sh', '-c', 'tty; echo x'])
  t.is(await ok(box, [...g, 'wait', 'tty-bg']), '0\n')
  t.regex(await ok(box, [...g, 'logs', 'tty-bg']), /^\/dev\/pts\/0\r?\nx\r?\n$/)
  await ok(box, [...g, 'run', '-d', '-t', '--name', 'tty-long', '--network', 'slirp4netns', 'busybox', 'sh', '-c', 'echo up; sleep 1000'])
  await until(async () => /^up\r?\n$/.test(await ok(box, [...g, 'logs', 'tty-long'])), 'the terminal output in the log')
  // the container and its slirp4netns are the monitor's children (it is their subreaper) once the setup step is gone
  const [long] = JSON.parse(await ok(box, [...g, 'inspect', 'tty-long']))
  const children = fs.readFileSync(`/proc/${long.State.ConmonPid}/task/${long.State.ConmonPid}/children`, 'utf8').trim().split(' ').map(Number)
  t.true(children.includes(long.State.Pid))
  const slirp = children.find((pid) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8') === 'slirp4netns\n')
  t.truthy(slirp, 'slirp4netns outlives the setup step')
  await ok(box, [...g, 'stop', '-t', '0', 'tty-long'])
  t.is(await ok(box, [...g, 'inspect', '--format', '{{.State.ExitCode}}', 'tty-long']), '137\n')
  await until(async () => !processAlive(slirp!), 'slirp4netns to exit with the monitor')

  const removed = (await ok(box, [...g, 'run', '-d', '--rm', 'busybox', 'sh', '-c', 'echo bye'])).trim()
  await until(async () => !containerDirs(box).includes(removed), 'the --rm container to be removed')
  t.is((await tspod(box, [...g, 'container', 'exists', removed])).code, 1)
  t.false(fs.existsSync(path.join(runRoot, 'containers', removed)))
  t.deepEqual(leftovers(box), [])
})

test('run -d with a missing command fails like run (127) and keeps the container as created, with exit code 0', async (t) => {
  const box = await sandboxWithImages(t)
  const r = await tspod(box, ['run', '-d', '--name', 'bad', 'busybox', 'nosuchcmd'])
  t.is(r.code, 127)
  t.regex(r.stderr, /^Error: .*nosuchcmd.* not found/)
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']), 'bad Created\n')
  // its program never ran: no exit code of its own (0), as Podman records it; the reason is kept
  t.regex(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}', 'bad']), /^created 0 .*nosuchcmd/)
  t.is(await ok(box, ['wait', 'bad']), '0\n')
  const fg = await tspod(box, ['run', '--name', 'bad-fg', 'busybox', 'nosuchcmd'])
  t.is(fg.code, 127)
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'bad-fg']), 'created 0\n')
  await ok(box, ['rm', 'bad-fg'])
  const rm = await tspod(box, ['run', '-d', '--rm', 'busybox', 'nosuchcmd'])
  t.is(rm.code, 127)
  t.is(await ok(box, ['ps', '-a', '-q']), (await ok(box, ['ps', '-a', '-q', '--filter', 'name=bad'])))
})

test('run --rm killed with its CLI: the container dies with it and the next command removes it', async (t) => {
  const box = await sandboxWithImages(t)
  const child = spawn('setpriv', ['--reuid', String(box.user.uid), '--regid', String(box.user.gid), '--init-groups', '--', process.execPath, TSPOD_BIN, 'run', '--rm', '--name', 'doomed', 'busybox', 'sleep', '1000'], {
    env: userEnv(box.user, box.env),
    stdio: 'ignore',
  })
  await until(async () => (await ok(box, ['ps', '--format', '{{.Names}}'])) === 'doomed\n', 'the container to run')
  const pid = Number(await ok(box, ['inspect', '--format', '{{.State.Pid}}', 'doomed']))
  child.kill('SIGKILL')
  await new Promise((r) => child.on('close', r))
  await until(async () => !fs.existsSync(`/proc/${pid}`), 'the container to die with its CLI')
  t.is(await ok(box, ['ps', '-a', '-q']), '')
  t.deepEqual(containerDirs(box), [])
  t.deepEqual(leftovers(box), [])
})

test('container prune removes the containers that do not run', async (t) => {
  const box = await sandboxWithImages(t)
  const stopped = (await ok(box, ['create', 'busybox'])).trim()
  await ok(box, ['run', '-d', '--name', 'alive', 'busybox', 'sleep', '1000'])
  t.is(await ok(box, ['container', 'prune', '-f']), `${stopped}\n`)
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}']), 'alive\n')
  await ok(box, ['rm', '-f', '-t', '0', 'alive'])
})

test('exec joins the running container: its namespaces, env, user and cwd; 126/127/125 as Podman', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'ex', '-e', 'FROMRUN=yes', '--hostname', 'exhost', 'busybox', 'sh', '-c', 'echo marker > /tmp/marker; sleep 1000'])
  // sh execs sleep once the marker is written
  await until(async () => (await tspod(box, ['exec', 'ex', 'cat', '/proc/1/cmdline'])).stdout === 'sleep\u00001000\u0000', 'pid 1 to be sleep')
  const pid = Number(await ok(box, ['inspect', '--format', '{{.State.Pid}}', 'ex']))
  const inside = await ok(box, ['exec', 'ex', 'sh', '-c', 'hostname; echo $FROMRUN; id -u; cat /proc/self/setgroups; for n in pid mnt user; do readlink /proc/self/ns/$n; done; cat /proc/1/cmdline | tr "\\0" " "'])
  const nsOf = (n: string) => fs.readlinkSync(`/proc/${pid}/ns/${n}`)
  t.is(inside, `exhost\nyes\n0\nallow\n${nsOf('pid')}\n${nsOf('mnt')}\n${nsOf('user')}\nsleep 1000 `)
  t.is(await ok(box, ['exec', '-u', '1234', '-e', 'FROMRUN=no', '-e', 'NEW=1', '-w', '/tmp', 'ex', 'sh', '-c', 'id -u; id -g; echo $FROMRUN $NEW; pwd']), '1234\n1234\nno 1\n/tmp\n')
  t.is((await tspod(box, ['exec', '-i', 'ex', 'cat'], {input: 'from-stdin\n'})).stdout, 'from-stdin\n')
  t.is((await tspod(box, ['exec', 'ex', 'sh', '-c', 'exit 6'])).code, 6)
  const missing = await tspod(box, ['exec', 'ex', '/no/such/command'])
  t.is(missing.code, 127)
  t.regex(missing.stderr, /^Error: .*[Nn]o such file or directory\n$/)
  t.is((await tspod(box, ['exec', 'ex', '/etc'])).code, 126)
  const empty = await tspod(box, ['exec', 'ex'])
  t.is(empty.code, 125)
  t.is(empty.stderr, 'Error: must provide a non-empty command to start an exec session\n')
  const tty = await runAs(box.user, ['script', '-qec', `${process.execPath} ${TSPOD_BIN} exec -t ex sh -c 'tty; exit 3'`, '/dev/null'], {env: box.env})
  t.is(tty.code, 3, tty.stderr)
  t.regex(tty.stdout.replace(/\r/g, ''), /^\/dev\/pts\/\d+\n$/)
  await ok(box, ['stop', '-t', '0', 'ex'])
  const stopped = await tspod(box, ['exec', 'ex', 'true'])
  t.is(stopped.code, 125)
  t.is(stopped.stderr, 'Error: can only create exec sessions on running containers: container state improper\n')
})

/** The host pid of the process whose argv is `argv`, if one runs. */
function pidOfCommand(argv: string[]): number | undefined {
  const wanted = argv.join('\0') + '\0'
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted && processAlive(Number(entry))) return Number(entry)
    } catch {
      // gone meanwhile
    }
  }
  return undefined
}

function parentOf(pid: number): number {
  return Number(/^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1])
}

for (const runtime of ['tspod', 'crun']) {
  test(`exec -d (${runtime}): prints the session ID at once, the process runs on after the CLI, output discarded, gone with rm -f; errors 125`, async (t) => {
    const box = await sandboxWithImages(t)
    await ok(box, ['--runtime', runtime, 'run', '-d', '--name', 'dx', 'busybox', 'sleep', '1000'])
    const sleeper = ['sleep', `${runtime === 'crun' ? 2001 : 2002}`]
    // waits for /tmp/go, which only the test writes once the CLI has returned
    const script = `echo to-out; echo to-err >&2; while [ ! -e /tmp/go ]; do sleep 0.1; done; touch /tmp/done; exec ${sleeper.join(' ')}`
    const r = await tspod(box, ['exec', '-d', 'dx', 'sh', '-c', script])
    t.is(r.code, 0, r.stderr)
    t.regex(r.stdout, /^[0-9a-f]{64}\n$/)
    t.is(r.stderr, '')
    t.is((await tspod(box, ['exec', 'dx', 'test', '-e', '/tmp/done'])).code, 1, 'the CLI returned before the process did its work')
    await ok(box, ['exec', 'dx', 'touch', '/tmp/go'])
    await until(async () => (await tspod(box, ['exec', 'dx', 'test', '-e', '/tmp/done'])).code === 0, '/tmp/done from the detached process')
    await until(() => pidOfCommand(sleeper) !== undefined, 'the detached process to exec sleep')
    const pid = pidOfCommand(sleeper)!
    const outside = parentOf(pid)
    const logs = await tspod(box, ['logs', 'dx'])
    t.is(logs.stdout + logs.stderr, '', 'a detached session logs nothing, as Podman\'s')

    const missing = await tspod(box, ['exec', '-d', 'dx', '/no/such/command'])
    t.is(missing.code, 125)
    t.regex(missing.stderr, /^Error: .*not found.*\n$/)
    t.is(missing.stdout, '')
    const notExecutable = await tspod(box, ['exec', '-d', 'dx', '/etc'])
    t.is(notExecutable.code, 125)
    t.regex(notExecutable.stderr, /^Error: .*permission denied\n$/)
    // -t: the session has a terminal, held open after the CLI returned (as Podman's conmon holds it)
    const withTty = await tspod(box, ['exec', '-d', '-t', 'dx', 'sh', '-c', `tty > /tmp/tty; exec sleep ${sleeper[1]}1`])
    t.is(withTty.code, 0, withTty.stderr)
    t.regex(withTty.stdout, /^[0-9a-f]{64}\n$/)
    await until(async () => /^\/dev\/pts\/\d+\n$/.test((await tspod(box, ['exec', 'dx', 'cat', '/tmp/tty'])).stdout), 'the detached session\'s tty')
    await until(() => pidOfCommand(['sleep', `${sleeper[1]}1`]) !== undefined, 'the detached terminal session to run on')

    await ok(box, ['rm', '-f', '-t', '0', 'dx'])
    await until(() => !processAlive(pid) && !processAlive(outside), 'the detached process and its supervisor to end with the container')
    const gone = await tspod(box, ['exec', '-d', 'dx', 'true'])
    t.is(gone.code, 125)
    t.regex(gone.stderr, /^Error: no container with name or ID "dx" found/)
  })
}

test('inspect ExecIDs: a foreground session while it runs, a detached one (the ID exec -d printed) until the container starts again', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'sessions', 'busybox', 'sleep', '1000'])
  const execIds = async () => JSON.parse(await ok(box, ['inspect', '--format', '{{json .ExecIDs}}', 'sessions'])) as string[]
  t.deepEqual(await execIds(), [])
  const script = 'touch /tmp/running; while [ ! -e /tmp/go ]; do sleep 0.1; done'
  const setpriv = ['--reuid', String(box.user.uid), '--regid', String(box.user.gid), '--init-groups', '--']
  const foreground = spawn('setpriv', [...setpriv, process.execPath, TSPOD_BIN, 'exec', 'sessions', 'sh', '-c', script], {env: userEnv(box.user, box.env), stdio: 'ignore'})
  const foregroundEnded = new Promise<number | null>((resolve) => foreground.on('exit', resolve))
  await until(async () => (await tspod(box, ['exec', 'sessions', 'test', '-e', '/tmp/running'])).code === 0, 'the foreground session to run')
  const [running] = await execIds()
  t.regex(running ?? '', /^[0-9a-f]{64}$/)
  t.is((await execIds()).length, 1, 'the probing execs are gone once they ended')
  await ok(box, ['exec', 'sessions', 'touch', '/tmp/go'])
  t.is(await foregroundEnded, 0)
  t.deepEqual(await execIds(), [], 'a foreground session goes with its process')

  const detached = [(await ok(box, ['exec', '-d', 'sessions', 'true'])).trim(), (await ok(box, ['exec', '-d', 'sessions', 'sleep', '1000'])).trim()]
  t.deepEqual(await execIds(), [...detached].sort(), 'detached sessions stay, ended or not')
  const [record] = JSON.parse(await ok(box, ['inspect', 'sessions']))
  t.deepEqual(record.ExecIDs, [...detached].sort())
  await ok(box, ['stop', '-t', '0', 'sessions'])
  t.deepEqual(await execIds(), [...detached].sort(), 'kept after the container stops, as Podman 4.3.1 does')
  await ok(box, ['start', 'sessions'])
  t.deepEqual(await execIds(), [], 'a new start has no sessions')
  await ok(box, ['rm', '-f', '-t', '0', 'sessions'])
})

test('exec -it --detach-keys: typing them leaves the session running (exit 0, in ExecIDs); "" passes them to the process; a bad key is Podman\'s error', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'dk', 'busybox', 'sleep', '1000'])
  const onTerminal = (args: string, input: string) => runAs(box.user, ['script', '-qec', `${process.execPath} ${TSPOD_BIN} ${args}`, '/dev/null'], {env: box.env, input})
  // ctrl-x typed once the session's program runs (so tspod's terminal is raw by then, however
  // loaded the machine is): a process whose whole command line is `sleep 3004`
  const typedOnceRunning = `(until pgrep -f '^sleep 3004$' >/dev/null; do sleep 0.1; done; sleep 0.2; printf '\\030') | script -qec "$0" /dev/null`
  const detached = await runAs(box.user, ['sh', '-c', typedOnceRunning, `${process.execPath} ${TSPOD_BIN} exec -it --detach-keys=ctrl-x dk sh -c 'exec sleep 3004'`], {env: box.env})
  t.is(detached.code, 0, detached.stderr)
  await until(() => pidOfCommand(['sleep', '3004']) !== undefined, 'the detached session to run on')
  const [session] = JSON.parse(await ok(box, ['inspect', '--format', '{{json .ExecIDs}}', 'dk'])) as string[]
  t.regex(session ?? '', /^[0-9a-f]{64}$/)

  // with the default keys watched, a session that ends is followed to its end as ever
  const ended = await onTerminal(`exec -it dk sh -c 'echo bye; exit 4'`, '')
  t.is(ended.code, 4, ended.stderr)
  // (a ^@ that script(1)'s terminal echoes outside the session's raw mode, before it or after it
  // when script's empty stdin ends, is the host terminal's, not the session's output)
  t.regex(ended.stdout.replace(/\^@/g, ''), /^bye[\r\n]+$/)

  const disabled = await onTerminal(`exec -it --detach-keys= dk sh -c 'head -c 1 | od -An -tx1'`, '\x18\n')
  t.is(disabled.code, 0, disabled.stderr)
  t.regex(disabled.stdout, / 18\r*\n/)

  const bad = await tspod(box, ['exec', '--detach-keys=ctrl-1', 'dk', 'true'])
  t.is(bad.code, 125)
  t.is(bad.stderr, "Error: invalid detach keys: Unknown character: 'ctrl-1'\n")
  const pid = pidOfCommand(['sleep', '3004'])!
  await ok(box, ['rm', '-f', '-t', '0', 'dk'])
  await until(() => !processAlive(pid), 'the detached session to end with the container')
})

test('named volumes outlive containers, are copied up from the image, :ro holds; anonymous ones go with rm -v and --rm', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--rm', '-v', 'keep:/data', 'busybox', 'sh', '-c', 'echo persisted > /data/f'])
  t.is(await ok(box, ['run', '--rm', '-v', 'keep:/data:ro', 'busybox', 'cat', '/data/f']), 'persisted\n')
  const ro = await tspod(box, ['run', '--rm', '-v', 'keep:/data:ro', 'busybox', 'touch', '/data/x'])
  t.is(ro.code, 1)
  t.regex(ro.stderr, /Read-only file system/)
  t.regex(await ok(box, ['run', '--rm', '-v', 'etc-copy:/etc', 'busybox', 'cat', '/etc/passwd']), /^root:/)
  t.is(await ok(box, ['volume', 'ls', '-q']), 'etc-copy\nkeep\n')
  const inUse = (await ok(box, ['create', '-v', 'keep:/data', 'busybox'])).trim()
  const refused = await tspod(box, ['volume', 'rm', 'keep'])
  t.is(refused.code, 2)
  t.regex(refused.stderr, new RegExp(`volume keep is being used by the following container\\(s\\): ${inUse}`))
  await ok(box, ['rm', inUse])
  await ok(box, ['run', '--name', 'anon', '-v', '/scratch', 'busybox', 'touch', '/scratch/y'])
  t.is((await ok(box, ['volume', 'ls', '-q'])).split('\n').filter(Boolean).length, 3)
  await ok(box, ['rm', '-v', 'anon'])
  await ok(box, ['run', '--rm', '-v', '/scratch2', 'busybox', 'true'])
  t.is(await ok(box, ['volume', 'ls', '-q']), 'etc-copy\nkeep\n')
})

test('diff: what a container added, changed and deleted over its image, as text or json; -l is the latest container', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--name', 'changer', 'busybox', 'sh', '-c', 'touch /newf; rm /etc/passwd; mkdir -p /a/b'])
  // this image has no /etc/mtab: the link to /proc/mounts made for the container (as Podman makes it) is an addition
  t.is(await ok(box, ['diff', 'changer']), 'A /a\nA /a/b\nC /etc\nA /etc/mtab\nD /etc/passwd\nA /newf\n')
  t.deepEqual(JSON.parse(await ok(box, ['container', 'diff', '--format', 'json', '-l'])), {changed: ['/etc'], added: ['/a', '/a/b', '/etc/mtab', '/newf'], deleted: ['/etc/passwd']})
  const both = await tspod(box, ['diff', '-l', 'changer'])
  t.is(both.code, 125)
  await ok(box, ['rm', 'changer'])
})

test('export writes the container root as a tar; import makes it an image again, from a file or stdin, with a name and --change', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--name', 'exported', 'busybox', 'sh', '-c', 'echo kept-content > /random.txt'])
  const archive = path.join(box.dir, 'rootfs.tar')
  await ok(box, ['export', '-o', archive, 'exported'])
  const id = (await ok(box, ['import', '-q', archive])).trim()
  t.regex(id, /^sha256:[0-9a-f]{64}$/)
  t.is(await ok(box, ['run', '--rm', id.slice(7), 'cat', '/random.txt']), 'kept-content\n')
  const viaStdin = await tspod(box, ['import', '-q', '--change', 'CMD=cat /random.txt', '-', 'imported:1'], {input: fs.readFileSync(archive)})
  t.is(viaStdin.code, 0, viaStdin.stderr)
  t.is(await ok(box, ['run', '--rm', 'imported:1']), 'kept-content\n')
  const missing = await tspod(box, ['export', '-o', archive, 'nosuch'])
  t.is(missing.code, 125)
  await ok(box, ['rm', 'exported'])
})

test('lifecycle flags: start --all with names, kill -s forms, --stop-signal, rm --force of a missing one, stop --timeout, run --restart', async (t) => {
  const box = await sandboxWithImages(t)
  const both = await tspod(box, ['start', '--all', 'x'])
  t.is(both.code, 125)
  t.is(both.stderr, 'Error: either start all containers or the container(s) provided in the arguments\n')
  const id = (await ok(box, ['run', '-d', '--name', 'k', '--restart', 'unless-stopped', '--stop-signal', 'int', 'busybox', 'sleep', '1000'])).trim()
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}} {{.RestartCount}} {{.Config.StopSignal}}', 'k']), 'unless-stopped 0 2\n')
  for (const sig of ['-1', '-INT', 'SIGCONT', 'usr1']) t.is(await ok(box, ['kill', '-s', sig, 'k']), 'k\n')
  const bad = await tspod(box, ['kill', '-s', '-65', 'k'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: valid signals are 1 through 64\n')
  t.is(await ok(box, ['start', 'k']), '', 'running: nothing to tell')
  t.is(await ok(box, ['stop', '--timeout', '0', 'k']), 'k\n')
  t.regex(await ok(box, ['ps', '-a', '--format', '{{.Status}}']), /^Exited/, 'stopped by the user: not restarted')
  t.is(await ok(box, ['start', '--filter', 'restart-policy=unless-stopped']), `${id}\n`)
  const rmMissing = await tspod(box, ['container', 'rm', '--force', 'bogus'])
  t.is(rmMissing.code, 0)
  t.is(rmMissing.stdout + rmMissing.stderr, '')
  const timeNoForce = await tspod(box, ['rm', '-t', '0', 'k'])
  t.is(timeNoForce.code, 125)
  t.is(timeNoForce.stderr, 'Error: --force option must be specified to use the --time option\n')
  const replaced = (await ok(box, ['run', '-d', '--replace', '--name', 'k', 'busybox', 'true'])).trim()
  t.not(replaced, id)
  const conflict = await tspod(box, ['run', '--rm', '--restart', 'always', 'busybox', 'true'])
  t.is(conflict.code, 125)
  t.is(conflict.stderr, 'Error: the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"\n')
  t.is((await tspod(box, ['container', 'exists', '--external', 'nope'])).code, 1)
})
