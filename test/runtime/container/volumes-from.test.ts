// --volumes-from resolved against real container records: what each donor shares, the mode it
// is shared in, and which mount wins at a destination.
import test from 'ava'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainerConfig} from '../../../src/runtime/container/config'
import {ContainerRecords} from '../../../src/runtime/container/records'
import {mountsWithVolumesFrom} from '../../../src/runtime/container/volumes-from'
import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {Store} from '../../../src/storage/store/store'
import {parseContainerSpec} from '../../../src/specgen/parse'
import type {ContainerOptions} from '../../../src/specgen/options'

const IMAGE_ID = 'e'.repeat(64)

async function openTemp(t: {teardown(fn: () => unknown): void}): Promise<{records: ContainerRecords; dir: string}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-volumes-from-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => store.close())
  store.images.put({id: IMAGE_ID, digest: `sha256:${'d'.repeat(64)}`, manifest: Buffer.from('{}'), manifestType: 'application/vnd.oci.image.manifest.v1+json', config: Buffer.from('{}'), created: null, size: 0, layers: [], names: [], digests: []})
  return {records: ContainerRecords.open(store), dir}
}

function donor(name: string, options: ContainerOptions, volumes: ContainerConfig['volumes']): ContainerConfig {
  return {
    id: crypto.randomBytes(32).toString('hex'),
    name,
    labels: {},
    imageId: IMAGE_ID,
    imageName: 'img',
    created: new Date().toISOString(),
    spec: {ociVersion: '1.0.2', process: {user: {uid: 0, gid: 0}, args: ['true'], cwd: '/'}, root: {path: '/x'}},
    containerSpec: parseContainerSpec({network: 'none', ...options}),
    autoRemove: false,
    keepGroups: false,
    stopSignal: 15,
    stopTimeout: 10,
    ports: [],
    network: 'none',
    volumes,
  }
}

test('a donor shares its binds and its named and anonymous volumes, in its mode unless ro or rw is given; not its tmpfs', async (t) => {
  const {records, dir} = await openTemp(t)
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
  const {records, dir} = await openTemp(t)
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
