// --change instructions applied to an image config as containers/common reads them.
import test from 'ava'

import {applyChanges, checkChanges, parseKeyValuePairs, splitWords} from '../../src/build/changes'
import {UsageError} from '../../src/errors'

test('CMD and ENTRYPOINT take a JSON array or a shell command', (t) => {
  const c = applyChanges({}, ['CMD ["echo","hi"]', 'ENTRYPOINT top -b'])
  t.deepEqual(c.Cmd, ['echo', 'hi'])
  t.deepEqual(c.Entrypoint, ['/bin/sh', '-c', 'top -b'])
})

test('ENV and LABEL take k=v pairs (quotes group) or the legacy "k v"; a name set again keeps its place', (t) => {
  const c = applyChanges({Env: ['PATH=/bin', 'A=1']}, ['ENV A=2 B="two words"', 'ENV C some value', 'LABEL x=1 "y z"=2'])
  t.deepEqual(c.Env, ['PATH=/bin', 'A=2', 'B=two words', 'C=some value'])
  t.deepEqual(c.Labels, {x: '1', 'y z': '2'})
})

test('EXPOSE, VOLUME, WORKDIR (relative to the last), USER, STOPSIGNAL, ONBUILD; INSTR=VALUE also works', (t) => {
  const c = applyChanges({WorkingDir: '/app'}, ['EXPOSE 80 53/udp', 'VOLUME ["/data"]', 'VOLUME /a /b', 'WORKDIR sub', 'USER=1000:1000', 'STOPSIGNAL SIGINT', 'ONBUILD RUN true'])
  t.deepEqual(Object.keys(c.ExposedPorts!), ['80/tcp', '53/udp'])
  t.deepEqual(Object.keys(c.Volumes!), ['/data', '/a', '/b'])
  t.is(c.WorkingDir, '/app/sub')
  t.is(c.User, '1000:1000')
  t.is(c.StopSignal, 'SIGINT')
  t.deepEqual(c.OnBuild, ['RUN true'])
})

test('bad changes are usage errors in Podman\'s words, and the input config is not touched', (t) => {
  t.is(t.throws(() => checkChanges(['FOO bar']), {instanceOf: UsageError})!.message, 'invalid change "FOO bar" - invalid instruction FOO')
  t.regex(t.throws(() => checkChanges(['CMD']), {instanceOf: UsageError})!.message, /must be formatted as KEY VALUE/)
  t.regex(t.throws(() => checkChanges(['STOPSIGNAL NOPE']), {instanceOf: UsageError})!.message, /^invalid change "STOPSIGNAL NOPE" - invalid signal/)
  t.regex(t.throws(() => checkChanges(['EXPOSE 99999']), {instanceOf: UsageError})!.message, /invalid port/)
  const config = {Env: ['A=1']}
  applyChanges(config, ['ENV A=2'])
  t.deepEqual(config.Env, ['A=1'])
})

test('splitWords and parseKeyValuePairs', (t) => {
  t.deepEqual(splitWords(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g'])
  t.deepEqual(parseKeyValuePairs('k=v=w', 'ENV'), [['k', 'v=w']])
  t.throws(() => parseKeyValuePairs('=v', 'ENV'), {message: /names can not be blank/})
})
