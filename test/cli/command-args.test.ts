// Podman's (pflag's) spellings of a command's arguments, made oclif's.
import test from 'ava'

import {type CommandFlags, flagsEndAtFirstArg, prepareArgs} from '../../src/cli/command-args'

const PS: CommandFlags = {
  id: 'container:ls',
  flags: {all: {type: 'boolean', char: 'a', allowNo: false}, format: {type: 'option'}, filter: {type: 'option', char: 'f', multiple: true}, trunc: {type: 'boolean', allowNo: true}},
}
const RUN: CommandFlags = {id: 'container:run', flags: {name: {type: 'option'}, rm: {type: 'boolean'}, hostname: {type: 'option', char: 'h'}}}

test('boolean flags written with a value, as Go reads it', (t) => {
  t.deepEqual(prepareArgs(PS, [], ['--all=true', '-a=false', '--trunc=F', '--trunc=1']), ['--all', '--no-trunc', '--trunc'])
  t.deepEqual(prepareArgs(PS, [], ['--', '--all=true']), ['--', '--all=true'])
})

test('the last value of a repeated single-value flag; every value of a multiple one', (t) => {
  t.deepEqual(prepareArgs(PS, ['--root', '/r'], ['--format', 'a', '--format=b', '-f', 'x', '-fy']), ['--root', '/r', '--format=b', '-f', 'x', '-fy'])
})

test("run's flags end at its first argument", (t) => {
  t.true(flagsEndAtFirstArg(RUN))
  t.false(flagsEndAtFirstArg(PS))
  t.deepEqual(prepareArgs(RUN, [], ['--name', 'a', '--rm', 'img', 'sh', '--name', 'b']), ['--name', 'a', '--rm', 'img', '--', 'sh', '--name', 'b'])
  t.deepEqual(prepareArgs(RUN, [], ['-h', 'host', 'img']), ['-h', 'host', 'img', '--'])
})
