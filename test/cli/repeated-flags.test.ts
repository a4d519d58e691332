// pflag's last-one-wins for a repeated single-value flag, which oclif would refuse.
import test from 'ava'
import type {Command} from '@oclif/core'

import {keepLastFlagValues} from '../../src/cli/repeated-flags'
import {lookupUser, removeTree, sandbox, tspod, TEST_USER} from '../helpers/rootless'

const flags = {
  name: {name: 'name', type: 'option', char: 'n'},
  env: {name: 'env', type: 'option', char: 'e', multiple: true},
  rm: {name: 'rm', type: 'boolean'},
} as unknown as Command.Loadable['flags']

test('an earlier value of a single-value flag goes, in every spelling; multiple-value and boolean flags stay', (t) => {
  t.deepEqual(keepLastFlagValues(flags, ['--name', 'a', '--name', 'b', 'img']), ['--name', 'b', 'img'])
  t.deepEqual(keepLastFlagValues(flags, ['--name=a', '-n', 'b', '-nc', 'img']), ['-nc', 'img'])
  t.deepEqual(keepLastFlagValues(flags, ['-e', 'A=1', '-e', 'B=2', '--rm', '--rm']), ['-e', 'A=1', '-e', 'B=2', '--rm', '--rm'])
})

test('a flag value that looks like the flag is a value, and nothing after -- is a flag', (t) => {
  t.deepEqual(keepLastFlagValues(flags, ['--name', '--name', '--name', 'x']), ['--name', 'x'])
  t.deepEqual(keepLastFlagValues(flags, ['--name', 'a', 'img', '--', '--name', 'b']), ['--name', 'a', 'img', '--', '--name', 'b'])
})

test('the CLI takes the last of a repeated flag, as the rootless user', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  try {
    const r = await tspod(box, ['version', '--format', '{{.Client.Version}}', '--format', 'arch={{.Client.OsArch}}'])
    t.is(r.code, 0, r.stderr)
    t.regex(r.stdout, /^arch=linux\/\w+\n$/)
  } finally {
    removeTree(box.dir)
  }
})
