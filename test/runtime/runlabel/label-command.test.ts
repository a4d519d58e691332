// The command a runlabel label describes, built as Podman builds it.
import test from 'ava'

import {SELF, defaultContainerName, labelCommand, labelValue, replacedName} from '../../../src/runtime/runlabel/label-command'

const base = {args: [], imageName: 'localhost/app:latest', name: 'app', options: {}, cwd: '/work'}

test('the label is found by its name in any case; an empty value is no value', (t) => {
  t.is(labelValue({INSTALL: 'podman run IMAGE'}, 'install'), 'podman run IMAGE')
  t.is(labelValue({run: 'x'}, 'RUN'), 'x')
  t.is(labelValue({run: ''}, 'run'), undefined)
  t.is(labelValue(null, 'run'), undefined)
})

test('$NAME by default: the last part of the image as named, without its tag; by ID, the image name\'s', (t) => {
  t.is(defaultContainerName('localhost:5000/lp/testimage:20220615', 'abcdef', 'x'), 'testimage')
  t.is(defaultContainerName('runlabel_image', 'abcdef', 'localhost/runlabel_image:latest'), 'runlabel_image')
  t.is(defaultContainerName('abcd', 'abcdef0123', 'localhost/named:1'), 'named')
})

test('podman, docker and paths to them are the engine itself; other words stay, paths made absolute', (t) => {
  t.deepEqual(labelCommand({...base, label: 'podman run IMAGE'}), [SELF, 'run', 'localhost/app:latest'])
  t.deepEqual(labelCommand({...base, label: '/usr/bin/docker run IMAGE'}), [SELF, 'run', 'localhost/app:latest'])
  t.deepEqual(labelCommand({...base, label: '/usr/bin/podman run IMAGE'})[0], SELF)
  t.deepEqual(labelCommand({...base, label: 'env x'}), ['env', 'x'])
  t.deepEqual(labelCommand({...base, label: '/bin/../bin/sh -c true'}), ['/bin/sh', '-c', 'true'])
})

test('a path that does not exist is refused in Podman\'s words', (t) => {
  t.throws(() => labelCommand({...base, label: '/no/such/prog x'}), {message: 'stat /no/such/prog: no such file or directory'})
  t.throws(() => labelCommand({...base, label: './no-such-tool', cwd: '/'}), {message: `stat ${process.cwd()}/no-such-tool: no such file or directory`})
})

test('IMAGE and NAME in each of their forms; OPT1-3 and PWD expanded; other variables are empty', (t) => {
  const label = 'podman run --name NAME -e NAME=NAME -e IMAGE=$IMAGE -e D=/etc/${NAME} $OPT1 IMAGE ${OPT2} x$HOME${PWD}'
  t.deepEqual(labelCommand({...base, label, options: {OPT1: '--rm', OPT2: 'two'}, cwd: '/here'}), [
    SELF, 'run', '--name', 'app', '-e', 'NAME=app', '-e', 'IMAGE=localhost/app:latest', '-e', 'D=/etc/app', '--rm', 'localhost/app:latest', 'two', 'x/here',
  ])
})

test('the user\'s arguments are appended and split with the label; quoting does not survive the second split, as in Podman', (t) => {
  t.deepEqual(labelCommand({...base, label: "/bin/sh -c 'exit 7'", args: ['a', 'b c']}), ['/bin/sh', '-c', 'exit', '7', 'a', 'b', 'c'])
  t.deepEqual(labelCommand({...base, label: 'podman run IMAGE', args: ['$OPT1'], options: {OPT1: 'x y'}}), [SELF, 'run', 'localhost/app:latest', 'x', 'y'])
})

test('a label with no words is an error, not a crash', (t) => {
  t.throws(() => labelCommand({...base, label: '   '}), {message: 'the label has no command to run: "   "'})
  t.throws(() => labelCommand({...base, label: '$OPT1', options: {}}), {message: /no command to run/})
})

test('--replace takes the name after the command\'s first --name', (t) => {
  t.is(replacedName([SELF, 'run', '--name', 'web', 'img']), 'web')
  t.is(replacedName([SELF, 'run', '--name=web', 'img']), 'web')
  t.is(replacedName([SELF, 'run', 'img']), undefined)
})
