import test from 'ava'

import {binarySize, compactSize, humanDuration, humanSize, timeAgo} from '../../src/cli/units'

test('sizes as go-units prints them (3 significant digits, decimal units)', (t) => {
  t.is(humanSize(0), '0 B')
  t.is(humanSize(999), '999 B')
  t.is(humanSize(1000), '1 kB')
  t.is(humanSize(1500), '1.5 kB')
  t.is(humanSize(7_626_365), '7.63 MB')
  t.is(humanSize(123_456_789), '123 MB')
  t.is(humanSize(5_000_000_000), '5 GB')
})

test('compact sizes as go-units HumanSize prints them (4 significant digits, no space)', (t) => {
  t.is(compactSize(0), '0B')
  t.is(compactSize(12), '12B')
  t.is(compactSize(2_132_224), '2.132MB')
  t.is(compactSize(4_275_446), '4.275MB')
  t.is(compactSize(1_000_000), '1MB')
})

test('durations as go-units prints them', (t) => {
  t.is(humanDuration(500), 'Less than a second')
  t.is(humanDuration(1000), '1 second')
  t.is(humanDuration(45_000), '45 seconds')
  t.is(humanDuration(90_000), 'About a minute')
  t.is(humanDuration(30 * 60_000), '30 minutes')
  t.is(humanDuration(3_600_000), 'About an hour')
  t.is(humanDuration(30 * 3_600_000), '30 hours')
  t.is(humanDuration(5 * 86_400_000), '5 days')
  t.is(humanDuration(20 * 86_400_000), '2 weeks')
  t.is(humanDuration(100 * 86_400_000), '3 months')
  t.is(humanDuration(800 * 86_400_000), '2 years')
  t.is(timeAgo(new Date(0), new Date(3 * 86_400_000)), '3 days ago')
})

test('binarySize: go-units BytesSize, 4 significant digits in powers of 1024', (t) => {
  t.is(binarySize(0), '0B')
  t.is(binarySize(1023), '1023B')
  t.is(binarySize(1536), '1.5KiB')
  t.is(binarySize(8_000_000), '7.629MiB')
  t.is(binarySize(25_320_000_000), '23.58GiB')
})
