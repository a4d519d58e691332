// What `healthcheck run` runs and what it refuses (the run itself: test/commands/healthcheck.test.ts).
import test from 'ava'

import type {Container} from '../../../src/runtime/container/config'
import {checkHealthcheckRunnable, healthcheckArgv} from '../../../src/runtime/container/healthcheck'

test("CMD's words run as they are, CMD-SHELL's line under /bin/sh -c, any other form as given", (t) => {
  t.deepEqual(healthcheckArgv(['CMD', '/bin/check', '-q']), ['/bin/check', '-q'])
  t.deepEqual(healthcheckArgv(['CMD-SHELL', 'test -e /ok', '&& echo ok']), ['/bin/sh', '-c', 'test -e /ok && echo ok'])
  t.deepEqual(healthcheckArgv(['/bin/check']), ['/bin/check'])
})

const container = (status: string, healthcheck?: {Test: string[]}) => ({config: {id: 'abc', healthcheck}, state: {status}}) as unknown as Container

test("a container not running, or without a check to run, is refused in Podman's words", (t) => {
  t.is(t.throws(() => checkHealthcheckRunnable(container('exited', {Test: ['CMD', 'true']})))?.message, 'container abc is not running')
  t.is(t.throws(() => checkHealthcheckRunnable(container('paused', {Test: ['CMD', 'true']})))?.message, 'container abc is not running')
  t.is(t.throws(() => checkHealthcheckRunnable(container('running')))?.message, 'container abc has no defined healthcheck')
  t.is(t.throws(() => checkHealthcheckRunnable(container('running', {Test: ['NONE']})))?.message, 'container abc has no defined healthcheck')
  t.is(t.throws(() => checkHealthcheckRunnable(container('running', {Test: ['CMD']})))?.message, 'container abc has no defined healthcheck')
  t.deepEqual(checkHealthcheckRunnable(container('running', {Test: ['CMD', 'true']})), {Test: ['CMD', 'true']})
})
