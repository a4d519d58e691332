// --ulimit: TYPE=SOFT[:HARD] to OCI rlimits, in place of the defaults of their types.
import test from 'ava'

import {parseUlimits, withUlimits} from '../../src/specgen/ulimits'
import {UsageError} from '../../src/errors'

test('soft and hard, one value for both, -1 unlimited; the last of a type wins; defaults replaced by type', (t) => {
  const limits = parseUlimits(['nofile=101:102', 'core=-1', 'nproc=5', 'nproc=7:8'])
  t.deepEqual(limits, [
    {type: 'RLIMIT_NOFILE', soft: 101, hard: 102},
    {type: 'RLIMIT_CORE', soft: 2 ** 64 - 1, hard: 2 ** 64 - 1},
    {type: 'RLIMIT_NPROC', soft: 7, hard: 8},
  ])
  const defaults = [{type: 'RLIMIT_NOFILE', soft: 1, hard: 1}, {type: 'RLIMIT_STACK', soft: 2, hard: 2}]
  t.deepEqual(withUlimits(defaults, [limits[0]]), [{type: 'RLIMIT_STACK', soft: 2, hard: 2}, limits[0]])
  t.is(withUlimits(defaults, undefined), defaults)
})

test('bad ulimits are usage errors', (t) => {
  for (const [value, message] of [
    ['nofile', /invalid ulimit argument/],
    ['bogus=1', /invalid ulimit type: bogus/],
    ['nofile=x', /invalid limit "x"/],
    ['nofile=1:2:3', /too many limit value arguments/],
    ['nofile=5:4', /soft limit must be less than or equal to hard limit/],
  ] as const)
    t.throws(() => parseUlimits([value]), {instanceOf: UsageError, message}, value)
})
