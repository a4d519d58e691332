// @userns
// --init and --userns=keep-id for real, as the rootless test users: the busybox image unpacked
// into the user's namespace, config.json generated as `tspod run` does, planned and run by
// tspod's namespaced child (fixtures/run-generated.ts).
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {busyboxImage} from '../../helpers/oci-image'
import {NOSUB_USER, TEST_USER, lookupUser, removeTree} from '../../helpers/rootless'
import {Unpacked, run, unpack} from './unpacked-image'

const user = lookupUser(TEST_USER)
const nosub = lookupUser(NOSUB_USER)
let busybox: Unpacked
let busyboxNosub: Unpacked

test.before(async () => {
  const image = await busyboxImage()
  ;[busybox, busyboxNosub] = await Promise.all([unpack(user, image), unpack(nosub, image)])
})

test.after.always(() => {
  for (const image of [busybox, busyboxNosub]) if (image) removeTree(image.dir)
})

test('--init: catatonit is pid 1, the command runs as its child and its exit code comes back', async (t) => {
  const script = 'echo "$(cat /proc/1/comm) $(tr "\\0" " " < /proc/1/cmdline)"; echo "pid=$$ ppid=$PPID"; exit 7'
  const report = await run(busybox, {init: true, args: ['sh', '-c', script]})
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 7, signal: null})
  const [init, self] = report.stdout!.split('\n')
  t.is(init, `podman-init /run/podman-init -- sh -c ${script} `)
  const [, pid, ppid] = /^pid=(\d+) ppid=(\d+)$/.exec(self)!
  t.not(pid, '1')
  t.is(ppid, '1')
  t.regex(report.stderr!, /^$/)

  const plain = await run(busybox, {args: ['sh', '-c', 'cat /proc/1/comm; test -e /run/podman-init || echo no-init']})
  t.is(plain.stdout, 'sh\nno-init\n')
})

test('--init: a command killed by a signal is reported by catatonit as 128+signal', async (t) => {
  const report = await run(busybox, {init: true, args: ['sh', '-c', 'kill -TERM $$; sleep 5']})
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 128 + 15, signal: null})
})

test('--userns=keep-id: the user\'s own uid and gid inside, with a passwd entry, HOME, and files it creates owned by it on the host', async (t) => {
  const vol = path.join(busybox.dir, 'vol')
  fs.mkdirSync(vol)
  fs.chownSync(vol, user.uid, user.gid)
  const script = ['id -u', 'id -g', 'id -un', 'echo "HOME=$HOME"', 'grep "^tspoduser:" /etc/passwd', 'echo hi > /vol/created', 'mkdir /vol/dir', 'cat /proc/self/uid_map'].join('; ')
  const report = await run(busybox, {userns: 'keep-id', volumes: [`${vol}:/vol`], args: ['sh', '-c', script]})
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 0, signal: null}, report.stderr)
  const lines = report.stdout!.split('\n')
  t.deepEqual(lines.slice(0, 5), [String(user.uid), String(user.gid), 'tspoduser', 'HOME=/', `tspoduser:*:${user.uid}:${user.gid}::/:/bin/sh`])
  const uidMap = lines.slice(5).filter(Boolean).map((l) => l.trim().split(/\s+/).map(Number))
  t.deepEqual(uidMap[1], [user.uid, user.uid, 1], 'the user is mapped to itself')
  t.is(uidMap[0][0], 0)
  t.is(report.mappingMode, 'subid')
  for (const name of ['created', 'dir']) {
    const st = fs.statSync(path.join(vol, name))
    t.deepEqual([st.uid, st.gid], [user.uid, user.gid], name)
  }
  t.is(fs.readFileSync(path.join(vol, 'created'), 'utf8'), 'hi\n')
})

test('--userns=keep-id --user 0: container root is a subordinate id, not the user', async (t) => {
  const vol = path.join(busybox.dir, 'vol-root')
  fs.mkdirSync(vol, {mode: 0o777})
  fs.chmodSync(vol, 0o777)
  const report = await run(busybox, {userns: 'keep-id', user: '0', volumes: [`${vol}:/vol`], args: ['sh', '-c', 'id -u; touch /vol/by-root']})
  t.is(report.error, undefined)
  t.is(report.stdout, '0\n')
  const subuid = Number(fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${user.name}:`))!.split(':')[1])
  t.is(fs.statSync(path.join(vol, 'by-root')).uid, subuid)
})

test('--userns=keep-id without subordinate ids: only the user\'s own ids are mapped, to themselves', async (t) => {
  const report = await run(busyboxNosub, {userns: 'keep-id', args: ['sh', '-c', 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map']})
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: 0, signal: null}, report.stderr)
  const lines = report.stdout!.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '))
  t.deepEqual(lines, [String(nosub.uid), String(nosub.gid), `${nosub.uid} ${nosub.uid} 1`, `${nosub.gid} ${nosub.gid} 1`])
  t.is(report.mappingMode, 'single')
})

test('--network none: the container\'s own network namespace has lo up', async (t) => {
  const report = await run(busybox, {network: 'none', args: ['sh', '-c', 'ip -o link show | cut -d" " -f2,3; readlink /proc/self/ns/net']})
  t.is(report.error, undefined)
  const [links, ns] = report.stdout!.trim().split('\n').reduce<[string[], string]>(([l, n], line) => (line.startsWith('net:') ? [l, line] : [[...l, line], n]), [[], ''])
  t.deepEqual(links, ['lo: <LOOPBACK,UP,LOWER_UP>'])
  t.not(ns, fs.readlinkSync('/proc/self/ns/net'))
})
