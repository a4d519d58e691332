// The config an image from scratch starts with, and a parent's config read back as it was stored.
import test from 'ava'

import {parentConfig} from '../../src/build/image-writer'
import {hostPlatform} from '../../src/storage/image/manifest/platform'
import type {Image} from '../../src/storage/store/images/images'

test('scratch: the host platform, no layers, no history', (t) => {
  const c = parentConfig(undefined)
  t.is(c.architecture, hostPlatform().architecture)
  t.is(c.os, 'linux')
  t.deepEqual(c.rootfs, {type: 'layers', diff_ids: []})
  t.deepEqual(c.history, [])
})

test('a parent: every field kept, missing sections filled', (t) => {
  const stored = {architecture: 'amd64', os: 'linux', config: {Env: ['A=1']}, rootfs: {type: 'layers', diff_ids: ['sha256:' + 'a'.repeat(64)]}, custom: 1}
  const c = parentConfig({config: Buffer.from(JSON.stringify(stored))} as Image)
  t.like(c, {config: {Env: ['A=1']}, custom: 1})
  t.deepEqual(c.history, [])
})
