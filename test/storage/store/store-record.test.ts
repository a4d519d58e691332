import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {StorageConfig} from '../../../src/storage/config/storage-conf'
import {layoutOf, readStoreRecord, resolveStoreConfig, writeStoreRecord} from '../../../src/storage/store/store-record'

function config(graphRoot: string, over: Partial<StorageConfig> = {}): StorageConfig {
  return {
    driver: 'overlay',
    driverSet: false,
    graphRoot,
    runRoot: '/run/x',
    volumePath: path.join(graphRoot, 'volumes'),
    volumePathSet: false,
    overlay: {ignoreChownErrors: false},
    vfs: {ignoreChownErrors: false},
    ...over,
  }
}

test('a new store records its driver and volume path; later opens follow them unless told otherwise', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-record-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  t.is(readStoreRecord(root), undefined)
  t.is(resolveStoreConfig(config(root, {driver: 'vfs'})).driver, 'vfs')
  writeStoreRecord(config(root, {driver: 'vfs', volumePath: '/vols'}))
  t.deepEqual(readStoreRecord(root), {driver: 'vfs', volumePath: '/vols'})
  // storage.conf's driver is not "set": the store's own wins, as Podman's database does
  const resolved = resolveStoreConfig(config(root))
  t.is(resolved.driver, 'vfs')
  t.is(resolved.volumePath, '/vols')
  t.is(layoutOf(config(root)).driver.name, 'vfs')
  t.throws(() => resolveStoreConfig(config(root, {driverSet: true})), {
    message: 'database storage graph driver "vfs" does not match our storage graph driver "overlay": database configuration mismatch',
  })
  t.throws(() => resolveStoreConfig(config(root, {volumePathSet: true})), {
    message: `database volume path "/vols" does not match our volume path "${path.join(root, 'volumes')}": database configuration mismatch`,
  })
})

test('a store made before records is an overlay store; a damaged record is named', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-record-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  fs.writeFileSync(path.join(root, 'tspod.db'), '')
  t.deepEqual(readStoreRecord(root), {driver: 'overlay', volumePath: path.join(root, 'volumes')})
  fs.writeFileSync(path.join(root, 'store.json'), '{"driver": 1}')
  t.throws(() => readStoreRecord(root), {message: /store\.json is damaged/})
})
