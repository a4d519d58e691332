// The remote-client flags taken out of the leading flags, as Podman takes them.
import test from 'ava'

import {noRemoteClient, takeRemoteFlags} from '../../src/cli/remote'

test('leading remote flags are taken out, with their values; other global flags and the command stay', (t) => {
  t.deepEqual(takeRemoteFlags(['--log-level=error', '--remote', 'version'], {}), {argv: ['--log-level=error', 'version'], by: '--remote'})
  t.deepEqual(takeRemoteFlags(['--url', 'unix:/s', '--root', '/x', '-c', 'conn', 'ps'], {}), {argv: ['--root', '/x', 'ps'], by: '--url'})
  t.deepEqual(takeRemoteFlags(['--identity=/k', '-r'], {}), {argv: [], by: '--identity'})
  t.deepEqual(takeRemoteFlags(['version', '--remote'], {}), {argv: ['version', '--remote'], by: undefined}, 'after the command: left to be refused')
})

test('CONTAINER_HOST and CONTAINER_CONNECTION ask for a remote service too', (t) => {
  t.is(takeRemoteFlags(['ps'], {CONTAINER_HOST: 'unix:/s'}).by, 'CONTAINER_HOST')
  t.is(takeRemoteFlags(['ps'], {CONTAINER_CONNECTION: 'c'}).by, 'CONTAINER_CONNECTION')
  t.is(takeRemoteFlags(['ps'], {CONTAINER_HOST: ''}).by, undefined)
  t.regex(noRemoteClient('--url').message, /has no remote client to reach a Podman service \(asked for by --url\)/)
})
