// Which media types are single-image manifests and which are lists.
import test from 'ava'

import * as types from '../../../../src/storage/image/manifest/media-types'

test('image manifests and manifest lists, OCI and Docker; schema 1 and configs are neither', (t) => {
  t.true(types.isImageManifestType('application/vnd.oci.image.manifest.v1+json'))
  t.true(types.isImageManifestType('application/vnd.docker.distribution.manifest.v2+json'))
  t.true(types.isManifestListType('application/vnd.oci.image.index.v1+json'))
  t.true(types.isManifestListType('application/vnd.docker.distribution.manifest.list.v2+json'))
  for (const other of [types.MEDIA_TYPE_DOCKER_SCHEMA1, types.MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED, types.MEDIA_TYPE_OCI_CONFIG, types.MEDIA_TYPE_OCI_LAYER_GZIP, '']) {
    t.false(types.isImageManifestType(other), other)
    t.false(types.isManifestListType(other), other)
  }
  t.false(types.isImageManifestType(types.MEDIA_TYPE_OCI_INDEX))
  t.false(types.isManifestListType(types.MEDIA_TYPE_OCI_MANIFEST))
})
