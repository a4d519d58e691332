// @userns
// --sdnotify through the CLI, as the rootless user, with a real datagram socket as $NOTIFY_SOCKET:
// conmon: the monitor (the CLI in the foreground) sends MAINPID=<its pid> and READY=1 once the
// container runs; container: MAINPID only, and the container's program reaches the socket at
// /run/notify/notify.sock; ignore, or no $NOTIFY_SOCKET: nothing is sent or passed on.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {ownCgroup} from '../../../src/runtime/container/cgroups-mode'
import {sandboxWithImages} from '../../helpers/image-sandbox'
import {listenForNotify} from '../../helpers/notify-listener'
import {tspod, tspodOk as ok} from '../../helpers/rootless'

// the host's python3 in the busybox container, to send a datagram from inside it
const HOST_PYTHON = ['-v', '/usr:/usr:ro', '-v', '/usr/lib:/lib:ro', '-v', '/usr/lib64:/lib64:ro']
const SEND_READY = 'import os, socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"READY=1", os.environ["NOTIFY_SOCKET"])'

test('conmon: MAINPID is the monitor (the CLI for a foreground run) with READY=1; the container gets no NOTIFY_SOCKET', async (t) => {
  const box = await sandboxWithImages(t)
  const listener = await listenForNotify(box.dir)
  t.teardown(() => listener.close())
  const env = {NOTIFY_SOCKET: listener.socketPath}
  const pidFile = path.join(box.dir, 'monitor.pid')
  const foreground = await tspod(box, ['run', '--rm', '--sdnotify=conmon', `--conmon-pidfile=${pidFile}`, 'busybox', 'sh', '-c', 'echo "[$NOTIFY_SOCKET]"'], {env})
  t.is(foreground.code, 0, foreground.stderr)
  t.is(foreground.stdout, '[]\n')
  t.deepEqual(await listener.waitFor(1), [`MAINPID=${fs.readFileSync(pidFile, 'utf8')}\nREADY=1`])

  const id = (await ok(box, ['run', '-d', '--sdnotify=conmon', 'busybox', 'sleep', '60'], {env})).trim()
  const [monitorPid, mode, socket] = (await ok(box, ['inspect', id, '--format', '{{.State.ConmonPid}} {{.Config.SdNotifyMode}} {{.Config.SdNotifySocket}}'])).trim().split(' ')
  t.is(mode, 'conmon')
  t.is(socket, listener.socketPath)
  t.deepEqual((await listener.waitFor(2))[1], `MAINPID=${monitorPid}\nREADY=1`)
  await ok(box, ['rm', '-f', '-t0', id])
})

test('container (the default): MAINPID from the monitor, READY=1 from the container\'s program through /run/notify/notify.sock', async (t) => {
  const box = await sandboxWithImages(t)
  const listener = await listenForNotify(box.dir)
  t.teardown(() => listener.close())
  const pidFile = path.join(box.dir, 'monitor.pid')
  const script = `echo "$NOTIFY_SOCKET"; /usr/bin/python3 -c '${SEND_READY}'`
  const run = await tspod(box, ['run', '--rm', `--conmon-pidfile=${pidFile}`, ...HOST_PYTHON, 'busybox', 'sh', '-c', script], {env: {NOTIFY_SOCKET: listener.socketPath}})
  t.is(run.code, 0, run.stderr)
  t.is(run.stdout, '/run/notify/notify.sock\n')
  // the program may be quicker than the monitor
  t.deepEqual((await listener.waitFor(2)).sort(), [`MAINPID=${fs.readFileSync(pidFile, 'utf8')}`, 'READY=1'])
})

test('ignore, or no $NOTIFY_SOCKET: nothing sent, no NOTIFY_SOCKET in the container; a socket that is gone is a warning only', async (t) => {
  const box = await sandboxWithImages(t)
  const listener = await listenForNotify(box.dir)
  t.teardown(() => listener.close())
  const show = ['busybox', 'sh', '-c', 'echo "[$NOTIFY_SOCKET]"']
  const id = (await ok(box, ['create', '--sdnotify=ignore', ...show], {env: {NOTIFY_SOCKET: listener.socketPath}})).trim()
  t.is(await ok(box, ['inspect', id, '--format', '{{.Config.SdNotifyMode}} [{{.Config.SdNotifySocket}}]']), 'ignore []\n')
  t.is(await ok(box, ['start', '--attach', id], {env: {NOTIFY_SOCKET: listener.socketPath}}), '[]\n')
  t.is(await ok(box, ['run', '--rm', ...show]), '[]\n')
  t.deepEqual(listener.received, [])

  for (const mode of ['conmon', 'container']) {
    const gone = await tspod(box, ['run', '--rm', `--sdnotify=${mode}`, ...show], {env: {NOTIFY_SOCKET: path.join(box.dir, 'gone.sock')}})
    t.is(gone.code, 0, gone.stderr)
    t.is(gone.stdout, '[]\n')
    t.regex(gone.stderr, /^WARN\S* Notifying systemd of the monitor's PID: sendto: No such file or directory/)
  }

  const bad = await tspod(box, ['run', '--rm', '--sdnotify=always', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: invalid config provided: invalid argument: invalid sdnotify value "always": must be container, conmon or ignore\n')
})

test('--cgroups: recorded and shown as Podman shows it; split fails the start where tspod\'s own cgroup is the root one', async (t) => {
  const box = await sandboxWithImages(t)
  const disabled = (await ok(box, ['create', '--cgroups=disabled', 'busybox', 'true'])).trim()
  t.is(await ok(box, ['inspect', disabled, '--format', '{{.HostConfig.Cgroups}} {{.HostConfig.CgroupMode}}']), 'disabled host\n')
  t.is(await ok(box, ['start', '--attach', disabled]), '')
  t.is(await ok(box, ['run', '--rm', '--cgroups=no-conmon', 'busybox', 'echo', 'ran']), 'ran\n')
  const noConmon = (await ok(box, ['create', '--cgroups=no-conmon', 'busybox', 'true'])).trim()
  t.is(await ok(box, ['inspect', noConmon, '--format', '{{.HostConfig.Cgroups}}']), 'default\n')

  const bad = await tspod(box, ['run', '--rm', '--cgroups=bogus', 'busybox', 'true'])
  t.deepEqual([bad.code, bad.stderr], [125, 'Error: running container create option: invalid cgroup mode "bogus": invalid argument\n'])
  if (ownCgroup(fs.readFileSync('/proc/self/cgroup', 'utf8'))) return t.log('this host has a cgroup of its own for tspod: split is not refused here')
  const split = await tspod(box, ['run', '--rm', '--cgroups=split', 'busybox', 'true'])
  t.deepEqual([split.code, split.stderr], [126, 'Error: could not find cgroup mount in "/proc/self/cgroup"\n'])
})
