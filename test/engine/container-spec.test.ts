// src/engine/container-spec.ts: the typed spec's parser as the Engine hands it to a front end
// (create and run): the same parser, refusing bad flags with UsageError.
import test from 'ava'

import {UsageError} from '../../src/engine'
import {parseContainerSpec} from '../../src/engine/container-spec'
import {parseContainerSpec as specgenParse} from '../../src/specgen/parse'

test('it is specgen\'s parser', (t) => {
  t.is(parseContainerSpec, specgenParse)
})

test('a front end gets a typed spec, or the UsageError its exit code 125 comes from', (t) => {
  const spec = parseContainerSpec({name: 'web', args: ['true'], network: 'none'})
  t.is(spec.name, 'web')
  t.deepEqual(spec.command, ['true'])
  t.deepEqual(spec.network, {kind: 'none'})
  t.throws(() => parseContainerSpec({name: '-bad'}), {instanceOf: UsageError, message: 'names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument'})
})
