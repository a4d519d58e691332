// Parents and children among images, as libimage's layer tree finds them: build steps with and
// without a layer, dangling and intermediate images.
import test from 'ava'

import type {Image} from '../../../../src/storage/store/images/images'
import {ImageTree} from '../../../../src/storage/store/images/image-tree'

function image(id: string, layers: string[], steps: string[], names: string[] = []): Image {
  const history = steps.map((step) => ({created: '2026-12-01T10:00:00Z', created_by: step, ...(step.startsWith('ENV') ? {empty_layer: true} : {})}))
  const config = Buffer.from(JSON.stringify({architecture: 'amd64', os: 'linux', rootfs: {type: 'layers', diff_ids: layers.map((l) => `sha256:${Buffer.from(l).toString('hex').padEnd(64, '0')}`)}, config: {}, history}))
  return {id, topLayer: layers.at(-1) ?? null, digest: `sha256:${id}`, manifest: Buffer.alloc(0), manifestType: '', config, created: null, added: '', size: 0, names, namesHistory: names, digests: [], layers}
}

const base = image('base', ['l1'], ['ADD rootfs'], ['localhost/base:latest'])
const env = image('env', ['l1'], ['ADD rootfs', 'ENV A=1'])
const run = image('run', ['l1', 'l2'], ['ADD rootfs', 'ENV A=1', 'RUN make'])
const final = image('final', ['l1', 'l2'], ['ADD rootfs', 'ENV A=1', 'RUN make', 'CMD ["app"]'], ['localhost/app:latest'])
const stray = image('stray', ['l1', 'l3'], ['ADD rootfs', 'RUN other'])
const other = image('other', ['l1', 'l2'], ['ADD rootfs', 'ENV B=2', 'RUN make'])

test('a parent has the child\'s layers but at most its last, and its history less the last entry', (t) => {
  const tree = new ImageTree([base, env, run, final, stray, other])
  t.is(tree.parent(env)?.id, 'base') // a step without a layer: same layers
  t.is(tree.parent(run)?.id, 'env') // a step with one
  t.is(tree.parent(final)?.id, 'run')
  t.is(tree.parent(stray)?.id, 'base')
  t.is(tree.parent(other), undefined) // its history does not follow env's
  t.is(tree.parent(base), undefined)
  t.deepEqual(tree.children(base).map((i) => i.id).sort(), ['env', 'stray'])
})

test('unnamed without children is dangling; unnamed with children is intermediate; a named image is neither', (t) => {
  const tree = new ImageTree([base, env, run, final, stray, other])
  t.deepEqual([env, run, stray, other].map((i) => [tree.isIntermediate(i), tree.isDangling(i)]), [
    [true, false],
    [true, false],
    [false, true],
    [false, true],
  ])
  t.false(tree.isDangling(final) || tree.isIntermediate(final) || tree.isIntermediate(base))
})

test('an image without layers is only the parent of another without layers; manifest lists have none', (t) => {
  const empty = image('empty', [], ['LABEL a=b'])
  const child = image('child', ['l1'], ['LABEL a=b', 'ADD rootfs'])
  const emptyChild = image('emptychild', [], ['LABEL a=b', 'ENV X=1'])
  const list = {...image('list', [], []), listInstances: {}}
  const tree = new ImageTree([empty, child, emptyChild, list])
  t.is(tree.parent(child), undefined)
  t.is(tree.parent(emptyChild)?.id, 'empty')
  t.is(tree.parent(empty), undefined)
  t.deepEqual(tree.children(list), [])
})
