// --since/--until and the until= filters: Go durations before now, Unix seconds, RFC 3339 dates.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseGoDuration, parseTimeValue} from '../../src/runtime/time-value'

test('Go durations, in milliseconds, as time.ParseDuration reads them', (t) => {
  t.is(parseGoDuration('10m'), 600_000)
  t.is(parseGoDuration('1h30m'), 5_400_000)
  t.is(parseGoDuration('1.5h'), 5_400_000)
  t.is(parseGoDuration('-10s'), -10_000)
  t.is(parseGoDuration('+2s'), 2000)
  t.is(parseGoDuration('.5s'), 500)
  t.is(parseGoDuration('250ms'), 250)
  t.is(parseGoDuration('1500us'), 1.5)
  t.is(parseGoDuration('1500µs'), 1.5)
  t.is(parseGoDuration('0'), 0)
  for (const none of ['', '10', '1d', 'h', '1h 30m', '1.5.5s', 'abc']) t.is(parseGoDuration(none), undefined, none)
})

test('a time value: a duration before now, Unix seconds, or a date', (t) => {
  const now = Date.parse('2026-06-01T12:00:00Z')
  t.is(parseTimeValue('1h', now), now - 3_600_000)
  t.is(parseTimeValue('0', now), now)
  t.is(parseTimeValue('1700000000', now), 1_700_000_000_000)
  t.is(parseTimeValue('1700000000.5', now), 1_700_000_000_500)
  t.is(parseTimeValue('2026-01-02T15:04:05Z', now), Date.parse('2026-01-02T15:04:05Z'))
  t.is(parseTimeValue('2026-01-02T15:04:05+02:00', now), Date.parse('2026-01-02T13:04:05Z'))
  t.is(parseTimeValue('2026-01-02 15:04:05Z', now), Date.parse('2026-01-02T15:04:05Z'))
  t.is(parseTimeValue('2026-01-02', now), Date.parse('2026-01-02'))
})

test('anything else is a usage error naming the value', (t) => {
  for (const bad of ['yesterday', '2026-13-45', '1d', '', '2026/01/02'])
    t.throws(() => parseTimeValue(bad), {instanceOf: UsageError, message: `failed to parse value as time or duration: ${JSON.stringify(bad)}`}, bad)
})
