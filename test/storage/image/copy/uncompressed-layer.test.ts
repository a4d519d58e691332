// `save --uncompressed`: which layers are rewritten, and the DiffIDs they become.
import test from 'ava'

import {TspodError} from '../../../../src/errors'
import {diffIds} from '../../../../src/storage/image/copy/uncompressed-layer'

const digest = (c: string) => `sha256:${c.repeat(64)}`

test('the DiffIDs come from the config, one per layer', (t) => {
  const config = Buffer.from(JSON.stringify({rootfs: {type: 'layers', diff_ids: [digest('1'), digest('2')]}}))
  t.deepEqual(diffIds(config, 2), [digest('1'), digest('2')])
  t.throws(() => diffIds(config, 3), {instanceOf: TspodError, message: 'image configuration has 2 layer DiffIDs, the manifest 3 layers'})
})
