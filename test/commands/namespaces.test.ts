// Namespaces shared between containers (--network/--ipc/--uts/--pid container:X) and the --ipc
// modes, through the CLI as the rootless user, compared with the donor's /proc/self/ns links.
import test from 'ava'
import * as fs from 'node:fs'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspod, tspodOk as ok} from '../helpers/rootless'

const LINKS = 'for n in net ipc uts pid user mnt; do readlink /proc/self/ns/$n; done'

test('container:X joins the donor\'s net, ipc, uts and pid namespaces while it runs; the rest stay its own', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'donor', '--hostname', 'donorhost', 'busybox', 'sleep', '300'])
  const donor = (await ok(box, ['exec', 'donor', 'sh', '-c', LINKS])).trim().split('\n')
  const all = await ok(box, ['run', '--rm', '--net', 'container:donor', '--ipc', 'container:donor', '--uts', 'container:donor', '--pid', 'container:donor', 'busybox', 'sh', '-c', `${LINKS}; hostname; ps -o comm | grep -c sleep`])
  const lines = all.trim().split('\n')
  t.deepEqual(lines.slice(0, 5), donor.slice(0, 5), 'net, ipc, uts, pid and the user namespace are the donor\'s')
  t.not(lines[5], donor[5], 'the mount namespace is its own')
  t.deepEqual(lines.slice(6), ['donorhost', '1'], 'the donor\'s hostname and its processes')
  const netOnly = (await ok(box, ['run', '--rm', '--network', 'container:donor', 'busybox', 'sh', '-c', LINKS])).trim().split('\n')
  t.is(netOnly[0], donor[0])
  t.not(netOnly[1], donor[1], 'its own ipc namespace')
  t.not(netOnly[3], donor[3], 'its own pid namespace')

  const inspect = await ok(box, ['create', '--name', 'dep', '--net', 'container:donor', '--ipc', 'container:donor', '--pid', 'container:donor', 'busybox', 'true'])
  const id = (await ok(box, ['inspect', '--format', '{{.Id}}', 'donor'])).trim()
  t.truthy(inspect)
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.NetworkMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}} {{.HostConfig.PidMode}}', 'dep']), `container:${id} container:${id} private container:${id}\n`)
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}} {{.HostConfig.PidMode}}', 'donor']), 'shareable private private\n')
})

test('--ipc modes: private refuses to be joined, none has no /dev/shm, host is the host\'s (with its /dev/shm and /dev/mqueue)', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'priv', '--ipc', 'private', 'busybox', 'true'])
  const id = (await ok(box, ['inspect', '--format', '{{.Id}}', 'priv'])).trim()
  const refused = await tspod(box, ['create', '--ipc', 'container:priv', 'busybox', 'true'])
  t.is(refused.code, 125)
  t.is(refused.stderr, `Error: joining IPC of container ${id} is not allowed: non-shareable IPC (hint: use IpcMode:shareable for the donor container)\n`)
  const missing = await tspod(box, ['create', '--uts', 'container:nosuch', 'busybox', 'true'])
  t.is(missing.stderr, 'Error: looking up container to share uts namespace with: no container with name or ID "nosuch" found: no such container\n')
  t.is((await tspod(box, ['create', '--pid', 'bogus', 'busybox', 'true'])).stderr, 'Error: unrecognized namespace mode bogus passed\n')

  const none = await tspod(box, ['run', '--rm', '--ipc', 'none', 'busybox', 'sh', '-c', 'readlink /proc/self/ns/ipc; ls /dev/shm'])
  t.is(none.code, 1)
  t.not(none.stdout.trim(), fs.readlinkSync('/proc/self/ns/ipc'))
  t.regex(none.stderr, /\/dev\/shm: No such file or directory/)

  const host = await tspod(box, ['run', '--rm', '--ipc', 'host', 'busybox', 'readlink', '/proc/self/ns/ipc'])
  if (fs.existsSync('/dev/mqueue') && fs.existsSync('/dev/shm')) t.is(host.stdout, `${fs.readlinkSync('/proc/self/ns/ipc')}\n`)
  else t.is(host.stderr, `Error: statfs ${fs.existsSync('/dev/shm') ? '/dev/mqueue' : '/dev/shm'}: no such file or directory\n`, 'as Podman, where the host lacks the mount')
})

test('dependencies: start starts the donor first, rm refuses a donor, rm --depend removes dependents first', async (t) => {
  const box = await sandboxWithImages(t)
  const donor = (await ok(box, ['create', 'busybox', 'sleep', '300'])).trim()
  const dep = (await ok(box, ['create', '--net', `container:${donor}`, 'busybox', 'true'])).trim()
  const chained = (await ok(box, ['create', '--uts', `container:${dep}`, 'busybox', 'true'])).trim()
  await ok(box, ['start', '--attach', dep])
  t.is(await ok(box, ['inspect', '--format', '{{.State.Status}}', donor]), 'running\n', 'the donor was started first')
  await ok(box, ['stop', '-t', '0', donor])

  const refused = await tspod(box, ['rm', donor])
  t.is(refused.code, 125)
  t.is(refused.stderr, `Error: container ${donor} has dependent containers which must be removed before it: ${dep}: container already exists\n`)
  t.is(await ok(box, ['rm', '--depend', donor]), `${chained}\n${dep}\n${donor}\n`)
  t.is(await ok(box, ['ps', '-aq']), '')
})
