// `save --uncompressed`: which layers are rewritten, and the DiffIDs they become.
import test from 'ava'

import {TspodError} from '../../../../src/errors'
import {diffIds, isCompressedLayer} from '../../../../src/storage/image/copy/uncompressed-layer'

const digest = (c: string) => `sha256:${c.repeat(64)}`

test('gzip and zstd layers are compressed; plain tar layers are not', (t) => {
  t.true(isCompressedLayer({mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('a'), size: 1}))
  t.true(isCompressedLayer({mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: digest('a'), size: 1}))
  t.true(isCompressedLayer({mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: digest('a'), size: 1}))
  t.false(isCompressedLayer({mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest('a'), size: 1}))
})

test('the DiffIDs come from the config, one per layer', (t) => {
  const config = Buffer.from(JSON.stringify({rootfs: {type: 'layers', diff_ids: [digest('1'), digest('2')]}}))
  t.deepEqual(diffIds(config, 2), [digest('1'), digest('2')])
  t.throws(() => diffIds(config, 3), {instanceOf: TspodError, message: 'image configuration has 2 layer DiffIDs, the manifest 3 layers'})
})
