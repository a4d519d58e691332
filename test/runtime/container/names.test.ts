// Random container names: "adjective_surname" as Podman's generator makes them.
import test from 'ava'

import {randomName} from '../../../src/runtime/container/names'

test('an adjective and a surname, never one that is taken', (t) => {
  const taken = new Set<string>()
  for (let i = 0; i < 300; i++) {
    const name = randomName((n) => taken.has(n))
    t.regex(name, /^[a-z]+_[a-z]+$/)
    t.false(taken.has(name))
    taken.add(name)
  }
})

test('when every plain name seems taken, a number is added', (t) => {
  const name = randomName((n) => !/\d$/.test(n))
  t.regex(name, /^[a-z]+_[a-z]+\d{1,2}$/)
})
