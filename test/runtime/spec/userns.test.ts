// --userns: the values tspod takes, and keep-id's maps as Podman's nested namespace ends up with them.
import test from 'ava'

import {autoMappings, autoUsernsSize, isRootlessMapping, keepIdMappings, nomapMappings, toRootlessIds} from '../../../src/runtime/spec/userns'

const ROOTLESS = {
  uidMappings: [
    {containerID: 0, hostID: 1001, size: 1},
    {containerID: 1, hostID: 100000, size: 65536},
  ],
  gidMappings: [
    {containerID: 0, hostID: 1002, size: 1},
    {containerID: 1, hostID: 100000, size: 65536},
  ],
}
const USER = {uid: 1001, gid: 1002}

test('keep-id: container ids below the user on the first subordinate ids, the user on itself, the rest after it', (t) => {
  const keep = keepIdMappings({kind: 'keep-id'}, ROOTLESS, USER)
  t.is(keep.uid, 1001)
  t.is(keep.gid, 1002)
  // Podman (in its namespace's ids): 0 1 1001 / 1001 0 1 / 1002 1002 64535
  t.deepEqual(keep.uidMappings, [
    {containerID: 0, hostID: 100000, size: 1001},
    {containerID: 1001, hostID: 1001, size: 1},
    {containerID: 1002, hostID: 101001, size: 64535},
  ])
  t.deepEqual(keep.gidMappings, [
    {containerID: 0, hostID: 100000, size: 1002},
    {containerID: 1002, hostID: 1002, size: 1},
    {containerID: 1003, hostID: 101002, size: 64534},
  ])
})

test('keep-id:uid=,gid=,size=: other ids inside, a smaller namespace; several subordinate ranges are followed', (t) => {
  const keep = keepIdMappings({kind: 'keep-id', uid: 1000, gid: 1000, size: 5000}, ROOTLESS, USER)
  t.deepEqual(keep.uidMappings, [
    {containerID: 0, hostID: 100000, size: 1000},
    {containerID: 1000, hostID: 1001, size: 1},
    {containerID: 1001, hostID: 101000, size: 3999},
  ])
  t.is(keep.uid, 1000)

  const split = {
    uidMappings: [
      {containerID: 0, hostID: 1001, size: 1},
      {containerID: 1, hostID: 200000, size: 500},
      {containerID: 501, hostID: 300000, size: 1000},
    ],
    gidMappings: ROOTLESS.gidMappings,
  }
  t.deepEqual(keepIdMappings({kind: 'keep-id'}, split, USER).uidMappings, [
    {containerID: 0, hostID: 200000, size: 500},
    {containerID: 500, hostID: 300000, size: 501},
    {containerID: 1001, hostID: 1001, size: 1},
    {containerID: 1002, hostID: 300501, size: 499},
  ])
})

test('keep-id without subordinate ranges maps only the user\'s own ids; uid=0 keeps the range after it', (t) => {
  const single = {uidMappings: [{containerID: 0, hostID: 1001, size: 1}], gidMappings: [{containerID: 0, hostID: 1002, size: 1}]}
  const keep = keepIdMappings({kind: 'keep-id'}, single, USER)
  t.deepEqual(keep.uidMappings, [{containerID: 1001, hostID: 1001, size: 1}])
  t.deepEqual(keep.gidMappings, [{containerID: 1002, hostID: 1002, size: 1}])
  t.deepEqual(keepIdMappings({kind: 'keep-id', uid: 0, gid: 0}, ROOTLESS, USER).uidMappings, [
    {containerID: 0, hostID: 1001, size: 1},
    {containerID: 1, hostID: 100000, size: 65536},
  ])
})

test('toRootlessIds: keep-id\'s host maps back in the rootless namespace\'s ids, as Podman hands them to crun', (t) => {
  const keep = keepIdMappings({kind: 'keep-id'}, ROOTLESS, USER)
  t.deepEqual(toRootlessIds(keep.uidMappings, ROOTLESS.uidMappings), [
    {containerID: 0, hostID: 1, size: 1001},
    {containerID: 1001, hostID: 0, size: 1},
    {containerID: 1002, hostID: 1002, size: 64535},
  ])
  t.false(isRootlessMapping(keep.uidMappings, ROOTLESS.uidMappings))
  t.true(isRootlessMapping([...ROOTLESS.uidMappings].reverse(), ROOTLESS.uidMappings))
  t.throws(() => toRootlessIds([{containerID: 0, hostID: 5, size: 1}], ROOTLESS.uidMappings), {message: 'id 5 is outside the rootless user namespace'})
})

test('nomap: every subordinate id from container id 0, the user\'s own id left out; none without ranges', (t) => {
  t.deepEqual(nomapMappings(ROOTLESS.uidMappings), [{containerID: 0, hostID: 100000, size: 65536}])
  t.throws(() => nomapMappings([{containerID: 0, hostID: 1001, size: 1}]), {message: /no subordinate ids/})
})

test('auto: the image\'s highest id + 1 (nobody aside, 1024 at least); the first free run of subordinate ids; uidmapping= ranges kept aside', (t) => {
  t.is(autoUsernsSize([0, 1, 65534]), 1024)
  t.is(autoUsernsSize([0, 5000]), 5001)
  const first = autoMappings(1024, ROOTLESS.uidMappings, [])
  t.deepEqual(first, [{containerID: 0, hostID: 100000, size: 1024}])
  // another auto container's ids are not taken again
  t.deepEqual(autoMappings(100, ROOTLESS.uidMappings, [first]), [{containerID: 0, hostID: 101024, size: 100}])
  // uidmapping=0:5:10 (rootless ids): container ids 10.. go around host ids 5..14, as containers-storage does
  t.deepEqual(autoMappings(100, ROOTLESS.uidMappings, [], [{containerID: 0, hostID: 5, size: 10}]), [
    {containerID: 10, hostID: 100000, size: 4},
    {containerID: 14, hostID: 100014, size: 86},
    {containerID: 0, hostID: 100004, size: 10},
  ])
  t.throws(() => autoMappings(65537, ROOTLESS.uidMappings, []), {message: /^not enough unused IDs in user namespace/})
})
