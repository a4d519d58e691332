// The image store's names history (containers/storage's NamesHistory): kept through tags,
// untags and a name moving away, written to the image's record and restored by a rebuild.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../../src/storage/config/storage-conf'
import {sqliteDatabase} from '../../../../src/storage/store/db/connection'
import {migrate} from '../../../../src/storage/store/db/migrate'
import {STORAGE_MIGRATIONS} from '../../../../src/storage/store/db/schema'
import {Store} from '../../../../src/storage/store/store'

async function openTemp(t: {teardown(fn: () => void): void}): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-images-'))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => {
    store.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })
  return store
}

const image = (id: string, names: string[]) => ({
  id,
  digest: `sha256:${'d'.repeat(63)}${id.at(-1)}`,
  manifest: Buffer.from('{}'),
  manifestType: 'application/vnd.oci.image.manifest.v1+json',
  config: Buffer.from('{}'),
  created: null,
  size: 10,
  layers: [],
  names,
  digests: [],
})

test('each names change puts the names, last first, before the history; a lost name stays in it', async (t) => {
  const store = await openTemp(t)
  const id = 'a'.repeat(64)
  store.images.put(image(id, ['localhost/base:latest']))
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/base:latest'])
  store.images.addName(id, 'localhost/one:latest')
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/one:latest', 'localhost/base:latest'])
  store.images.removeName(id, 'localhost/one:latest')
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/base:latest', 'localhost/one:latest'])
  store.images.addName(id, 'localhost/two:latest')
  store.images.removeName(id, 'localhost/two:latest')
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/base:latest', 'localhost/two:latest', 'localhost/one:latest'])

  // a name moving to another image leaves the first one's history as it was
  const other = 'b'.repeat(64)
  store.images.put(image(other, ['localhost/base:latest']))
  t.deepEqual(store.images.get(id)!.names, [])
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/base:latest', 'localhost/two:latest', 'localhost/one:latest'])
  t.deepEqual(store.images.get(other)!.namesHistory, ['localhost/base:latest'])

  const record = JSON.parse(fs.readFileSync(store.layout.imageRecord(id), 'utf8')) as {namesHistory: string[]}
  t.deepEqual(record.namesHistory, ['localhost/base:latest', 'localhost/two:latest', 'localhost/one:latest'])
})

test('the migration gives images stored before it their names of now as history', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-images-mig-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'tspod.db')
  const db = sqliteDatabase(file)
  migrate(db, file, STORAGE_MIGRATIONS.filter((m) => m.version <= 3))
  db.prepare("INSERT INTO images (id, digest, manifest, manifest_type, config, added, size) VALUES ('c', 'sha256:c', x'', 't', x'', '2026-01-01', 0)").run()
  db.prepare("INSERT INTO image_names (name, image_id, added) VALUES ('localhost/x:latest', 'c', '2026-01-01T00:00:00Z'), ('localhost/y:latest', 'c', '2026-01-02T00:00:00Z')").run()
  migrate(db, file, STORAGE_MIGRATIONS)
  t.deepEqual(JSON.parse((db.prepare("SELECT names_history FROM images WHERE id = 'c'").get() as {names_history: string}).names_history), ['localhost/y:latest', 'localhost/x:latest'])
  db.close()
})

test('tagging an image with the name it got last writes nothing; an older name of it moves last', async (t) => {
  const store = await openTemp(t)
  const id = 'e'.repeat(64)
  store.images.put(image(id, ['localhost/base:latest']))
  store.images.addName(id, 'localhost/one:latest')
  const record = store.layout.imageRecord(id)
  const written = fs.statSync(record, {bigint: true})
  store.images.addName(id, 'localhost/one:latest')
  const again = fs.statSync(record, {bigint: true})
  t.is(again.ino, written.ino, 'the record is not rewritten')
  t.is(again.mtimeNs, written.mtimeNs)
  t.deepEqual(store.images.get(id)!.names, ['localhost/base:latest', 'localhost/one:latest'])
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/one:latest', 'localhost/base:latest'])

  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5) // the name's time moves on
  store.images.addName(id, 'localhost/base:latest')
  t.deepEqual(store.images.get(id)!.names, ['localhost/one:latest', 'localhost/base:latest'])
  t.deepEqual(store.images.get(id)!.namesHistory, ['localhost/base:latest', 'localhost/one:latest'])
  t.not(fs.statSync(record, {bigint: true}).ino, written.ino)
})

test('listings read names and digests as they are now, each time (the hydrating queries are prepared once)', async (t) => {
  const store = await openTemp(t)
  const a = 'a'.repeat(64)
  const b = 'b'.repeat(64)
  store.images.put(image(a, ['localhost/one:latest']))
  t.deepEqual(store.images.list().map((i) => i.names), [['localhost/one:latest']])
  store.images.put(image(b, []))
  store.images.addName(b, 'localhost/two:latest')
  store.images.addName(a, 'localhost/three:latest')
  const byId = new Map(store.images.list().map((i) => [i.id, i.names]))
  t.deepEqual(byId.get(a), ['localhost/one:latest', 'localhost/three:latest'])
  t.deepEqual(byId.get(b), ['localhost/two:latest'])
  store.images.delete(b)
  t.deepEqual(store.images.list().map((i) => i.id), [a])
  t.deepEqual(store.images.get(a)?.names, ['localhost/one:latest', 'localhost/three:latest'])
})
