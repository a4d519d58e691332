// parseSignal: kill's --signal as Podman takes it: a name with or without SIG in any case, or a
// number 1..64; anything else is `invalid signal: TEXT` (Podman 4.3.1 says the same for a bad
// name and for 0).
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseSignal} from '../../src/cli/signal'

test('names with or without SIG, in any case, are the signal\'s name', (t) => {
  for (const text of ['TERM', 'SIGTERM', 'term', 'sigterm', 'SigTerm']) t.is(parseSignal(text), 'SIGTERM')
  t.is(parseSignal('kill'), 'SIGKILL')
  t.is(parseSignal('USR1'), 'SIGUSR1')
})

test('numbers 1 through 64 are taken as numbers, real-time ones included', (t) => {
  t.is(parseSignal('1'), 1)
  t.is(parseSignal('9'), 9)
  t.is(parseSignal('34'), 34)
  t.is(parseSignal('64'), 64)
})

test('unknown names, 0, numbers past 64 and signed or spaced text are usage errors', (t) => {
  for (const text of ['bogus', 'SIGBOGUS', '0', '65', '-9', '+9', ' 9', '9x', ''])
    t.throws(() => parseSignal(text), {instanceOf: UsageError, message: `invalid signal: ${text}`})
})
