// Event times as Go's time.Time: RFC 3339 with nanoseconds, Time.String(), and --since/--until.
import test from 'ava'

import {goTimeString, nowTime, parseInputTime, parseRfc3339, rfc3339Nano} from '../../src/events/time'

test('RFC 3339 times carry nanoseconds both ways; trailing zeros are dropped as Go drops them', (t) => {
  t.deepEqual(parseRfc3339('2026-01-02T03:04:05.123456789Z'), {ns: 1767323045123456789n, offsetMin: 0})
  t.deepEqual(parseRfc3339('2026-01-02T05:04:05.5+02:00'), {ns: 1767323045500000000n, offsetMin: 120})
  t.is(parseRfc3339('2026-01-02 03:04:05Z'), undefined)
  t.is(parseRfc3339('yesterday'), undefined)
  const text = rfc3339Nano(1767323045120000000n)
  t.regex(text, /^2026-01-0\dT\d{2}:04:05\.12(Z|[+-]\d{2}:\d{2})$/)
  t.is(parseRfc3339(text)?.ns, 1767323045120000000n)
  t.is(parseRfc3339(rfc3339Nano(1767323045000000000n))?.ns, 1767323045000000000n, 'a whole second has no fraction')
})

test('successive readings of now keep their order and carry nanoseconds', (t) => {
  const a = parseRfc3339(nowTime())!.ns
  const b = parseRfc3339(nowTime())!.ns
  t.true(b >= a)
  t.true(Math.abs(Number(a / 1_000_000n) - Date.now()) < 60_000)
})

test('Time.String(): date, time, fraction, offset and zone, in the zone the time was written in', (t) => {
  t.is(goTimeString('2026-01-02T05:04:05.5+02:00'), '2026-01-02 05:04:05.5 +0200 +0200')
  t.is(goTimeString('not a time'), 'not a time')
})

test('--since and --until: RFC 3339, a date or zone-less time (UTC), Unix seconds, a duration from now', (t) => {
  t.is(parseInputTime('2026-01-02T03:04:05Z', true), 1767323045000000000n)
  t.is(parseInputTime('2026-01-02', true), 1767312000000000000n)
  t.is(parseInputTime('2026-01-02T03:04:05.25', true), 1767323045250000000n)
  t.is(parseInputTime('1767323045.5', true), 1767323045500000000n)
  const now = BigInt(Date.now()) * 1_000_000n
  const since = parseInputTime('1h', true)
  const until = parseInputTime('1h', false)
  t.true(now - since > 3_590_000_000_000n && now - since < 3_610_000_000_000n)
  t.true(until - now > 3_590_000_000_000n && until - now < 3_610_000_000_000n)
  t.throws(() => parseInputTime('soon', true), {message: 'unable to interpret time value'})
})
