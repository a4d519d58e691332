// The pieces of `podman top` output that are pure text: Go's duration and time strings, /proc
// parsing, capability sets, descriptor names.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {capabilitySet, listDescriptors, resolveDescriptors} from '../../../src/runtime/top/descriptors'
import {goDuration, goTime} from '../../../src/runtime/top/go-format'
import {parseCmdline, parseStat, parseStatus} from '../../../src/runtime/top/proc'

test('goDuration is time.Duration.String()', (t) => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [1_000_000n, '1ms'],
    [1_234_567n, '1.234567ms'],
    [1_000_000_000n, '1s'],
    [3_618_443_563n, '3.618443563s'],
    [60_000_000_000n, '1m0s'],
    [125_500_000_000n, '2m5.5s'],
    [3_600_000_000_000n, '1h0m0s'],
    [90_061_000_000_000n, '25h1m1s'],
    [-1_500_000_000n, '-1.5s'],
  ]
  for (const [ns, text] of cases) t.is(goDuration(ns), text, String(ns))
})

test('goTime is time.Time.String() in the local zone', (t) => {
  const text = goTime(1_700_000_000)
  t.regex(text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/)
  if (new Date(0).getTimezoneOffset() === 0 && !process.env.TZ) t.is(text, '2023-11-14 22:13:20 +0000 UTC')
})

test('stat: the comm may hold spaces and parentheses; status and cmdline fields', (t) => {
  const stat = parseStat('42 (a (b) c) S 1 42 42 34816 42 4194560 1 0 0 0 7 3 0 0 20 0 1 0 12345 4321000 100 18446744073709551615')
  t.like(stat, {comm: 'a (b) c', state: 'S', ppid: 1, pgrp: 42, ttyNr: 34816, utime: 7, stime: 3, nice: '0', starttime: 12345, vsize: 4321000})
  const status = parseStatus('Name:\tsleep\nState:\tS (sleeping)\nPPid:\t7\nUid:\t1001\t1001\t1001\t1001\nGid:\t1002\t1002\t1002\t1002\nGroups:\t1002 5 \nNSpid:\t900\t3\nNSpgid:\t899\t1\nCapEff:\t0000000000000000\nSeccomp:\t2\nVmRSS:\t    1684 kB\n')
  t.like(status, {name: 'sleep', state: 'S', ppid: 7, uids: [1001, 1001, 1001, 1001], groups: [1002, 5], nsPid: [900, 3], nsPgid: [899, 1], seccomp: '2', vmRss: '1684'})
  t.deepEqual(parseCmdline(Buffer.from('sleep\x00100\x00')), ['sleep', '100'])
  t.deepEqual(parseCmdline(Buffer.from('')), [''])
})

test('capability sets as psgo prints them', (t) => {
  t.is(capabilitySet('000001ffffffffff'), 'full')
  t.is(capabilitySet('0000000000000000'), 'none')
  t.is(capabilitySet('00000000800405fb'), 'CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT')
})

test('descriptors: names, codes, comma lists, the default set; unknown ones in psgo\'s words', (t) => {
  t.deepEqual(resolveDescriptors(undefined).map((d) => d.header), ['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND'])
  t.deepEqual(resolveDescriptors([]).length, 8)
  t.deepEqual(resolveDescriptors(['pid,comm', '%U', 'args', 'uid']).map((d) => d.header), ['PID', 'COMMAND', 'USER', 'COMMAND', 'UID'])
  t.throws(() => resolveDescriptors(['pid', 'bogus']), {instanceOf: UsageError, message: "'bogus': unknown descriptor"})
  t.true(listDescriptors().includes('huser'))
  t.is(listDescriptors().length, 32)
})
