// /proc/<pid>/stat, status and cmdline as `top` reads them.
import test from 'ava'

import {parseCmdline, parseStat, parseStatus} from '../../../src/runtime/top/proc'

test('stat: the comm may hold spaces and parentheses; status and cmdline fields', (t) => {
  const stat = parseStat('42 (a (b) c) S 1 42 42 34816 42 4194560 1 0 0 0 7 3 0 0 20 0 1 0 12345 4321000 100 18446744073709551615')
  t.like(stat, {comm: 'a (b) c', state: 'S', ppid: 1, pgrp: 42, ttyNr: 34816, utime: 7, stime: 3, nice: '0', starttime: 12345, vsize: 4321000})
  const status = parseStatus('Name:\tsleep\nState:\tS (sleeping)\nPPid:\t7\nUid:\t1001\t1001\t1001\t1001\nGid:\t1002\t1002\t1002\t1002\nGroups:\t1002 5 \nNSpid:\t900\t3\nNSpgid:\t899\t1\nCapEff:\t0000000000000000\nSeccomp:\t2\nVmRSS:\t    1684 kB\n')
  t.like(status, {name: 'sleep', state: 'S', ppid: 7, uids: [1001, 1001, 1001, 1001], groups: [1002, 5], nsPid: [900, 3], nsPgid: [899, 1], seccomp: '2', vmRss: '1684'})
  t.deepEqual(parseCmdline(Buffer.from('sleep\x00100\x00')), ['sleep', '100'])
  t.deepEqual(parseCmdline(Buffer.from('')), [''])
})
