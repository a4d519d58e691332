// Removing a container from containers/storage: its layer (driver dirs, record, mount record),
// its record and dirs, the changed records' locks told; a mounted one only with force.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {readRecordFile} from '../../../src/storage/containers-storage/records'
import {CsContainerMountedError, removeCsContainer} from '../../../src/storage/containers-storage/remove-container'
import {csStore} from '../../helpers/containers-storage-records'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)

function fixture(t: {teardown(fn: () => void): void}) {
  return csStore(t, {
    containers: [
      {id: A, names: ['gone'], image: 'img', layer: 'la', flags: {Volatile: true}},
      {id: B, names: ['kept'], image: 'img', layer: 'lb'},
    ],
    layers: [{id: 'base'}, {id: 'la', parent: 'base'}, {id: 'lb', parent: 'base'}],
    images: [{id: 'img', layer: 'base'}],
    mountPoints: [{id: 'lb', path: '/m', count: 1}],
  })
}

test('removes the container, its layer and their dirs; the other records stay as they were; the locks get new writer ids', async (t) => {
  const storage = fixture(t)
  const graph = storage.location.graphRoot
  fs.writeFileSync(path.join(storage.layersDir, 'la.tar-split.gz'), '')
  t.is(await removeCsContainer(storage, 'gone', {mapping: undefined}), A)
  t.deepEqual(readRecordFile(storage.containersFile), [{id: B, names: ['kept'], image: 'img', layer: 'lb'}])
  t.deepEqual(readRecordFile(storage.layersFile).map((l) => l.id), ['base', 'lb'])
  t.deepEqual(readRecordFile(storage.mountPointsFile), [{id: 'lb', path: '/m', count: 1}])
  for (const gone of [path.join(graph, 'overlay', 'la'), path.join(graph, 'overlay', 'l', 'LLA'), path.join(storage.layersDir, 'la.tar-split.gz'), storage.containerDir(A), storage.containerRunDir(A)])
    t.false(fs.existsSync(gone), gone)
  t.true(fs.existsSync(path.join(graph, 'overlay', 'lb', 'diff')))
  t.is(fs.readFileSync(path.join(storage.containersDir, 'containers.lock')).readUInt32LE(16), process.pid)
  t.is(fs.readFileSync(path.join(storage.layersDir, 'layers.lock')).readUInt32LE(16), process.pid)
  t.is(fs.readFileSync(path.join(storage.imagesDir, 'images.lock')).length, 0)
  t.is(await removeCsContainer(storage, 'gone', {mapping: undefined}), undefined)
})

test('a mounted container is removed only with force, its mount record with it', async (t) => {
  const storage = fixture(t)
  await t.throwsAsync(removeCsContainer(storage, 'kept', {mapping: undefined}), {
    instanceOf: CsContainerMountedError,
    message: `container "${B}" is mounted and cannot be removed without using force: container state improper`,
  })
  t.is(readRecordFile(storage.containersFile).length, 2)
  t.is(await removeCsContainer(storage, B.slice(0, 12), {force: true, mapping: undefined}), B)
  t.deepEqual(readRecordFile(storage.mountPointsFile), [])
  t.deepEqual(readRecordFile(storage.layersFile).map((l) => l.id), ['base', 'la'])
})
