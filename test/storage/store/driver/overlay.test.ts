// The overlay driver is the one place that knows overlay's layout and options.
import test from 'ava'

import {OverlayDriver, fuseOverlayOptions, overlayMountOptions} from '../../../../src/storage/store/driver/overlay'
import {StoreLayout} from '../../../../src/storage/store/layout'

test('layer and container dirs are where overlay keeps them', (t) => {
  const driver = new OverlayDriver('/g')
  t.is(driver.name, 'overlay')
  t.is(driver.layersDir, '/g/overlay')
  t.is(driver.layerDir('abc'), '/g/overlay/abc')
  t.is(driver.contentsDir('abc'), '/g/overlay/abc/diff')
  t.is(driver.stagedContentsDir('/g/staging/x'), '/g/staging/x/diff')
  t.deepEqual(driver.containerDirs('/g/containers/c1'), {upper: '/g/containers/c1/upper', work: '/g/containers/c1/work', merged: '/g/containers/c1/merged'})
  t.is(driver.opaqueXattr(true), 'user.overlay.opaque')
  t.is(driver.opaqueXattr(false), 'trusted.overlay.opaque')
})

test('the store layout asks its driver', (t) => {
  const layout = new StoreLayout('/g')
  t.is(layout.driver.name, 'overlay')
  t.is(layout.diffDir('abc'), layout.driver.contentsDir('abc'))
  t.is(layout.blobFile('abc'), '/g/overlay/abc/blob')
})

test('mount options: lower dirs top first, paths escaped, userxattr only rootless, paths as dirOf gives them', (t) => {
  const dirs = {lowerDirs: ['/s/top', '/s/a:b,c'], upperDir: '/c/upper', workDir: '/c/work'}
  t.is(overlayMountOptions(dirs, {rootless: false}), 'lowerdir=/s/top:/s/a\\:b\\,c,upperdir=/c/upper,workdir=/c/work')
  t.is(new OverlayDriver('/g').mountOptions(dirs, {rootless: true, dirOf: (d) => d.slice(1)}), 'lowerdir=s/top:s/a\\:b\\,c,upperdir=c/upper,workdir=c/work,userxattr')
  t.is(fuseOverlayOptions({lowerDirs: ['/s/top'], upperDir: '/c/upper', workDir: '/c/work'}, 'fsync=0'), 'lowerdir=/s/top,upperdir=/c/upper,workdir=/c/work,fsync=0')
})

test("inspect's GraphDriver data: the top layer as UpperDir, the others top first as LowerDir", (t) => {
  const driver = new OverlayDriver('/g')
  t.deepEqual(driver.inspectData(['base', 'mid', 'top']), {UpperDir: '/g/overlay/top/diff', LowerDir: '/g/overlay/mid/diff:/g/overlay/base/diff'})
  t.deepEqual(driver.inspectData(['only']), {UpperDir: '/g/overlay/only/diff', LowerDir: undefined})
  t.deepEqual(driver.inspectData([]), {})
})
