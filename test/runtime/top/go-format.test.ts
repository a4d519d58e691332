// Go's duration and time strings, as `podman top` prints them.
import test from 'ava'

import {goDuration, goTime} from '../../../src/runtime/top/go-format'

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
