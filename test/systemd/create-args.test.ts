// A recorded create command read as Podman's pflag reads it for `generate systemd --new`, and
// the flags the unit drops from it.
import test from 'ava'

import {FlagDefinition, lastValue, parseKnownFlags, withoutCommonContainerFlags, withoutPodFlags, withoutSdNotify, withoutWords} from '../../src/systemd/create-args'

const FLAGS: FlagDefinition[] = [
  {long: 'detach', short: 'd', kind: 'bool'},
  {long: 'name', kind: 'string'},
  {long: 'env', short: 'e', kind: 'array'},
  {long: 'help', short: 'h', kind: 'string'},
]

test('known flags in their forms; the first other word ends the flags', (t) => {
  const parsed = parseKnownFlags(['-d', '--name', 'x', '-e', 'A', '-eB=1', '--env=C', 'img', '--name', 'y'], FLAGS)
  t.is(lastValue(parsed, 'detach'), 'true')
  t.is(lastValue(parsed, 'name'), 'x')
  t.deepEqual(parsed.values.get('env'), ['A', 'B=1', 'C'])
  t.is(parsed.nArg, 3)
})

test('an unknown flag without = takes the next word unless it starts with -', (t) => {
  t.is(parseKnownFlags(['--label', 'a=b', 'img', 'cmd'], FLAGS).nArg, 2)
  t.is(parseKnownFlags(['--rm', 'img', 'cmd'], FLAGS).nArg, 1, 'as pflag: --rm is taken to have img for its value')
  t.is(parseKnownFlags(['--rm=true', 'img', 'cmd'], FLAGS).nArg, 2)
  t.is(parseKnownFlags(['-i', '-t', 'img'], FLAGS).nArg, 0, 'as pflag: -t takes img')
})

test('-h is the hostname\'s: its value is not the image', (t) => {
  const parsed = parseKnownFlags(['-h', 'myhost', 'img'], FLAGS)
  t.is(lastValue(parsed, 'help'), 'myhost')
  t.is(parsed.nArg, 1)
})

test('-- ends the flags; =false forms and bad booleans', (t) => {
  t.is(parseKnownFlags(['--', 'img', 'x'], FLAGS).nArg, 2)
  t.is(lastValue(parseKnownFlags(['-d=false', 'img'], FLAGS), 'detach'), 'false')
  t.throws(() => parseKnownFlags(['--detach=maybe', 'img'], FLAGS), {message: 'parsing remaining command-line arguments: invalid argument "maybe" for "-d, --detach" flag: strconv.ParseBool: parsing "maybe": invalid syntax'})
})

test('the filters touch the flags, never the image and command', (t) => {
  t.deepEqual(withoutCommonContainerFlags(['--rm', '--cgroups', 'split', '--cidfile=/f', '--restart', 'always', '--rm=true', '-e', 'X', 'img', '--rm'], 2), ['-e', 'X', 'img', '--rm'])
  t.deepEqual(withoutPodFlags(['--pod', 'p', '--pod-id-file=/f', '--infra-conmon-pidfile', '/g', '--name', 'x', 'img'], 1), ['--name', 'x', 'img'])
  t.deepEqual(withoutSdNotify(['--sdnotify=ignore', '--sdnotify', 'conmon', 'img'], 1), ['img'])
  t.deepEqual(withoutWords(['-d=false', 'img', '-d=false'], 2, ['-d=false']), ['img', '-d=false'])
})
