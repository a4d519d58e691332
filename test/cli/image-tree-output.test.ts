// `image tree`'s text, line for line as Podman 4.3.1 prints it.
import test from 'ava'

import {imageTreeText} from '../../src/cli/image-tree-output'
import type {ImageLayerTree, LayerBranch} from '../../src/engine'

const id = (c: string) => c.repeat(64)
const base = {id: id('c'), size: 2856960, topLayerOf: ['localhost:5000/lp/testimage:20220615']}
const step = {id: id('0'), size: 6144, topLayerOf: []}
const top = {id: id('3'), size: 1266688, topLayerOf: ['localhost/t1:latest', 'localhost/other:v2']}

test("the header, then the image's layers bottom first with their sizes padded to 7 and their images' tags", (t) => {
  const tree: ImageLayerTree = {id: id('5'), tags: ['localhost/t1:latest', 'localhost/other:v2'], size: 4137000, hasLayers: true, layers: [base, step, top]}
  t.is(
    imageTreeText(tree),
    [
      'Image ID: 555555555555',
      'Tags:     [localhost/t1:latest localhost/other:v2]',
      'Size:     4.137MB',
      'Image Layers',
      '├── ID: cccccccccccc Size: 2.857MB Top Layer of: [localhost:5000/lp/testimage:20220615]',
      '├── ID: 000000000000 Size: 6.144kB',
      '└── ID: 333333333333 Size: 1.267MB Top Layer of: [localhost/t1:latest localhost/other:v2]',
      '',
    ].join('\n'),
  )
})

test('whatrequires: a layer without siblings continues its parent\'s list, one with siblings opens a branch', (t) => {
  const leaf = (layer: typeof base, forks: boolean, children: LayerBranch[] = []): LayerBranch => ({layer, forks, children})
  const other = {id: id('2'), size: 12, topLayerOf: ['localhost/t2:latest']}
  const descendants = leaf(base, false, [leaf(step, true, [leaf(top, false)]), leaf({...step, id: id('e')}, true, [leaf(other, false)])])
  const tree: ImageLayerTree = {id: id('f'), tags: [], size: 2858000, hasLayers: true, layers: [base], descendants}
  t.is(
    imageTreeText(tree),
    [
      'Image ID: ffffffffffff',
      'Tags:     []',
      'Size:     2.858MB',
      'Image Layers',
      '├── ID: cccccccccccc Size: 2.857MB Top Layer of: [localhost:5000/lp/testimage:20220615]',
      '├── ID: 000000000000 Size: 6.144kB',
      '│   └── ID: 333333333333 Size: 1.267MB Top Layer of: [localhost/t1:latest localhost/other:v2]',
      '└── ID: eeeeeeeeeeee Size: 6.144kB',
      '    └── ID: 222222222222 Size:     12B Top Layer of: [localhost/t2:latest]',
      '',
    ].join('\n'),
  )
})

test('an image without layers says so', (t) => {
  t.is(imageTreeText({id: id('a'), tags: ['localhost/x:latest'], size: 0, hasLayers: false, layers: []}), 'Image ID: aaaaaaaaaaaa\nTags:     [localhost/x:latest]\nSize:     0B\nNo Image Layers\n')
})
