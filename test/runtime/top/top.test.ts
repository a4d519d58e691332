// @userns
// topProcesses on a plain host process tree (this test's own children, in the host's pid
// namespace, where container pids are host pids): the columns from /proc.
import test from 'ava'
import {ChildProcess, spawn} from 'node:child_process'
import * as fs from 'node:fs'

import {TspodError} from '../../../src/errors'
import {topProcesses} from '../../../src/runtime/top/top'

function started(child: ChildProcess, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes(marker)) resolve()
    })
    child.on('error', reject)
    child.on('exit', () => reject(new Error(`exited before "${marker}"`)))
  })
}

function childPids(pid: number): number[] {
  return fs
    .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
}

test('a host process tree: pids, parents, user, command, times, tty in the default format and by descriptor', async (t) => {
  const child = spawn('sh', ['-c', 'sleep 60 & echo ready; exec sleep 61'], {stdio: ['ignore', 'pipe', 'inherit']})
  t.teardown(() => {
    for (const pid of childPids(child.pid!)) process.kill(pid, 'SIGKILL')
    child.kill('SIGKILL')
  })
  await started(child, 'ready')
  // the exec happened once /proc shows it
  for (let i = 0; i < 100 && fs.readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 10))
  const [background] = childPids(child.pid!)

  const top = topProcesses(child.pid!)
  t.deepEqual(top.headers, ['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND'])
  const row = (pid: number): string[] => top.rows.find((r) => r[1] === String(pid))!
  const [user, pid, ppid, pcpu, etime, tty, time, args] = row(child.pid!)
  t.is(user, 'root')
  t.is(pid, String(child.pid))
  t.is(ppid, String(process.pid))
  t.regex(pcpu, /^\d+\.\d{3}$/)
  t.regex(etime, /^(\d+m)?\d+(\.\d+)?s$|^\d+(\.\d+)?(ms|µs|ns)$/)
  t.is(tty, '?')
  t.is(time, '0s')
  t.is(args, 'sleep 61')
  t.deepEqual(row(background).slice(1, 3), [String(background), String(child.pid)])
  t.is(row(background)[7], 'sleep 60')
  // the host's pid namespace: every process of it, in pid order
  const pids = top.rows.map((r) => Number(r[1]))
  t.deepEqual(pids, [...pids].sort((a, b) => a - b))
  t.true(pids.includes(process.pid))

  const custom = topProcesses(child.pid!, ['pid,comm', 'uid', 'user', 'hpid', 'state', 'capeff', 'seccomp', 'pgid', 'nice'])
  t.deepEqual(custom.headers, ['PID', 'COMMAND', 'UID', 'USER', 'HPID', 'STATE', 'EFFECTIVE CAPS', 'SECCOMP', 'PGID', 'NI'])
  const mine = custom.rows.find((r) => r[0] === String(child.pid))!
  t.deepEqual(mine.slice(0, 6), [String(child.pid), 'sleep', '0', 'root', String(child.pid), 'S'])
  t.is(mine[7], 'disabled')
  t.is(mine[8], fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ')[2])
  t.is(mine[9], '0')
})

test('errors: an unknown descriptor, a process that is gone', (t) => {
  t.throws(() => topProcesses(process.pid, ['pid', 'nope']), {message: "'nope': unknown descriptor"})
  const err = t.throws(() => topProcesses(2 ** 22 + 1), {instanceOf: TspodError})
  t.regex(err!.message, /4194305/)
})
