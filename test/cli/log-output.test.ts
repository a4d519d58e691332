// Log entries as `logs` and `pod logs` print them: each run of one stream in one write, the
// prefix and time stamp at the start of each line only.
import test from 'ava'

import {printLogEntries} from '../../src/cli/log-output'

test.serial('runs of one stream go out in one write; partial lines get no prefix where they continue', (t) => {
  const writes: [string, string][] = []
  const out = process.stdout.write
  const err = process.stderr.write
  process.stdout.write = ((s: string) => writes.push(['out', s]) > 0) as typeof process.stdout.write
  process.stderr.write = ((s: string) => writes.push(['err', s]) > 0) as typeof process.stderr.write
  try {
    const atLineStart = {value: true}
    printLogEntries(
      [
        {stream: 'stdout', time: 'T1', content: 'a', partial: false},
        {stream: 'stdout', time: 'T2', content: 'b', partial: true},
        {stream: 'stdout', time: 'T3', content: 'c', partial: false},
        {stream: 'stderr', time: 'T4', content: 'oops', partial: false},
      ] as Parameters<typeof printLogEntries>[0],
      true,
      'web ',
      atLineStart,
    )
    t.true(atLineStart.value)
  } finally {
    process.stdout.write = out
    process.stderr.write = err
  }
  t.deepEqual(writes, [
    ['out', 'web T1 a\nweb T2 bc\n'],
    ['err', 'web T4 oops\n'],
  ])
})
