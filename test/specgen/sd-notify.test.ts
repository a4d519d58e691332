// --sdnotify: the mode (container by default) and the $NOTIFY_SOCKET recorded with it; ignore records none.
import test from 'ava'

import {UsageError} from '../../src/errors'
import {parseSdNotify} from '../../src/specgen/sd-notify'

test('each mode records the creating command\'s $NOTIFY_SOCKET but ignore; container is the default', (t) => {
  const env = {NOTIFY_SOCKET: '/run/user/1000/notify.sock'}
  t.deepEqual(parseSdNotify(undefined, env), {mode: 'container', socket: '/run/user/1000/notify.sock'})
  t.deepEqual(parseSdNotify('conmon', env), {mode: 'conmon', socket: '/run/user/1000/notify.sock'})
  t.deepEqual(parseSdNotify('ignore', env), {mode: 'ignore'})
  t.deepEqual(parseSdNotify('conmon', {}), {mode: 'conmon'})
  t.deepEqual(parseSdNotify('container', {NOTIFY_SOCKET: ''}), {mode: 'container'})
})

test('any other value is refused in Podman\'s words', (t) => {
  const err = t.throws(() => parseSdNotify('systemd', {}), {instanceOf: UsageError})
  t.is(err?.message, 'invalid config provided: invalid argument: invalid sdnotify value "systemd": must be container, conmon or ignore')
})
