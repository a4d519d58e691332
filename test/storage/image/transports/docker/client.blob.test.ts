import test from 'ava'

import {MIN_PROGRESS_BYTES} from '../../../../../src/storage/image/transports/docker/blob-stream'
import type {BlobStall} from '../../../../../src/storage/image/transports/types'
import {FaultRegistry, sha256} from '../../../../helpers/fault-registry'
import {REPO, clientFor, collect, registryWithImage} from './client-fixtures'

const BIG = Buffer.from(Array.from({length: 200_000}, (_, i) => (i * 7 + (i >> 8)) & 0xff))

test('a blob streams with its size, verified, asking for no content encoding', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const {stream, size} = await clientFor(registry).getBlob(layerDigest)
  t.is(size, BIG.length)
  const result = await collect(stream)
  t.is(result.error, undefined)
  t.true(result.ended)
  t.true(result.bytes.equals(layer))
  const request = registry.requests.find((r) => r.url.includes('/blobs/'))!
  t.is(request.headers['accept-encoding'], 'identity')
  t.is(request.headers.range, undefined)
})

test('wrong bytes: the stream fails with Digest did not match and never ends cleanly', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  registry.inject(`/v2/${REPO}/blobs/${layerDigest}`, {wrongBytes: true})
  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  const wrong = Buffer.from(layer.map((b) => b ^ 0xff))
  t.false(result.ended)
  t.is(result.error?.message, `Digest did not match, expected ${layerDigest}, got ${sha256(wrong)}`)
})

test('a body cut short resumes with Range when the server accepts ranges', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  registry.inject(path, {truncateAfter: 70_000})
  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.is(result.error, undefined)
  t.true(result.bytes.equals(layer))
  const requests = registry.requests.filter((r) => r.url === path)
  t.is(requests.length, 2)
  const offset = Number(/^bytes=(\d+)-$/.exec(String(requests[1].headers.range))?.[1])
  t.true(offset > 0 && offset <= 70_000, `resumed at ${requests[1].headers.range}`)
})

test('a body cut short before any byte is fetched again from the start', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  registry.acceptRanges = false
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  registry.inject(path, {truncateAfter: 0})
  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.is(result.error, undefined)
  t.true(result.bytes.equals(layer))
  t.deepEqual(
    registry.requests.filter((r) => r.url === path).map((r) => r.headers.range),
    [undefined, undefined],
  )
})

test('a body cut short after bytes were handed on, without ranges: a clear error, no clean end', async (t) => {
  const {registry, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  registry.acceptRanges = false
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  registry.inject(path, {truncateAfter: 70_000})
  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.false(result.ended)
  t.regex(
    result.error?.message ?? '',
    new RegExp(
      `^reading blob ${layerDigest} in 127\\.0\\.0\\.1:\\d+/${REPO}: Get "http://127\\.0\\.0\\.1:\\d+${path}": unexpected EOF ` +
        `\\(cannot resume after \\d+ bytes: the server does not accept byte ranges\\)$`,
    ),
  )
  t.true(result.bytes.length <= 70_000)
  t.is(registry.count(path), 1)
})

test('a resumed answer that ignores Range is refused rather than spliced', async (t) => {
  const {registry, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  registry.inject(path, {truncateAfter: 70_000})
  registry.inject(path, {status: 200, body: BIG})
  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.false(result.ended)
  t.regex(result.error?.message ?? '', /unexpected EOF \(after reconnecting, server did not process a Range: header, status 200\)$/)
})

test('a resumed answer at the wrong offset, or an error, is refused', async (t) => {
  const {registry, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  registry.inject(path, {truncateAfter: 70_000})
  registry.inject(path, {status: 206, headers: {'Content-Range': `bytes 0-9/${BIG.length}`}, body: 'x'.repeat(10)})
  const shifted = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.false(shifted.ended)
  t.regex(shifted.error?.message ?? '', new RegExp(`unexpected EOF \\(after reconnecting at offset \\d+, got unexpected Content-Range 0-9/${BIG.length}\\)$`))

  registry.inject(path, {truncateAfter: 70_000})
  registry.inject(path, {status: 404, body: {errors: [{code: 'BLOB_UNKNOWN', message: 'blob unknown to registry'}]}})
  const gone = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.false(gone.ended)
  t.regex(gone.error?.message ?? '', /unexpected EOF \(after reconnecting, fetching blob: blob unknown\)$/)
})

test('a stalled body times out after idleMs naming the URL, and resumes', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  const client = clientFor(registry, {timeouts: {connectMs: 5000, idleMs: 400}, retry: {attempts: 2, baseDelayMs: 1, maxDelayMs: 5}})
  registry.inject(path, {stallAfter: 50_000})
  const resumed = await collect((await client.getBlob(layerDigest)).stream)
  t.true(resumed.bytes.equals(layer))

  registry.inject(path, {stallAfter: 0}, Infinity)
  const started = Date.now()
  const stalled = await collect((await client.getBlob(layerDigest)).stream)
  t.false(stalled.ended)
  t.is(
    stalled.error?.message,
    `reading blob ${layerDigest} in ${registry.host}/${REPO}: Get "http://${registry.host}${path}": idle timeout: no data received for 400ms (gave up after 2 attempts)`,
  )
  t.true(Date.now() - started < 3000)
})

test('each stall is reported with the silent server, the wait and where the next request starts', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  const client = clientFor(registry, {timeouts: {connectMs: 300, idleMs: 300}})
  registry.inject(path, {stallHeaders: true})
  registry.inject(path, {stallAfter: 50_000})
  registry.inject(path, {stallAfter: 0})
  const stalls: BlobStall[] = []
  const result = await collect((await client.getBlob(layerDigest, {onStall: (stall) => stalls.push(stall)})).stream)
  t.is(result.error, undefined)
  t.true(result.bytes.equals(layer))
  t.deepEqual(stalls, [
    {server: registry.host, silentMs: 300, resumeAt: 0},
    {server: registry.host, silentMs: 300, resumeAt: 50_000},
    {server: registry.host, silentMs: 300, resumeAt: 50_000},
  ])
  t.deepEqual(
    registry.requests.filter((r) => r.url === path).map((r) => r.headers.range),
    [undefined, undefined, 'bytes=50000-', 'bytes=50000-'],
  )
})

test('a server that sends a little and then stalls on every request is given up on', async (t) => {
  const {registry, layerDigest} = await registryWithImage(Buffer.alloc(3 * 1024 * 1024, 5))
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  const client = clientFor(registry, {timeouts: {connectMs: 300, idleMs: 300}})
  registry.inject(path, {stallAfter: 100_000}, Infinity)
  const stalls: BlobStall[] = []
  const result = await collect((await client.getBlob(layerDigest, {onStall: (stall) => stalls.push(stall)})).stream)
  t.false(result.ended)
  t.is(result.bytes.length, 3 * 100_000)
  t.is(
    result.error?.message,
    `reading blob ${layerDigest} in ${registry.host}/${REPO}: Get "http://${registry.host}${path}": idle timeout: no data received for 300ms (gave up after 3 attempts)`,
  )
  t.deepEqual(stalls.map((s) => s.resumeAt), [100_000, 200_000])
})

test('a connection that brings a MiB or more does not count against the attempts', async (t) => {
  const size = 5 * MIN_PROGRESS_BYTES
  const {registry, layer, layerDigest} = await registryWithImage(Buffer.alloc(size, 9))
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  // FAST_RETRY allows 3 attempts; four stalls, each after a MiB, still end in the whole blob
  const client = clientFor(registry, {timeouts: {connectMs: 300, idleMs: 300}})
  registry.inject(path, {stallAfter: MIN_PROGRESS_BYTES}, 4)
  const result = await collect((await client.getBlob(layerDigest)).stream)
  t.is(result.error, undefined)
  t.true(result.bytes.equals(layer))
  t.is(registry.count(path), 5)
})

test('a redirect to another origin carries no Authorization', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  const storage = await FaultRegistry.start()
  t.teardown(() => registry.close())
  t.teardown(() => storage.close())
  registry.requireBearer()
  storage.addBlob(REPO, layer)
  registry.redirectBlobsTo(storage)
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  storage.inject(path, {truncateAfter: 100_000})

  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.is(result.error, undefined)
  t.true(result.bytes.equals(layer))
  const atRegistry = registry.requests.filter((r) => r.url === path)
  const atStorage = storage.requests.filter((r) => r.url === path)
  t.is(atRegistry.length, 2)
  t.is(atStorage.length, 2)
  for (const r of atRegistry) t.regex(String(r.headers.authorization), /^Bearer /)
  for (const r of atStorage) t.is(r.headers.authorization, undefined)
  t.is(atStorage[1].headers.range, atRegistry[1].headers.range)
  t.regex(String(atStorage[1].headers.range), /^bytes=\d+-$/)
})

test('blob errors name the blob and the repository', async (t) => {
  const {registry, layerDigest} = await registryWithImage()
  t.teardown(() => registry.close())
  const missing = sha256('missing')
  await t.throwsAsync(clientFor(registry).getBlob(missing), {
    message: `reading blob ${missing} in ${registry.host}/${REPO}: blob unknown`,
  })
  registry.inject(`/v2/${REPO}/blobs/${layerDigest}`, {status: 500}, Infinity)
  await t.throwsAsync(clientFor(registry).getBlob(layerDigest), {
    message: `reading blob ${layerDigest} in ${registry.host}/${REPO}: received unexpected HTTP status: 500 Internal Server Error`,
  })
})

test('aborting the signal fails a running blob stream', async (t) => {
  const {registry, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const controller = new AbortController()
  registry.inject(`/v2/${REPO}/blobs/${layerDigest}`, {stallAfter: 1000})
  const {stream} = await clientFor(registry, {signal: controller.signal}).getBlob(layerDigest)
  setTimeout(() => controller.abort(), 50)
  const result = await collect(stream)
  t.false(result.ended)
  t.is(result.error?.message, `reading blob ${layerDigest} in ${registry.host}/${REPO}: operation canceled`)
})

test('a blob request whose connection drops is sent again', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const path = `/v2/${REPO}/blobs/${layerDigest}`
  registry.inject(path, {drop: true})
  registry.inject(path, {status: 503})
  const result = await collect((await clientFor(registry).getBlob(layerDigest)).stream)
  t.true(result.bytes.equals(layer))
  t.is(registry.count(path), 3)
})

test('without Content-Length the size is -1', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  registry.inject(`/v2/${REPO}/blobs/${layerDigest}`, {status: 200, headers: {'Transfer-Encoding': 'chunked'}, body: layer})
  const {stream, size} = await clientFor(registry).getBlob(layerDigest)
  t.is(size, -1)
  t.true((await collect(stream)).bytes.equals(layer))
})

test('a slow consumer never trips the idle timeout', async (t) => {
  const {registry, layer, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const {stream} = await clientFor(registry, {timeouts: {connectMs: 5000, idleMs: 100}}).getBlob(layerDigest)
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer)
    if (chunks.length === 1) await new Promise((resolve) => setTimeout(resolve, 400))
  }
  t.true(Buffer.concat(chunks).equals(layer))
})

test('a consumer may destroy the stream half way, without an error or a hang', async (t) => {
  const {registry, layerDigest} = await registryWithImage(Buffer.alloc(4 * 1024 * 1024, 7))
  t.teardown(() => registry.close())
  const {stream} = await clientFor(registry).getBlob(layerDigest)
  await new Promise<void>((resolve) => stream.once('data', () => resolve()))
  stream.destroy()
  await new Promise((resolve) => stream.once('close', resolve))
  t.true(stream.destroyed)
  t.is(stream.errored, null)
  t.is(registry.count(`/v2/${REPO}/blobs/${layerDigest}`), 1)
})

test('many streams at once on one signal raise no listener warning', async (t) => {
  const {registry, layerDigest} = await registryWithImage(BIG)
  t.teardown(() => registry.close())
  const warnings: Error[] = []
  const onWarning = (warning: Error): void => {
    warnings.push(warning)
  }
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  const controller = new AbortController()
  const client = clientFor(registry, {signal: controller.signal})
  const blobs = await Promise.all(Array.from({length: 15}, () => client.getBlob(layerDigest)))
  const results = await Promise.all(blobs.map((b) => collect(b.stream)))
  for (const r of results) t.is(r.bytes.length, BIG.length)
  await new Promise((resolve) => setImmediate(resolve))
  t.deepEqual(warnings.map((w) => w.message), [])
})
