// src/engine/save-formats.ts: the formats `save --format` offers, as Podman's (docker-archive,
// oci-archive, oci-dir), from the save machinery itself.
import test from 'ava'

import {SAVE_FORMATS} from '../../src/engine/save-formats'
import {SAVE_FORMATS as SAVE_MODULE_FORMATS} from '../../src/storage/image/save'

test('the formats save writes, docker-archive first (Podman\'s default)', (t) => {
  t.is(SAVE_FORMATS, SAVE_MODULE_FORMATS)
  t.deepEqual([...SAVE_FORMATS], ['docker-archive', 'oci-archive', 'oci-dir'])
})
