// pushImage's parsing of what the user typed: the destination (a transport, else a registry), and
// the --format / --compression-format values, refused before anything is read.
import test from 'ava'

import {UsageError} from '../../../src/errors'
import {PUSH_FORMATS, parseDestination, pushImage} from '../../../src/storage/image/push'
import type {Store} from '../../../src/storage/store/store'

test('a destination with a known transport goes to it; anything else is a registry', (t) => {
  t.is(parseDestination('oci:/tmp/layout:v1', '/tmp').transport.name, 'oci')
  t.is(parseDestination('docker-archive:/tmp/a.tar', '/tmp').transport.name, 'docker-archive')
  const registry = parseDestination('localhost:5000/team/app', '/tmp')
  t.is(registry.transport.name, 'docker')
  t.is(registry.dockerReference(), 'localhost:5000/team/app:latest')
  t.is(parseDestination('docker://quay.io/x/y:1', '/tmp').dockerReference(), 'quay.io/x/y:1')
  t.is(parseDestination('alpine', '/tmp').dockerReference(), 'docker.io/library/alpine:latest')
  t.throws(() => parseDestination('Upper/Case', '/tmp'), {instanceOf: UsageError})
})

test('--format names: oci, v2s2 and docker', (t) => {
  t.deepEqual(Object.keys(PUSH_FORMATS).sort(), ['docker', 'oci', 'v2s2'])
  t.is(PUSH_FORMATS.docker, PUSH_FORMATS.v2s2)
})

test('bad --format and --compression-format values are usage errors, before the store is read', async (t) => {
  const store = {} as Store
  const opts = {ctx: {registries: {} as never}, tmpDir: '/tmp'}
  await t.throwsAsync(pushImage(store, 'x', undefined, {...opts, format: 'v9'}), {
    instanceOf: UsageError,
    message: `unknown format "v9". Choose one of the supported formats: 'oci', 'v2s2', or 'docker'`,
  })
  await t.throwsAsync(pushImage(store, 'x', undefined, {...opts, format: 'v2s1'}), {instanceOf: UsageError, message: /schema 1/})
  await t.throwsAsync(pushImage(store, 'x', undefined, {...opts, compressionFormat: 'lz9'}), {instanceOf: UsageError, message: 'cannot find compressor for "lz9"'})
  await t.throwsAsync(pushImage(store, 'x', undefined, {...opts, compressionFormat: 'zstd:chunked'}), {instanceOf: UsageError, message: /"zstd:chunked" is not supported by tspod: use zstd or gzip/})
  await t.throwsAsync(pushImage(store, 'x', undefined, {...opts, compressionFormat: 'zstd', format: 'v2s2'}), {instanceOf: UsageError, message: /zstd compression is not supported for docker images/})
})
