// --restart POLICY[:RETRIES] parsed as Podman does, with its messages, and when a policy starts a
// container again.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {NO_RESTART, parseRestartPolicy, restartsAfterExit} from '../../src/specgen/restart'

test('policies and on-failure retries', (t) => {
  t.deepEqual(parseRestartPolicy(undefined, false), NO_RESTART)
  t.deepEqual(parseRestartPolicy('', false), NO_RESTART)
  t.deepEqual(parseRestartPolicy('no', false), {policy: 'no', retries: 0})
  t.deepEqual(parseRestartPolicy('always', false), {policy: 'always', retries: 0})
  t.deepEqual(parseRestartPolicy('unless-stopped', false), {policy: 'unless-stopped', retries: 0})
  t.deepEqual(parseRestartPolicy('on-failure', false), {policy: 'on-failure', retries: 0})
  t.deepEqual(parseRestartPolicy('on-failure:3', false), {policy: 'on-failure', retries: 3})
})

test("bad policies, in Podman's words", (t) => {
  const bad = (text: string, message: string, autoRemove = false) => t.throws(() => parseRestartPolicy(text, autoRemove), {instanceOf: UsageError, message})
  bad('bogus', 'running container create option: "bogus" is not a valid restart policy: invalid argument')
  bad('always:3', 'restart policy retries can only be specified with on-failure restart policy')
  bad('on-failure:x', 'parsing restart policy retry count: strconv.Atoi: parsing "x": invalid syntax')
  bad('on-failure:-1', 'must specify restart policy retry count as a number greater than 0')
  bad('on-failure:1:2', 'invalid restart policy: may specify retries at most once')
})

test('--rm allows only no and on-failure (as Podman 4.3 checks it)', (t) => {
  const message = 'the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"'
  for (const text of ['always', 'unless-stopped', 'on-failure:2']) t.throws(() => parseRestartPolicy(text, true), {instanceOf: UsageError, message})
  t.is(parseRestartPolicy('no', true).policy, 'no')
  t.is(parseRestartPolicy('on-failure', true).policy, 'on-failure')
})

test('which exits start the container again', (t) => {
  t.false(restartsAfterExit(NO_RESTART, 1, 0))
  t.false(restartsAfterExit({policy: 'no', retries: 0}, 1, 0))
  t.true(restartsAfterExit({policy: 'always', retries: 0}, 0, 50))
  t.true(restartsAfterExit({policy: 'unless-stopped', retries: 0}, 0, 0))
  t.false(restartsAfterExit({policy: 'on-failure', retries: 0}, 0, 0), 'a success is no failure')
  t.true(restartsAfterExit({policy: 'on-failure', retries: 0}, 1, 100), 'no limit')
  t.true(restartsAfterExit({policy: 'on-failure', retries: 2}, 1, 1))
  t.false(restartsAfterExit({policy: 'on-failure', retries: 2}, 1, 2))
})
