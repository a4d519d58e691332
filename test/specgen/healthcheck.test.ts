// --health-cmd and its companions, --no-healthcheck and --health-on-failure parsed as Podman's
// makeHealthCheckFromCli; the image's healthcheck with Podman's defaults filled in.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {containerHealthcheck, isActiveHealthcheck, parseHealthOnFailure, parseHealthcheck} from '../../src/specgen/healthcheck'

const S = 1e9

test('a command line runs under the shell; a JSON array of several words runs as it is; one word of an array is a shell line', (t) => {
  t.deepEqual(parseHealthcheck({cmd: 'curl -f http://localhost/ || exit 1'}), {Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], Interval: 30 * S, Retries: 3, Timeout: 30 * S, StartPeriod: 0})
  t.deepEqual(parseHealthcheck({cmd: '["sh","-c","exit 3"]'})?.Test, ['CMD', 'sh', '-c', 'exit 3'])
  t.deepEqual(parseHealthcheck({cmd: '["/healthcheck"]'})?.Test, ['CMD-SHELL', '/healthcheck'])
  t.deepEqual(parseHealthcheck({cmd: '/healthcheck'})?.Test, ['CMD-SHELL', '/healthcheck'])
})

test("Docker's own forms are split at blanks as written; none or NONE disables the image's check", (t) => {
  t.deepEqual(parseHealthcheck({cmd: 'CMD /bin/check --fast'})?.Test, ['CMD', '/bin/check', '--fast'])
  t.deepEqual(parseHealthcheck({cmd: 'CMD-SHELL echo hi'})?.Test, ['CMD-SHELL', 'echo hi'])
  t.deepEqual(parseHealthcheck({cmd: 'none'})?.Test, ['NONE'])
  t.deepEqual(parseHealthcheck({cmd: 'NONE'})?.Test, ['NONE'])
  t.deepEqual(parseHealthcheck({disabled: true}), {Test: ['NONE']})
  t.is(parseHealthcheck({}), undefined, 'no flag: the image decides')
  t.is(parseHealthcheck({cmd: ''}), undefined, 'an empty --health-cmd is none given, as Podman')
})

test('--health-interval (disable: 0), --health-retries, --health-timeout, --health-start-period as Go durations', (t) => {
  const hc = parseHealthcheck({cmd: 'true', interval: '1m30s', retries: '5', timeout: '500ms', startPeriod: '2s'})
  t.deepEqual(hc, {Test: ['CMD-SHELL', 'true'], Interval: 90 * S, Retries: 5, Timeout: 0.5 * S, StartPeriod: 2 * S})
  t.is(parseHealthcheck({cmd: 'true', interval: 'disable'})?.Interval, 0)
  t.is(parseHealthcheck({cmd: 'true', interval: '0'})?.Interval, 0)
})

test("bad values are refused in Podman's words", (t) => {
  const refused = (options: Parameters<typeof parseHealthcheck>[0]) => t.throws(() => parseHealthcheck(options), {instanceOf: UsageError})?.message
  t.is(refused({cmd: 'true', disabled: true}), 'cannot specify both --no-healthcheck and --health-cmd')
  t.is(refused({cmd: '[]'}), 'must define a healthcheck command for all healthchecks')
  t.is(refused({cmd: 'true', interval: 'bad'}), 'invalid healthcheck-interval: time: invalid duration "bad"')
  t.is(refused({cmd: 'true', interval: '5'}), 'invalid healthcheck-interval: time: missing unit in duration "5"')
  t.is(refused({cmd: 'true', retries: '0'}), 'healthcheck-retries must be greater than 0')
  t.is(refused({cmd: 'true', timeout: '0s'}), 'healthcheck-timeout must be at least 1 second')
  t.is(refused({cmd: 'true', timeout: 'x'}), 'invalid healthcheck-timeout: time: invalid duration "x"')
  t.is(refused({cmd: 'true', startPeriod: '-1s'}), 'healthcheck-start-period must be 0 seconds or greater')
  t.is(refused({cmd: 'true', startPeriod: 'soon'}), 'invalid healthcheck-start-period: time: invalid duration "soon"')
})

test('--health-on-failure: none (also empty), kill, restart, stop', (t) => {
  t.is(parseHealthOnFailure(undefined), 'none')
  t.is(parseHealthOnFailure(''), 'none')
  for (const action of ['none', 'kill', 'restart', 'stop'] as const) t.is(parseHealthOnFailure(action), action)
  t.is(t.throws(() => parseHealthOnFailure('bogus'))?.message, 'invalid on-failure action "bogus" for health check: supported actions are none,kill,restart,stop')
})

test("the flags' check wins over the image's; the image's gets the default Timeout and Interval when it has none", (t) => {
  const flags = {Test: ['CMD-SHELL', 'true'], Interval: S, Timeout: S, Retries: 1}
  const image = {Test: ['CMD-SHELL', 'echo ok'], Interval: 5 * S, Retries: 2}
  t.is(containerHealthcheck(flags, image), flags)
  t.deepEqual(containerHealthcheck(undefined, image), {Test: ['CMD-SHELL', 'echo ok'], Interval: 5 * S, Timeout: 30 * S, Retries: 2})
  t.deepEqual(containerHealthcheck(undefined, {Test: ['NONE']}), {Test: ['NONE'], Interval: 30 * S, Timeout: 30 * S})
  t.is(containerHealthcheck(undefined, undefined), undefined)
})

test('a check runs unless it is NONE or empty', (t) => {
  t.true(isActiveHealthcheck({Test: ['CMD', 'true']}))
  t.false(isActiveHealthcheck({Test: ['NONE']}))
  t.false(isActiveHealthcheck({Test: []}))
  t.false(isActiveHealthcheck(undefined))
})
