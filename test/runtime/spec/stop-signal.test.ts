// The image's StopSignal as a number: names with or without SIG in any case, numbers, SIGRTMIN+n.
import test from 'ava'
import * as os from 'node:os'

import {TspodError} from '../../../src/errors'
import {DEFAULT_STOP_SIGNAL, parseStopSignal} from '../../../src/runtime/spec/stop-signal'

test('signal names in any case, with or without SIG, and numbers', (t) => {
  t.is(DEFAULT_STOP_SIGNAL, 15)
  t.is(parseStopSignal('SIGTERM'), 15)
  t.is(parseStopSignal('term'), 15)
  t.is(parseStopSignal('SigKill'), os.constants.signals.SIGKILL)
  t.is(parseStopSignal('-HUP'), 1)
  t.is(parseStopSignal('9'), 9)
  t.is(parseStopSignal('64'), 64)
})

test('real-time signals are counted from RTMIN up and RTMAX down', (t) => {
  t.is(parseStopSignal('RTMIN'), 34)
  t.is(parseStopSignal('SIGRTMIN+3'), 37)
  t.is(parseStopSignal('rtmax'), 64)
  t.is(parseStopSignal('RTMAX-2'), 62)
})

test('unknown names and numbers out of range are refused', (t) => {
  for (const bad of ['0', '65', 'SIGNOPE', 'RTMIN-1', 'RTMAX+1', ''])
    t.throws(() => parseStopSignal(bad), {instanceOf: TspodError, message: `invalid signal: ${bad}`}, bad)
})
