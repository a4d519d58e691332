// dir: references, and an image read back from a directory as the destination wrote it.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {DIR_VERSION, dirBlobPath, dirTransport} from '../../../../../src/storage/image/transports/dir/transport'
import {parseImageName} from '../../../../../src/storage/image/transports/registry'
import {busyboxImage} from '../../../../helpers/oci-image'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-dir-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('dir:PATH is registered, resolves relative paths and refuses an empty one or a ":"', (t) => {
  const ref = parseImageName('dir:/tmp/some/image')
  t.is(ref.transport.name, 'dir')
  t.is(ref.toString(), '/tmp/some/image')
  t.is(ref.dockerReference(), undefined)
  t.is(dirTransport.parseReference('rel').toString(), path.resolve('rel'))
  t.throws(() => dirTransport.parseReference(''))
  t.throws(() => dirTransport.parseReference('/x:tag'))
})

test('blobs are named by their hex digest (the algorithm first for other than sha256)', (t) => {
  t.is(dirBlobPath('/d', `sha256:${'a'.repeat(64)}`), `/d/${'a'.repeat(64)}`)
  t.is(dirBlobPath('/d', `sha512:${'b'.repeat(128)}`), `/d/sha512-${'b'.repeat(128)}`)
  t.throws(() => dirBlobPath('/d', '../../etc/passwd'))
})

test('what the destination wrote, the source reads back: manifest, config and layers', async (t) => {
  const dir = path.join(tempDir(t), 'image')
  const image = await busyboxImage()
  const ref = dirTransport.parseReference(dir)
  const dest = await ref.newDestination({})
  for (const blob of [image.config, ...image.layers.map((l) => l.data)]) await dest.putBlob(Readable.from([blob]), {digest: '', size: -1}, {isConfig: false})
  await dest.putManifest({bytes: image.manifest, mediaType: image.mediaType})
  await dest.commit()
  await dest.close()
  t.is(fs.readFileSync(path.join(dir, 'version'), 'utf8'), DIR_VERSION)

  const source = await ref.newSource({})
  const manifest = await source.getManifest()
  t.true(manifest.bytes.equals(image.manifest))
  t.is(manifest.mediaType, image.mediaType)
  const {stream, size} = await source.getBlob({digest: image.layers[0].digest, size: -1})
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  t.true(Buffer.concat(chunks).equals(image.layers[0].data))
  t.is(size, image.layers[0].data.length)
  await t.throwsAsync(source.getBlob({digest: `sha256:${'0'.repeat(64)}`, size: -1}), {message: /reading blob sha256:0+ in /})
})
