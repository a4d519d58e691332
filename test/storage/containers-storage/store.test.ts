// The containers/storage store: no store is no records; records read under the store's locks;
// containers found by ID, name or unique prefix; a layer's chain; the driver's dirs of a layer.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {ContainersStorage, findCsContainer, layerChain} from '../../../src/storage/containers-storage/store'
import {csStore, markBuildahContainer} from '../../helpers/containers-storage-records'

const A = 'a'.repeat(64)
const B = 'ab' + 'c'.repeat(62)

test('a store that is not there has no records, and gets no lock files', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-csnone-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const storage = new ContainersStorage({graphRoot: path.join(dir, 'g'), runRoot: path.join(dir, 'r'), driver: 'overlay'})
  t.false(storage.exists())
  t.deepEqual(await storage.snapshot(), {containers: [], layers: [], images: [], mountPoints: []})
  t.false(fs.existsSync(path.join(dir, 'g')))
})

test('the records, with the run root volatile ones; the lock files in containers/storage order', async (t) => {
  const storage = csStore(t, {containers: [{id: A, names: ['one'], layer: 'l1'}], layers: [{id: 'l0'}, {id: 'l1', parent: 'l0'}]})
  fs.writeFileSync(storage.volatileContainersFile, JSON.stringify([{id: B, layer: 'l2'}]))
  fs.writeFileSync(storage.volatileLayersFile, JSON.stringify([{id: 'l2', parent: 'l0'}]))
  const snapshot = await storage.snapshot()
  t.deepEqual(snapshot.containers.map((c) => c.id), [A, B])
  t.deepEqual(snapshot.layers.map((l) => l.id), ['l0', 'l1', 'l2'])
  t.deepEqual(storage.lockFiles().map((f) => path.relative(path.dirname(storage.location.graphRoot), f)), [
    'graph/storage.lock',
    'graph/overlay-layers/layers.lock',
    'run/overlay-layers/mountpoints.lock',
    'graph/overlay-images/images.lock',
    'graph/overlay-containers/containers.lock',
  ])
})

test('a container by full ID, name or unique ID prefix; an ambiguous prefix is an error', (t) => {
  const containers = [
    {id: A, names: ['one'], layer: 'x'},
    {id: B, names: ['two', 'deux'], layer: 'y'},
  ]
  t.is(findCsContainer(containers, A)?.id, A)
  t.is(findCsContainer(containers, 'deux')?.id, B)
  t.is(findCsContainer(containers, 'abc')?.id, B)
  t.is(findCsContainer(containers, 'nosuch'), undefined)
  t.throws(() => findCsContainer(containers, 'a'), {message: /more than one result for container "a"/})
})

test("a layer's chain, top first; an unknown parent is an error", (t) => {
  const layers = [{id: 'l0'}, {id: 'l1', parent: 'l0'}, {id: 'l2', parent: 'l1'}, {id: 'bad', parent: 'gone'}]
  t.deepEqual(layerChain(layers, 'l2').map((l) => l.id), ['l2', 'l1', 'l0'])
  t.throws(() => layerChain(layers, 'bad'), {message: /layer gone is not known/})
})

test("buildah's containers are told by their state file; a layer's dirs are its overlay dir and short link", (t) => {
  const storage = csStore(t, {containers: [{id: A, layer: 'l1'}, {id: B, layer: 'l1'}], layers: [{id: 'l1'}]})
  markBuildahContainer(storage, A)
  t.true(storage.isBuildahContainer(A))
  t.false(storage.isBuildahContainer(B))
  const graph = storage.location.graphRoot
  t.deepEqual(storage.layerDriverPaths('l1'), [path.join(graph, 'overlay', 'l', 'LL1'), path.join(graph, 'overlay', 'l1')])
  t.is(storage.layerFilesDir('l1'), path.join(graph, 'overlay', 'l1', 'diff'))
})
