// `volume ls/prune --filter` parsing and label matching, as containers/common does it.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {matchLabels, parseUntil, parseVolumeFilters} from '../../../src/runtime/volume/filter'

test('KEY=VALUE, repeated keys collect their values; no "=" is refused', (t) => {
  t.deepEqual([...parseVolumeFilters(['name=a', 'label=x', 'name=b', 'opt=o=1']).entries()], [
    ['name', ['a', 'b']],
    ['label', ['x']],
    ['opt', ['o=1']],
  ])
  t.throws(() => parseVolumeFilters(['dangling']), {instanceOf: UsageError, message: 'filter input must be in the form of filter=value: dangling is invalid'})
})

test('labels: every key or key=value must be there; a * in a key matches anywhere, across dots and slashes', (t) => {
  const labels = {'com.example.team': 'db', 'io.x/tier': 'gold', empty: ''}
  t.true(matchLabels(['com.example.team'], labels))
  t.true(matchLabels(['com.example.team=db', 'io.x/tier=gold'], labels))
  t.false(matchLabels(['com.example.team=web'], labels))
  t.false(matchLabels(['com.example.team', 'missing'], labels), 'all must match')
  t.true(matchLabels(['*example*'], labels))
  t.true(matchLabels(['x/t*=gold'], labels))
  t.false(matchLabels(['com.example'], labels), 'without * the key must be whole')
  t.true(matchLabels(['empty='], labels), 'key= is just the key')
  t.true(matchLabels([], {}))
})

test('until takes exactly one time value', (t) => {
  const now = Date.parse('2026-06-01T00:00:00Z')
  t.is(parseUntil(['1h'], now), now - 3_600_000)
  t.is(parseUntil(['2026-01-01T00:00:00Z'], now), Date.parse('2026-01-01T00:00:00Z'))
  t.throws(() => parseUntil([], now), {instanceOf: UsageError, message: 'specify exactly one timestamp for until'})
  t.throws(() => parseUntil(['1h', '2h'], now), {message: 'specify exactly one timestamp for until'})
  t.throws(() => parseUntil(['soon'], now), {message: 'failed to parse value as time or duration: "soon"'})
})
