import test from 'ava'

import {parseSubIdFile, rangesFor} from '../../src/userns/subid'

const FILE = `# comment
alice:100000:65536

1001:300000:1000
alice:200000:65536
bob:165536:65536
broken line
carol:x:10
dave:5:0
alice:400000:10:extra
`

test('parses name:start:count lines, skipping comments, blanks and malformed lines like shadow-utils', (t) => {
  const entries = parseSubIdFile(FILE)
  t.deepEqual(
    entries.map((e) => [e.owner, e.start, e.count, e.line]),
    [
      ['alice', 100000, 65536, 2],
      ['1001', 300000, 1000, 4],
      ['alice', 200000, 65536, 5],
      ['bob', 165536, 65536, 6],
    ],
  )
})

test('a user owns the ranges under its name and under its numeric uid, sorted by start', (t) => {
  const entries = parseSubIdFile(FILE)
  t.deepEqual(rangesFor(entries, {name: 'alice', uid: 1001}), [
    {start: 100000, count: 65536},
    {start: 200000, count: 65536},
    {start: 300000, count: 1000},
  ])
  t.deepEqual(rangesFor(entries, {name: 'zoe', uid: 42}), [])
})
