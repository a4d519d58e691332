// The errno text of a system error as Go and C tools print it.
import test from 'ava'
import * as fs from 'node:fs'

import {systemErrorText} from '../../../src/runtime/spec/system-error'

test('Node\'s decorations are dropped: the errno\'s own words', (t) => {
  const err = t.throws(() => fs.readFileSync('/nonexistent/file'))
  t.is(systemErrorText(err), 'no such file or directory')
  const dir = t.throws(() => fs.readFileSync('/'))
  t.is(systemErrorText(dir), 'illegal operation on a directory')
})

test('other errors keep their message; other values are printed', (t) => {
  t.is(systemErrorText(new Error('plain')), 'plain')
  t.is(systemErrorText(Object.assign(new Error('odd'), {errno: 999999})), 'odd')
  t.is(systemErrorText('text'), 'text')
  t.is(systemErrorText(undefined), 'undefined')
})
