import test from 'ava'

import {BIND_MOUNT_ANNOTATION, MAX_KUBE_ANNOTATION, VOLUME_ANNOTATIONS} from '../../src/kube/model'

test('Podman\'s annotation names and limit', (t) => {
  t.is(VOLUME_ANNOTATIONS.driver, 'volume.podman.io/driver')
  t.is(VOLUME_ANNOTATIONS.mountOptions, 'volume.podman.io/mount-options')
  t.is(BIND_MOUNT_ANNOTATION, 'bind-mount-options')
  t.is(MAX_KUBE_ANNOTATION, 63)
})
