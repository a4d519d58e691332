// A string-slice flag's values: comma-separated, CSV-quoted; a bad one pflag's error with where to look.
import test from 'ava'

import {CommandLineError} from '../../src/cli/command-line-error'
import {programName} from '../../src/cli/program-name'
import {stringSliceValues} from '../../src/cli/string-slice-flag'

test('each occurrence is a CSV record', (t) => {
  t.deepEqual(stringSliceValues(['status=exited,status=created', '"name=a,b"', ''], '-f, --filter', ['ps']), ['status=exited', 'status=created', 'name=a,b'])
  t.deepEqual(stringSliceValues(undefined, '-f, --filter', ['ps']), [])
})

test('a bad record: the flag error, then where to look', (t) => {
  const err = t.throws(() => stringSliceValues(['name="a'], '-f, --filter', ['pod', 'ps']), {instanceOf: CommandLineError})
  t.is(err?.message, 'invalid argument "name=\\"a" for "-f, --filter" flag: parse error on line 1, column 6: bare " in non-quoted-field')
  t.is((err as CommandLineError).followUp, `See '${programName()} pod ps --help'`)
})
