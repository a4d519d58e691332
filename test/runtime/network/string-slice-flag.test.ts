// One occurrence of a pflag string-slice flag (-p, --dns, …) as the values it stands for: a CSV record.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {splitStringSliceFlag} from '../../../src/runtime/network/string-slice-flag'

test('values split at commas; quoted fields keep their commas and doubled quotes', (t) => {
  t.deepEqual(splitStringSliceFlag('', '-p, --publish'), [])
  t.deepEqual(splitStringSliceFlag('8080:80', '-p, --publish'), ['8080:80'])
  t.deepEqual(splitStringSliceFlag('8080:80,9090:90/udp', '-p, --publish'), ['8080:80', '9090:90/udp'])
  t.deepEqual(splitStringSliceFlag('"a,b",c', '--dns'), ['a,b', 'c'])
  t.deepEqual(splitStringSliceFlag('"say ""hi"""', '--dns'), ['say "hi"'])
  t.deepEqual(splitStringSliceFlag('a,,b', '--dns'), ['a', '', 'b'])
})

test('a bad quote is pflag\'s usage error naming the value and the flag', (t) => {
  const err = t.throws(() => splitStringSliceFlag('a"b', '-p, --publish'), {instanceOf: UsageError})
  t.regex(err!.message, /^invalid argument "a\\"b" for "-p, --publish" flag: parse error on line 1, column \d+: bare " in non-quoted-field$/)
  const open = t.throws(() => splitStringSliceFlag('"open', '--dns'), {instanceOf: UsageError})
  t.regex(open!.message, /^invalid argument "\\"open" for "--dns" flag: .*extraneous or missing " in quoted-field$/)
})
