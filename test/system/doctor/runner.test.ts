import test from 'ava'

import {CheckResult, fail, ok, warn} from '../../../src/system/doctor/check-result'
import {DoctorContext} from '../../../src/system/doctor/context'
import {parseProbeOutput} from '../../../src/system/doctor/namespace-probe'
import {binarySize} from '../../../src/system/doctor/disk-space'
import {CHECK_GROUPS, applyRepairs, doctorExitCode, formatResult, rootCommands, runChecks, selectGroups, toReport} from '../../../src/system/doctor/runner'

test('exit status: 0 all OK, 1 warnings only, 2 any failure', (t) => {
  t.is(doctorExitCode([ok('a', 'x'), ok('b', 'y')]), 0)
  t.is(doctorExitCode([ok('a', 'x'), warn('b', 'y', 'z')]), 1)
  t.is(doctorExitCode([warn('a', 'x', ''), fail('b', 'y', 'z'), ok('c', 'd')]), 2)
  t.is(doctorExitCode([]), 0)
})

test('one line per result: status, check, what was found, the fix', (t) => {
  t.is(formatResult(ok('subuid', 'fine')), 'OK   subuid: fine')
  t.is(formatResult(warn('graph root path', 'blocked', 'as root: `x`')), 'WARN graph root path: blocked; fix: as root: `x`')
  t.is(formatResult(fail('cgroups', 'v1', 'boot v2')), 'FAIL cgroups: v1; fix: boot v2')
})

test('JSON entries carry check, status, message and fix only; root commands come from results that are not OK', (t) => {
  const r: CheckResult = warn('x', 'm', 'f', {rootCommands: ['chmod o+x /a'], repairs: [{description: 'd', apply: async () => undefined}]})
  t.deepEqual(toReport([r]), [{check: 'x', status: 'WARN', message: 'm', fix: 'f'}])
  t.deepEqual(rootCommands([r, ok('y', 'm', '', {rootCommands: ['never']})]), [{check: 'x', command: 'chmod o+x /a'}])
})

test('repairs run in order; a failing one is reported and the rest still run', async (t) => {
  const done: string[] = []
  const results = [
    warn('a', 'm', 'f', {repairs: [{description: 'first', apply: async () => void done.push('first')}, {description: 'broken', apply: async () => Promise.reject(new Error('EBUSY: busy'))}]}),
    warn('b', 'm', 'f', {repairs: [{description: 'third', apply: async () => void done.push('third')}]}),
  ]
  t.deepEqual(await applyRepairs(results), [
    {check: 'a', description: 'first'},
    {check: 'a', description: 'broken', error: 'EBUSY: busy'},
    {check: 'b', description: 'third'},
  ])
  t.deepEqual(done, ['first', 'third'])
})

test('a group that throws becomes a FAIL line and the others still run', async (t) => {
  const boom = {name: 'boom', summary: '', run: async () => Promise.reject(new Error('kaput'))}
  const fine = {name: 'fine', summary: '', run: async () => [ok('fine', 'yes')]}
  const results = await runChecks({} as DoctorContext, [boom, fine])
  t.deepEqual(toReport(results), [
    {check: 'boom', status: 'FAIL', message: 'the check itself failed: kaput', fix: ''},
    {check: 'fine', status: 'OK', message: 'yes', fix: ''},
  ])
})

test('--check names select groups in the doctor\'s order; an unknown name is a usage error', (t) => {
  t.deepEqual(selectGroups(['cgroups', 'subids']).map((g) => g.name), ['subids', 'cgroups'])
  t.is(selectGroups(undefined), CHECK_GROUPS)
  t.throws(() => selectGroups(['nope']), {message: /^unknown check "nope": expected one of subids, idmap-tools, /})
})

test('the namespace probe output: setgroups policy and the groups held inside', (t) => {
  t.deepEqual(parseProbeOutput('allow\nName:\tcat\nUid:\t0\t0\t0\t0\nGroups:\t65534 0 \n'), {setgroups: 'allow', groups: [65534, 0]})
  t.deepEqual(parseProbeOutput('deny\nGroups:\n'), {setgroups: 'deny', groups: []})
  t.deepEqual(parseProbeOutput(''), {setgroups: undefined, groups: undefined})
})

test('sizes in binary units', (t) => {
  t.is(binarySize(512), '512 B')
  t.is(binarySize(1024 ** 3), '1.0 GiB')
  t.is(binarySize(4 * 1024 ** 2 - 4096), '4.0 MiB')
})
