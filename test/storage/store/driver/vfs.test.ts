import test from 'ava'

import {StoreLayout} from '../../../../src/storage/store/layout'
import {VfsDriver} from '../../../../src/storage/store/driver/vfs'

test('vfs keeps a layer as a full tree under vfs/<id>/dir and a container root under rootfs/', (t) => {
  const vfs = new VfsDriver('/g')
  t.true(vfs.fullCopies)
  t.is(vfs.layerDir('abc'), '/g/vfs/abc')
  t.is(vfs.contentsDir('abc'), '/g/vfs/abc/dir')
  t.is(vfs.stagedContentsDir('/g/staging/x'), '/g/staging/x/dir')
  t.deepEqual(vfs.containerDirs('/g/containers/c'), {upper: '/g/containers/c/rootfs', work: '/g/containers/c/work', merged: '/g/containers/c/merged'})
  t.deepEqual(vfs.inspectData(), {})
  t.throws(() => vfs.mountOptions(), {message: /mounts no overlay/})
  const layout = new StoreLayout('/g', {driver: 'vfs', volumePath: '/v'})
  t.is(layout.diffDir('abc'), '/g/vfs/abc/dir')
  t.is(layout.blobFile('abc'), '/g/vfs/abc/blob')
  t.is(layout.volumesDir, '/v')
})

test('the vfs driver needs no mount: its probe succeeds', async (t) => {
  t.deepEqual(await new VfsDriver('/g').probe(), {native: true})
})
