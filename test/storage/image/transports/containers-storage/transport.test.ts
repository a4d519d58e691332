// containers-storage: is a transport like the others: its references parse and print back, and
// copyImage writes into the store and reads out of it through them. As real root: the store
// unpacks directly.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../../../src/storage/config/storage-conf'
import {copyImage} from '../../../../../src/storage/image/copy/copy'
import {StoreImageReference} from '../../../../../src/storage/image/transports/containers-storage/transport'
import {formatImageName, parseImageName, transportNames} from '../../../../../src/storage/image/transports/registry'
import {Store} from '../../../../../src/storage/store/store'
import {buildImage, writeOciLayout} from '../../../../helpers/oci-image'

const ID = 'a'.repeat(64)

async function openTemp(t: {teardown(fn: () => void): void}): Promise<{store: Store; dir: string}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-cs-'))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => {
    store.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })
  return {store, dir}
}

test('containers-storage is registered beside the other transports', (t) => {
  t.deepEqual(transportNames(), ['containers-storage', 'dir', 'docker', 'docker-archive', 'oci', 'oci-archive'])
})

test('references parse and print back: a name (normalized), an id, with and without the store', (t) => {
  for (const [text, printed] of [
    ['alpine', 'docker.io/library/alpine:latest'],
    ['[overlay@/var/lib/x]localhost/app:1', '[overlay@/var/lib/x]localhost/app:1'],
    [`sha256:${ID}`, ID],
    [`[overlay@/g+/run]${ID}`, `[overlay@/g]${ID}`],
  ]) {
    const ref = parseImageName(`containers-storage:${text}`)
    t.is(ref.toString(), printed)
    t.is(parseImageName(formatImageName(ref)).toString(), printed)
  }
  t.is(parseImageName('containers-storage:alpine').dockerReference(), 'docker.io/library/alpine:latest')
  t.is(parseImageName(`containers-storage:${ID}`).dockerReference(), undefined)
  t.throws(() => parseImageName('containers-storage:[overlay@relative]x'), {message: /graph root must be an absolute path/})
  t.throws(() => parseImageName('containers-storage:[overlay@/g'), {message: /"\[" without "\]"/})
  t.throws(() => parseImageName('containers-storage:'), {message: /no image name or id/})
})

test('an image goes oci: -> containers-storage: -> oci: with its manifest, config and layers unchanged', async (t) => {
  const {store, dir} = await openTemp(t)
  const image = await buildImage({layers: [[{path: 'etc/hello', type: 'file', content: 'hi\n'}]]})
  const layout = path.join(dir, 'in')
  await writeOciLayout(layout, [{image}])

  const into = parseImageName('containers-storage:localhost/app:1')
  const src = await parseImageName(`oci:${layout}`).newSource({})
  const dest = await into.newDestination({store})
  try {
    await copyImage(src, dest)
  } finally {
    await dest.close()
    await src.close()
  }
  const stored = store.images.byName('localhost/app:1')
  t.truthy(stored)
  t.is(`sha256:${stored!.id}`, image.configDigest)

  // the store read back through a reference parsed from text, bound to the store by the context
  const out = path.join(dir, 'out')
  const back = await parseImageName(`containers-storage:[overlay@${store.config.graphRoot}]localhost/app:1`).newSource({store})
  const written = await parseImageName(`oci:${out}`).newDestination({})
  try {
    const result = await copyImage(back, written)
    t.is(result.manifestDigest, image.manifestDigest)
    t.is(result.configDigest, image.configDigest)
  } finally {
    await written.close()
    await back.close()
  }
  t.is(StoreImageReference.ofImage(store, stored!).toString(), `[overlay@${store.config.graphRoot}]${stored!.id}`)
})

test('a reference names its store: another store, or none, is refused by name', async (t) => {
  const {store} = await openTemp(t)
  await t.throwsAsync(parseImageName('containers-storage:[overlay@/elsewhere]app').newSource({store}), {message: /the store at .* is another one/})
  await t.throwsAsync(parseImageName('containers-storage:app').newSource({}), {message: 'containers-storage:docker.io/library/app:latest: no store to read or write the image in'})
  await t.throwsAsync(parseImageName('containers-storage:app').newSource({store}), {message: 'containers-storage:docker.io/library/app:latest: no such image in the store'})
  await t.throwsAsync(parseImageName(`containers-storage:${ID}`).newDestination({store}), {message: /written under names, not under an id/})
})
