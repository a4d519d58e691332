// `generate systemd`'s --env as the units take it (the lookups and units: test/commands/generate-systemd).
import test from 'ava'

import {unitEnvironment} from '../../src/engine/systemd'

test('--env: KEY=VALUE, KEY from this process, PREFIX* for each variable so named; an empty value as the name alone', (t) => {
  const host = {HOME: '/home/u', APP_A: '1', APP_B: '2', EMPTY: ''}
  t.deepEqual(unitEnvironment(['A=1', 'HOME', 'UNSET', 'APP_*', 'B=', 'EMPTY'], host), ['A=1', 'HOME=/home/u', 'APP_A=1', 'APP_B=2', 'B', 'EMPTY'])
})

test('--env without a name is refused in Podman\'s words', (t) => {
  t.throws(() => unitEnvironment(['=x'], {}), {message: 'parsing environment variables: invalid environment variable: "=x"'})
})
