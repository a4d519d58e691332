// The format-independent manifest shapes: a list has instances, an image manifest layers.
import test from 'ava'

import {MEDIA_TYPE_OCI_CONFIG, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST} from '../../../../src/storage/image/manifest/media-types'
import {ImageManifest, ManifestList, isManifestList} from '../../../../src/storage/image/manifest/types'

test('isManifestList tells a list from an image manifest', (t) => {
  const list: ManifestList = {mediaType: MEDIA_TYPE_OCI_INDEX, instances: []}
  const image: ImageManifest = {mediaType: MEDIA_TYPE_OCI_MANIFEST, config: {mediaType: MEDIA_TYPE_OCI_CONFIG, digest: `sha256:${'a'.repeat(64)}`, size: 2}, layers: []}
  t.true(isManifestList(list))
  t.false(isManifestList(image))
})
