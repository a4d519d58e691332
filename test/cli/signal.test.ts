// parseSignal: kill's --signal as Podman takes it: a name with or without SIG in any case, or a
// number, one leading dash dropped; Podman's messages for a bad name and for a number out of range.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseSignal} from '../../src/cli/signal'

test('names, with or without SIG, any case, and a leading dash', (t) => {
  for (const text of ['TERM', 'SIGTERM', 'term', 'sigterm', 'SigTerm', '-TERM', '-SIGTERM']) t.is(parseSignal(text), 15)
  t.is(parseSignal('kill'), 9)
  t.is(parseSignal('USR1'), 10)
  t.is(parseSignal('-INT'), 2)
  t.is(parseSignal('RTMIN'), 34)
  t.is(parseSignal('RTMIN+3'), 37)
  t.is(parseSignal('SIGRTMAX-1'), 63)
  t.is(parseSignal('CLD'), 17)
})

test('numbers 1 to 64, a leading dash dropped', (t) => {
  t.is(parseSignal('1'), 1)
  t.is(parseSignal('-1'), 1)
  t.is(parseSignal('9'), 9)
  t.is(parseSignal('64'), 64)
})

test('a bad name is an invalid signal, its dash dropped; a number out of range is told the range', (t) => {
  for (const text of ['0', 'SIGBADSIG', 'SIG', 'BADSIG', '%%', '!', "''", '""', ' ', ''])
    t.throws(() => parseSignal(text), {instanceOf: UsageError, message: `invalid signal: ${text}`})
  for (const text of ['-0', '-SIGBADSIG', '-SIG', '-BADSIG', '-'])
    t.throws(() => parseSignal(text), {instanceOf: UsageError, message: `invalid signal: ${text.slice(1)}`})
  for (const text of ['65', '-65', '96', '999', '99999999'])
    t.throws(() => parseSignal(text), {instanceOf: UsageError, message: 'valid signals are 1 through 64'})
})
