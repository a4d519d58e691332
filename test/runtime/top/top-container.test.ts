// @userns
// topProcesses on a real rootless container: run as the test user, its processes listed by the
// same user's tspod process, with the pids, users and parents the container sees.
import test from 'ava'

import {TopResult} from '../../../src/runtime/top/top'
import {busyboxImage} from '../../helpers/oci-image'
import {TEST_USER, lookupUser, removeTree} from '../../helpers/rootless'
import {Unpacked, run, unpack} from '../spec/unpacked-image'

const user = lookupUser(TEST_USER)
let busybox: Unpacked

test.before(async () => {
  busybox = await unpack(user, await busyboxImage())
})

test.after.always(() => {
  if (busybox) removeTree(busybox.dir)
})

test('podman top: container pids, PPID 0 for init, users from the container\'s /etc/passwd, commands', async (t) => {
  const script = 'sleep 1000 & su -s /bin/sh user -c "exec sleep 1001" & sleep 0.2; echo ready; exec sleep 999'
  const report = await run(busybox, {args: ['sh', '-c', script]}, {
    whenStdout: 'ready',
    descriptors: [undefined, ['pid,ppid,user,uid,comm,args,huser,hpid,group,tty'], ['bogus']],
  })
  t.is(report.error, undefined)
  t.deepEqual(report.exit, {code: null, signal: 'SIGKILL'}, report.stderr)
  const [standard, custom, bogus] = report.top as [TopResult, TopResult, {error: string}]

  t.deepEqual(standard.headers, ['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND'])
  const byCommand = new Map(standard.rows.map((r) => [r[7], r]))
  t.deepEqual([...byCommand.keys()].sort(), ['sleep 1000', 'sleep 1001', 'sleep 999'])
  t.deepEqual(byCommand.get('sleep 999')!.slice(0, 3), ['root', '1', '0'])
  t.deepEqual(byCommand.get('sleep 1000')!.slice(0, 3), ['root', byCommand.get('sleep 1000')![1], '1'])
  t.is(byCommand.get('sleep 1001')![0], 'user')
  for (const row of standard.rows) {
    t.regex(row[3], /^\d+\.\d{3}$/)
    t.regex(row[4], /s$/)
    t.is(row[5], '?')
    t.is(row[6], '0s')
  }
  t.deepEqual(standard.rows.map((r) => Number(r[1])), standard.rows.map((r) => Number(r[1])).sort((a, b) => a - b))

  t.deepEqual(custom.headers, ['PID', 'PPID', 'USER', 'UID', 'COMMAND', 'COMMAND', 'HUSER', 'HPID', 'GROUP', 'TTY'])
  const init = custom.rows.find((r) => r[0] === '1')!
  t.deepEqual(init.slice(0, 6), ['1', '0', 'root', '0', 'sleep', 'sleep 999'])
  t.is(init[6], 'tspoduser', 'container root is the user on the host')
  t.is(init[7], String(report.pid))
  t.is(init[8], 'root')
  const asUser = custom.rows.find((r) => r[5] === 'sleep 1001')!
  t.deepEqual(asUser.slice(2, 4), ['user', '1234'])
  t.regex(asUser[6], /^\d+$/, 'a subordinate uid has no name on the host')

  t.is(bogus.error, "'bogus': unknown descriptor")
})

test('podman top with a terminal: the container\'s pts', async (t) => {
  const report = await run(busybox, {tty: true, args: ['sh', '-c', 'echo ready; exec sleep 999']}, {whenStdout: 'ready', descriptors: [['pid,tty,args']]})
  t.is(report.error, undefined, JSON.stringify(report))
  const [top] = report.top as [TopResult]
  t.deepEqual(top.rows, [['1', 'pts/0', 'sleep 999']])
})
