// The /proc readers of stats on this test's own children (host processes): CPU time of a busy
// loop, memory, tasks, descendants; the parsers of status-like files and net/dev.
import test from 'ava'

import {descendantsOf, fieldOf, indexProcesses, namespaceMembers, parseNetDev, readNetBytes, readProcessUsage, sumUsage} from '../../../src/runtime/stats/proc-usage'
import {pidNamespaceOf} from '../../../src/runtime/top/proc'
import {spawnedShell} from '../../helpers/processes'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('fieldOf: the number after "Key:" in status, smaps_rollup and io', (t) => {
  const text = 'Name:\tsh\nVmRSS:\t    1512 kB\nPss:                 317 kB\nread_bytes: 4096\n'
  t.is(fieldOf(text, 'VmRSS'), 1512)
  t.is(fieldOf(text, 'Pss'), 317)
  t.is(fieldOf(text, 'read_bytes'), 4096)
  t.is(fieldOf(text, 'Name'), undefined)
  t.is(fieldOf(text, 'Missing'), undefined)
})

test('parseNetDev: received and sent bytes of every interface but lo', (t) => {
  const text =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n' +
    '    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0\n' +
    '  eth0:     578       5    0    0    0     0          0         0     1219       9    0    0    0     0       0          0\n' +
    '  tap1:      22       1    0    0    0     0          0         0       8       1    0    0    0     0       0          0\n'
  t.deepEqual(parseNetDev(text), {received: 600, transmitted: 1227})
})

test('a busy loop\'s CPU time grows; its memory, one task', async (t) => {
  const child = spawnedShell(t, 'while :; do :; done')
  await sleep(500)
  const first = readProcessUsage(child.pid!)!
  await sleep(500)
  const second = readProcessUsage(child.pid!)!
  t.true(second.cpuNs > first.cpuNs, `${first.cpuNs} → ${second.cpuNs}`)
  t.true(second.cpuNs >= second.systemCpuNs)
  t.true(second.memoryBytes > 0)
  t.is(second.tasks, 1)
  t.is(readProcessUsage(2 ** 22 + 1), undefined, 'no such process')
})

test('descendants and namespace members; the sum over processes; no network bytes of the host\'s own namespace', async (t) => {
  const child = spawnedShell(t, 'sleep 60 & sleep 61 & wait')
  await sleep(300)
  const tree = descendantsOf(child.pid!)
  t.is(tree[0], child.pid!)
  t.is(tree.length, 3, 'the shell and its two sleeps')
  t.is(sumUsage(tree).tasks, 3)
  t.true(sumUsage(tree).memoryBytes > sumUsage([child.pid!]).memoryBytes)
  t.true(namespaceMembers(pidNamespaceOf(process.pid)!).includes(child.pid!))
  t.is(readNetBytes(process.pid), undefined)
})

test('one index for a report: descendants through a cycle-safe walk, members by namespace', (t) => {
  const index = {byNamespace: new Map([['pid:[1]', [10, 11]]]), children: new Map([[10, [11, 12]], [12, [13]], [13, [12]]])}
  t.deepEqual(descendantsOf(10, index), [10, 11, 12, 13])
  t.deepEqual(descendantsOf(99, index), [99])
  t.deepEqual(namespaceMembers('pid:[1]', index), [10, 11])
  t.deepEqual(namespaceMembers('pid:[2]', index), [])
  const host = indexProcesses()
  t.true(host.children.get(process.ppid)?.includes(process.pid) ?? false)
})
