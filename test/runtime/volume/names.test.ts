// Volume names as Podman checks them, and the random names of anonymous volumes.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {randomVolumeName, validateVolumeName} from '../../../src/runtime/volume/names'

test('names start with a letter or digit, then letters, digits, _ . -', (t) => {
  for (const good of ['a', 'data', 'My_vol.1-x', '0abc']) t.notThrows(() => validateVolumeName(good), good)
  for (const bad of ['', '-a', '.a', '_a', 'a/b', 'a b', 'é'])
    t.throws(() => validateVolumeName(bad), {instanceOf: UsageError, message: 'running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument'}, bad)
})

test('random names are 64 hex digits, never 12 decimal digits first, and valid names', (t) => {
  const names = new Set(Array.from({length: 200}, () => randomVolumeName()))
  t.is(names.size, 200)
  for (const name of names) {
    t.regex(name, /^[0-9a-f]{64}$/)
    t.notRegex(name, /^\d{12}/)
    t.notThrows(() => validateVolumeName(name))
  }
})
