// --volumes-from resolved against real container records: what each donor shares, the mode it
// is shared in, and which mount wins at a destination.
import test from 'ava'

import {ContainerConfig} from '../../../src/runtime/container/config'
import {mountsWithVolumesFrom} from '../../../src/runtime/container/volumes-from'
import {parseContainerSpec} from '../../../src/specgen/parse'
import type {ContainerOptions} from '../../../src/specgen/options'
import {containerConfig, tempRecords} from '../../helpers/container-records'

function donor(name: string, options: ContainerOptions, volumes: ContainerConfig['volumes']): ContainerConfig {
  return containerConfig(name, {containerSpec: parseContainerSpec({network: 'none', ...options}), volumes})
}

test('a donor shares its binds and its named and anonymous volumes, in its mode unless ro or rw is given; not its tmpfs', async (t) => {
  const {records, dir} = await tempRecords(t, 'tspod-volumes-from-')
  const anonymous = 'a'.repeat(64)
  const src = records.add(
    donor('src', {volumes: [`${dir}:/host:ro`, 'named:/named:ro', '/anon'], tmpfs: ['/scratch']}, [
      {name: 'named', destination: '/named', options: ['ro', 'rprivate']},
      {name: anonymous, destination: '/anon', options: []},
      {name: 'b'.repeat(64), destination: '/image-volume', options: []},
    ]),
  ).config
  const same = mountsWithVolumesFrom(records, parseContainerSpec({network: 'none', volumesFrom: ['src']}))
  t.deepEqual(same.mounts, [
    {type: 'bind', source: dir, destination: '/host', options: ['ro']},
    {type: 'volume', name: 'named', destination: '/named', options: ['ro']},
    {type: 'volume', name: anonymous, destination: '/anon', options: []},
    {type: 'volume', name: 'b'.repeat(64), destination: '/image-volume', options: []},
  ])
  t.deepEqual(same.warnings, [`Unable to match volume /scratch from container ${src.id} for volumes-from`])
  const writable = mountsWithVolumesFrom(records, parseContainerSpec({network: 'none', volumesFrom: ['src:rw,z']}))
  t.deepEqual(
    writable.mounts.map((m) => m.options),
    [['rw', 'z'], ['rw', 'z'], ['rw', 'z'], ['rw', 'z']],
  )
})

test('a later --volumes-from wins at a destination, the container\'s own mounts over all; an unknown donor is Podman\'s error', async (t) => {
  const {records, dir} = await tempRecords(t, 'tspod-volumes-from-')
  records.add(donor('first', {}, [{name: 'one', destination: '/data', options: []}, {name: 'kept', destination: '/kept', options: []}]))
  records.add(donor('second', {}, [{name: 'two', destination: '/data', options: []}, {name: 'mine', destination: '/mine', options: []}]))
  const {mounts} = mountsWithVolumesFrom(records, parseContainerSpec({network: 'none', volumesFrom: ['first', 'second'], volumes: [`${dir}:/mine`]}))
  t.deepEqual(
    mounts.map((m) => `${m.destination}=${m.type === 'volume' ? m.name : m.type}`),
    ['/mine=bind', '/data=two', '/kept=kept'],
  )
  t.deepEqual(mountsWithVolumesFrom(records, parseContainerSpec({network: 'none'})).mounts, [])
  t.is(
    t.throws(() => mountsWithVolumesFrom(records, parseContainerSpec({network: 'none', volumesFrom: ['nosuch:ro']})))?.message,
    'looking up container "nosuch" for volumes-from: no container with name or ID "nosuch" found: no such container',
  )
})
