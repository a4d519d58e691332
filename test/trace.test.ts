// The phase trace: marks kept until a sink is attached, none when tracing is off; the CLI logs
// each phase at --log-level=debug and nothing below it.
import test from 'ava'

import {type PhaseMark, attachTraceSink, stopTrace, tracePhase} from '../src/trace'
import {lookupUser, removeTree, sandbox, tspod, TEST_USER} from './helpers/rootless'

test('marks before the sink reach it first, in order, with growing times; none once stopped', (t) => {
  stopTrace()
  tracePhase('ignored')
  const seen: PhaseMark[] = []
  attachTraceSink((mark) => seen.push(mark))
  tracePhase('first')
  tracePhase('second')
  t.deepEqual(
    seen.map((m) => m.phase),
    ['node start', 'first', 'second'],
  )
  t.true(seen.every((m, i) => i === 0 || m.at >= seen[i - 1].at))
  stopTrace()
  tracePhase('after')
  t.is(seen.length, 3)
})

test('the CLI: a listing at debug logs every start-up phase and the store open; at info, none', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  try {
    const debug = await tspod(box, ['--log-level=debug', 'images'])
    t.is(debug.code, 0, debug.stderr)
    const phases = [...debug.stderr.matchAll(/ level=debug msg="trace: (.+) done at ([\d.]+) ms \(\+[\d.]+ ms\)"$/gm)].map((m) => m[1])
    // a command found in the build's command table starts without oclif's Config ("command lookup")
    t.deepEqual(phases, ['node start', 'module load', 'command lookup', 'argument parsing', 'store open', 'command'])
    const info = await tspod(box, ['--log-level=info', 'images'])
    t.is(info.code, 0, info.stderr)
    t.notRegex(info.stderr, /trace:/)
  } finally {
    removeTree(box.dir)
  }
})
