// The shape of a doctor check's result, and the "as root" fix text.
import test from 'ava'

import {asRoot, fail, ok, warn} from '../../../src/system/doctor/check-result'

test('ok, warn and fail carry their status, message, fix and any extra', (t) => {
  t.deepEqual(ok('overlay', 'kernel overlay works'), {check: 'overlay', status: 'OK', message: 'kernel overlay works', fix: ''})
  t.deepEqual(warn('subuid', 'no range', 'add one'), {check: 'subuid', status: 'WARN', message: 'no range', fix: 'add one'})
  const repairs = [{description: 'removed x', apply: async () => {}}]
  t.deepEqual(fail('store', 'broken', 'repair it', {rootCommands: ['chown u /x'], repairs}), {
    check: 'store',
    status: 'FAIL',
    message: 'broken',
    fix: 'repair it',
    rootCommands: ['chown u /x'],
    repairs,
  })
})

test('commands for root are quoted in backticks, alternatives joined by "or"', (t) => {
  t.is(asRoot('usermod --add-subuids 100000-165535 u'), 'as root: `usermod --add-subuids 100000-165535 u`')
  t.is(asRoot('a', 'b'), 'as root: `a` or `b`')
})
