// `image tree`'s layer tree: an image's layers bottom first, the tags of the images each layer
// tops, and (--whatrequires) the layers built on the image's top layer with their forks.
import test from 'ava'

import type {Image} from '../../../../src/storage/store/images/images'
import {imageLayerTree} from '../../../../src/storage/store/images/layer-tree'
import type {Layer} from '../../../../src/storage/store/layers'
import type {Store} from '../../../../src/storage/store/store'

function layer(id: string, parent: string | null, diffSize: number, incomplete = false): Layer {
  return {id, parent, diffDigest: `sha256:${id}`, compressedDigest: null, compressedSize: null, compressedMediaType: null, diffSize, created: '', incomplete, owner: null}
}

function image(id: string, layers: string[], names: string[], size = 100): Image {
  return {id, topLayer: layers.at(-1) ?? null, digest: `sha256:${id}`, manifest: Buffer.alloc(0), manifestType: '', config: Buffer.alloc(0), created: null, added: '', size, names, namesHistory: names, digests: [], layers}
}

/** layers in the order they were made; images newest first, as the store lists them */
function fakeStore(layers: Layer[], images: Image[]): Store {
  return {layers: {list: () => layers}, images: {list: () => images}} as unknown as Store
}

// base ─ a ─ b (app, app2)
//     └─ c (other) ; x: an unfinished pull
const layers = [layer('base', null, 2857), layer('a', 'base', 6144), layer('b', 'a', 1267), layer('c', 'base', 3584), layer('x', 'c', 1, true)]
const baseImage = image('1'.repeat(64), ['base'], ['localhost/base:latest'], 2858)
const app = image('2'.repeat(64), ['base', 'a', 'b'], ['localhost/app:latest', 'localhost/app:v2', 'localhost/app@sha256:abcd'])
const app2 = image('3'.repeat(64), ['base', 'a', 'b'], ['localhost/app:v2', 'localhost/app2:latest'])
const other = image('4'.repeat(64), ['base', 'c'], [])
const store = fakeStore(layers, [other, app2, app, baseImage])

test("an image's layers, bottom first, each with the tags of the images it is the top layer of", (t) => {
  const tree = imageLayerTree(store, app)
  t.is(tree.id, app.id)
  t.deepEqual(tree.tags, ['localhost/app:latest', 'localhost/app:v2'])
  t.true(tree.hasLayers)
  t.deepEqual(tree.layers, [
    {id: 'base', size: 2857, topLayerOf: ['localhost/base:latest']},
    {id: 'a', size: 6144, topLayerOf: []},
    // oldest image first, each tag once, digests left out
    {id: 'b', size: 1267, topLayerOf: ['localhost/app:latest', 'localhost/app:v2', 'localhost/app2:latest']},
  ])
  t.is(tree.descendants, undefined)
})

test('whatRequires: the top layer and every complete layer above it; a layer with siblings forks', (t) => {
  const tree = imageLayerTree(store, baseImage, {whatRequires: true})
  const shape = (b: NonNullable<typeof tree.descendants>): unknown => ({id: b.layer.id, forks: b.forks, children: b.children.map(shape)})
  t.deepEqual(shape(tree.descendants!), {
    id: 'base',
    forks: false,
    children: [
      {id: 'a', forks: true, children: [{id: 'b', forks: false, children: []}]},
      {id: 'c', forks: true, children: []},
    ],
  })
})

test('an image without layers has none to show', (t) => {
  const empty = image('5'.repeat(64), [], ['localhost/scratch:latest'], 0)
  const tree = imageLayerTree(store, empty, {whatRequires: true})
  t.false(tree.hasLayers)
  t.deepEqual(tree.layers, [])
  t.is(tree.descendants, undefined)
})
