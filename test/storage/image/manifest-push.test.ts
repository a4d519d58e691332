// manifest push's refusals, before anything is written (the copies to a registry are tested with
// the CLI in test/commands/manifest.test.ts).
import test from 'ava'

import {manifestCreate} from '../../../src/engine'
import {loadRegistriesConf} from '../../../src/storage/image/config/registries-conf'
import {pushList} from '../../../src/storage/image/manifest-push'
import {engineFixture} from '../../engine/engine-fixture'

test('a list goes to registries only, in oci or v2s2, compressed with gzip', async (t) => {
  const {engine, store, dir} = await engineFixture(t)
  await manifestCreate(engine, 'tolist', [], {context: {}})
  const opts = {ctx: {registries: loadRegistriesConf({})}, all: true, tmpDir: dir}
  await t.throwsAsync(pushList(store, 'tolist', `oci:${dir}/layout`, opts), {message: `pushing a manifest list to oci:${dir}/layout is not supported by tspod: push it to a registry (docker://)`})
  await t.throwsAsync(pushList(store, 'tolist', 'docker://127.0.0.1:1/x', {...opts, format: 'v2s1'}), {message: `unknown format "v2s1". Choose one of the supported formats: 'oci' or 'v2s2'`})
  await t.throwsAsync(pushList(store, 'tolist', 'docker://127.0.0.1:1/x', {...opts, compressionFormat: 'zstd'}), {message: 'compression format "zstd" is not supported by tspod: use gzip'})
  await t.throwsAsync(pushList(store, 'localhost/busybox', 'docker://127.0.0.1:1/x', opts), {message: 'localhost/busybox: image is not a manifest list'})
})
