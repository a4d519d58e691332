// src/engine/doctor-report.ts: what `doctor` shows of each result (a line; --format json) and the
// check groups --check selects from.
import test from 'ava'

import {CHECK_GROUPS, formatResult, toReport} from '../../src/engine/doctor-report'
import {fail, ok, warn} from '../../src/system/doctor/check-result'

test('one line a result: the status padded to four, the check, the message and the fix', (t) => {
  t.is(formatResult(ok('subuid', 'tspoduser has 65536 ids')), 'OK   subuid: tspoduser has 65536 ids')
  t.is(formatResult(warn('graph root path', 'on tmpfs', 'use a disk')), 'WARN graph root path: on tmpfs; fix: use a disk')
  t.is(formatResult(fail('overlay', 'not there', '`modprobe overlay`')), 'FAIL overlay: not there; fix: `modprobe overlay`')
})

test('the JSON report leaves out the repairs and root commands', (t) => {
  const result = warn('leftovers', 'an orphan dir', 'run doctor --fix', {repairs: [{description: 'removed it', apply: async () => {}}], rootCommands: ['chown x']})
  t.deepEqual(toReport([result]), [{check: 'leftovers', status: 'WARN', message: 'an orphan dir', fix: 'run doctor --fix'}])
})

test('the check groups have distinct names and a summary each', (t) => {
  const names = CHECK_GROUPS.map((g) => g.name)
  t.is(new Set(names).size, names.length)
  t.true(CHECK_GROUPS.every((g) => g.summary.length > 0 && typeof g.run === 'function'))
})
