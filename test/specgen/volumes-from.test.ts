// --volumes-from's syntax: CONTAINER[:OPTIONS] with ro, rw and z, in Podman's words.
import test from 'ava'

import {parseVolumesFrom, volumesFromText} from '../../src/specgen/volumes-from'

test('a container with an option list of ro, rw and z, each kind once', (t) => {
  t.deepEqual(parseVolumesFrom(['src', 'other:ro,z', 'third:rw']), [
    {container: 'src', options: []},
    {container: 'other', options: ['ro', 'z']},
    {container: 'third', options: ['rw']},
  ])
  t.deepEqual(parseVolumesFrom([]), [])
  t.is(volumesFromText({container: 'other', options: ['ro', 'z']}), 'other:ro,z')
  t.is(volumesFromText({container: 'src', options: []}), 'src')
})

test('bad options and an empty name are refused as Podman refuses them', (t) => {
  t.is(t.throws(() => parseVolumesFrom(['src:rw,ro']))?.message, 'cannot set ro or rw options more than once')
  t.is(t.throws(() => parseVolumesFrom(['src:z,z']))?.message, 'cannot set :z more than once in mount options')
  t.is(t.throws(() => parseVolumesFrom(['src:foo']))?.message, 'invalid option "foo" specified - volumes from another container can only use z,ro,rw options')
  t.is(t.throws(() => parseVolumesFrom(['src:']))?.message, 'invalid option "" specified - volumes from another container can only use z,ro,rw options')
  t.is(t.throws(() => parseVolumesFrom(['']))?.message, 'looking up container "" for volumes-from: name or ID cannot be empty')
})
