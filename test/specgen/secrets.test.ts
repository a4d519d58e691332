// --secret parsed as Podman parses it: mount (the default) and env secrets, targets, and errors.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseSecret, parseSecrets} from '../../src/specgen/secrets'

test('a mounted secret: /run/secrets/NAME, a relative target below it, an absolute one as given; owner and mode', (t) => {
  t.deepEqual(parseSecret('s1'), {source: 's1', type: 'mount', target: '/run/secrets/s1', uid: 0, gid: 0, mode: 0o444})
  t.is(parseSecret('s1,target=rel').target, '/run/secrets/rel')
  t.deepEqual(parseSecret('s1,type=mount,target=/tmp/x,uid=5,gid=6,mode=0400'), {source: 's1', type: 'mount', target: '/tmp/x', uid: 5, gid: 6, mode: 0o400})
})

test('an env secret sets the variable its target names, by default the secret\'s name', (t) => {
  t.deepEqual(parseSecret('s2,type=env'), {source: 's2', type: 'env', target: 's2', uid: 0, gid: 0, mode: 0})
  t.is(parseSecret('s2,type=env,target=FOO').target, 'FOO')
})

test("bad options fail in Podman's words", (t) => {
  const bad: [string, string][] = [
    ['s1,type=bogus', 'type bogus is invalid: parsing secret'],
    ['s1,foo=bar', 'option foo=bar invalid: parsing secret'],
    ['s1,type=env,uid=3', 'UID, GID, Mode options cannot be set with secret type env: parsing secret'],
    ['s1,other', 'option other must be in form option=value: parsing secret'],
    ['s1,uid=x', 'uid x invalid: parsing secret'],
    ['s1,mode=9', 'mode 9 invalid: parsing secret'],
  ]
  for (const [value, message] of bad) t.throws(() => parseSecret(value), {instanceOf: UsageError, message}, value)
  t.throws(() => parseSecrets(['a,target=/x', 'b,target=/x']), {instanceOf: UsageError, message: '/x: duplicate secret target'})
})
