// A string-slice flag's values, every occurrence read as a CSV record.
import test from 'ava'

import {stringSliceFlagValues} from '../../src/engine/string-slice'
import {UsageError} from '../../src/errors'

test('every occurrence, comma-separated and CSV-quoted, in order', (t) => {
  t.deepEqual(stringSliceFlagValues(['a=1,b=2', '"c=3,4"', ''], '-f, --filter'), ['a=1', 'b=2', 'c=3,4'])
  t.deepEqual(stringSliceFlagValues(undefined, '-f, --filter'), [])
  t.throws(() => stringSliceFlagValues(['a="x'], '-f, --filter'), {instanceOf: UsageError, message: /^invalid argument "a=\\"x" for "-f, --filter" flag: /})
})
