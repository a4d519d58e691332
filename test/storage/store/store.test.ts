import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {openDatabase} from '../../../src/storage/store/db/connection'
import {ownerToken} from '../../../src/storage/store/owner'
import {Store} from '../../../src/storage/store/store'

async function openTemp(): Promise<{store: Store; root: string}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-store-'))
  const root = path.join(dir, 'graph')
  const config = loadStorageConfig({root, runRoot: path.join(dir, 'run')})
  return {store: await Store.open(config, undefined), root}
}

/** The owner token of a process that is alive but is not us (pid 1). */
function otherLiveOwner(): string {
  const stat = fs.readFileSync('/proc/1/stat', 'utf8')
  return `1-${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`
}

const DEAD_OWNER = '999999999-1'

const image = (id: string, layers: string[], names: string[]) => ({
  id,
  digest: `sha256:${'d'.repeat(63)}${id.at(-1)}`,
  manifest: Buffer.from('{}'),
  manifestType: 'application/vnd.oci.image.manifest.v1+json',
  config: Buffer.from('{}'),
  created: null,
  size: 10,
  layers,
  names,
  digests: [],
})

test('opening creates the graph root (0700), its dirs and a WAL database', async (t) => {
  const {store, root} = await openTemp()
  t.teardown(() => store.close())
  t.is(fs.statSync(root).mode & 0o777, 0o700)
  for (const d of ['overlay', 'tmp', 'staging', 'containers']) t.true(fs.statSync(path.join(root, d)).isDirectory())
  const db = openDatabase(root)
  t.is(db.pragma('journal_mode', {simple: true}), 'wal')
  t.is((db.prepare("SELECT version FROM schema_versions WHERE owner = 'storage'").get() as {version: number}).version, 5)
  db.close()
})

test('a database from a newer tspod is refused with a clear message', async (t) => {
  const {store, root} = await openTemp()
  store.close()
  const db = openDatabase(root)
  db.prepare("UPDATE schema_versions SET version = 99 WHERE owner = 'storage'").run()
  db.close()
  const err = t.throws(() => openDatabase(root))
  t.regex(err!.message, /tspod\.db has storage schema version 99, newer than this tspod understands \(5\)/)
})

test('layers are claimed before they exist, completed once, and shared', async (t) => {
  const {store} = await openTemp()
  t.teardown(() => store.close())
  const layer = {id: 'a'.repeat(64), parent: null, diffDigest: `sha256:${'a'.repeat(64)}`}
  t.is(store.layers.claim(layer), 'claimed')
  t.false(store.layers.has(layer.id))
  // as a pull does: the unpacked dir is in place first
  fs.mkdirSync(store.layout.diffDir(layer.id), {recursive: true})
  store.layers.complete(layer.id, 123)
  t.true(store.layers.has(layer.id))
  const record = JSON.parse(fs.readFileSync(store.layout.layerRecord(layer.id), 'utf8'))
  t.like(record, {id: layer.id, parent: null, diffDigest: layer.diffDigest, diffSize: 123})
  t.is(store.layers.claim(layer), 'exists')
  t.is(store.layers.get(layer.id)!.diffSize, 123)
})

test('a layer claimed by another live process is busy; a dead writer is taken over', async (t) => {
  const {store, root} = await openTemp()
  t.teardown(() => store.close())
  const db = openDatabase(root)
  const insert = db.prepare("INSERT INTO layers (id, diff_digest, created, incomplete, owner) VALUES (?, 'sha256:x', 'now', 1, ?)")
  insert.run('b'.repeat(64), otherLiveOwner())
  insert.run('c'.repeat(64), DEAD_OWNER)
  db.close()
  t.is(store.layers.claim({id: 'b'.repeat(64), parent: null, diffDigest: 'sha256:x'}), 'busy')
  t.is(store.layers.claim({id: 'c'.repeat(64), parent: null, diffDigest: 'sha256:x'}), 'claimed')
  t.is(store.layers.get('c'.repeat(64))!.owner, ownerToken())
})

test('the next start removes what a killed writer left, and nothing of live writers', async (t) => {
  const {store, root} = await openTemp()
  const deadTmp = path.join(root, 'tmp', `${DEAD_OWNER}-abc`)
  const liveTmp = path.join(root, 'tmp', `${otherLiveOwner()}-abc`)
  const deadStaging = path.join(root, 'staging', `${DEAD_OWNER}-def`)
  for (const d of [deadTmp, liveTmp, deadStaging]) fs.mkdirSync(path.join(d, 'x'), {recursive: true})
  const deadLayer = 'e'.repeat(64)
  fs.mkdirSync(path.join(root, 'overlay', deadLayer, 'diff'), {recursive: true})
  const db = openDatabase(root)
  db.prepare("INSERT INTO layers (id, diff_digest, created, incomplete, owner) VALUES (?, 'sha256:x', 'now', 1, ?)").run(deadLayer, DEAD_OWNER)
  db.close()
  store.close()

  const reopened = await Store.open(store.config, undefined)
  t.teardown(() => reopened.close())
  t.false(fs.existsSync(deadTmp))
  t.false(fs.existsSync(deadStaging))
  t.false(fs.existsSync(path.join(root, 'overlay', deadLayer)))
  t.is(reopened.layers.get(deadLayer), undefined)
  t.true(fs.existsSync(liveTmp))
})

test('images: names move between images, digests are looked up, unused layers go children first', async (t) => {
  const {store} = await openTemp()
  t.teardown(() => store.close())
  const [l1, l2, l3] = ['1', '2', '3'].map((c) => c.repeat(64))
  for (const [id, parent] of [[l1, null], [l2, l1], [l3, l1]] as const) {
    store.layers.claim({id, parent, diffDigest: `sha256:${id}`})
    fs.mkdirSync(store.layout.diffDir(id), {recursive: true})
    store.layers.complete(id, 1)
  }
  store.images.put(image('f'.repeat(63) + '1', [l1, l2], ['docker.io/library/a:latest']))
  store.images.put(image('f'.repeat(63) + '2', [l1, l3], ['docker.io/library/b:latest']))
  t.is(store.layers.referenceCount(l1), 2)

  store.images.put(image('f'.repeat(63) + '2', [l1, l3], ['docker.io/library/a:latest']))
  t.deepEqual(store.images.get('f'.repeat(63) + '1')!.names, [])
  // the record of the image that lost the name is rewritten too
  t.deepEqual(JSON.parse(fs.readFileSync(store.layout.imageRecord('f'.repeat(63) + '1'), 'utf8')).names, [])
  t.deepEqual(store.images.byName('docker.io/library/a:latest')!.id, 'f'.repeat(63) + '2')
  // a copy's names come first, as containers/storage's AddNames puts them
  t.deepEqual(store.images.get('f'.repeat(63) + '2')!.names, ['docker.io/library/a:latest', 'docker.io/library/b:latest'])
  t.is(store.images.byDigest(`sha256:${'d'.repeat(63)}1`)[0].id, 'f'.repeat(63) + '1')
  t.is(store.images.byIdPrefix('fff').length, 2)

  store.images.delete('f'.repeat(63) + '1')
  t.false(fs.existsSync(store.layout.imageDir('f'.repeat(63) + '1')))
  t.deepEqual(await store.removeUnreferencedLayers(), [l2])
  t.false(fs.existsSync(store.layout.layerDir(l2)))
  t.true(fs.existsSync(store.layout.layerDir(l1)))
  store.images.delete('f'.repeat(63) + '2')
  t.deepEqual(await store.removeUnreferencedLayers(), [l3, l1])
})

test('a layer pinned by a live pull is kept from deletion; a dead pull\'s pin counts for nothing', async (t) => {
  const {store} = await openTemp()
  t.teardown(() => store.close())
  const [kept, freed] = ['4', '5'].map((c) => c.repeat(64))
  for (const id of [kept, freed]) {
    store.layers.claim({id, parent: null, diffDigest: `sha256:${id}`})
    fs.mkdirSync(store.layout.diffDir(id), {recursive: true})
    store.layers.complete(id, 1)
  }
  t.true(store.layers.pin(kept))
  t.false(store.layers.pin('6'.repeat(64)), 'no such layer: nothing to pin')
  // a pin of a process that is gone (pid 1 never started at time 0)
  store.database.prepare('INSERT INTO layer_pins (layer_id, owner) VALUES (?, ?)').run(freed, '1-0')
  t.deepEqual(await store.withLayersLock('exclusive', () => store.removeUnreferencedLayers()), [freed])
  t.true(fs.existsSync(store.layout.diffDir(kept)))
  store.layers.unpin([kept])
  t.deepEqual(await store.withLayersLock('exclusive', () => store.removeUnreferencedLayers()), [kept])
})
