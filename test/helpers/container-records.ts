// Container records on a real temporary store (root's own, no user namespace): the store with
// one bare image record, and a minimal container config to add, for the unit tests of what reads
// and writes records.
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {ContainerConfig} from '../../src/runtime/container/config'
import {ContainerRecords} from '../../src/runtime/container/records'
import {parseContainerSpec} from '../../src/specgen/parse'
import {loadStorageConfig} from '../../src/storage/config/storage-conf'
import {Store} from '../../src/storage/store/store'

/** The image every container config made here refers to. */
export const IMAGE_ID = 'e'.repeat(64)

/** A store in a new temp dir (removed at teardown) with an image record IMAGE_ID, and its container records. */
export async function tempRecords(t: {teardown(fn: () => unknown): void}, prefix = 'tspod-records-'): Promise<{store: Store; records: ContainerRecords; dir: string}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => store.close())
  store.images.put({id: IMAGE_ID, digest: `sha256:${'d'.repeat(64)}`, manifest: Buffer.from('{}'), manifestType: 'application/vnd.oci.image.manifest.v1+json', config: Buffer.from('{}'), created: null, size: 0, layers: [], names: [], digests: []})
  return {store, records: ContainerRecords.open(store), dir}
}

/** A created container's config named `name` on IMAGE_ID, running `true` with no network; `overrides` replace fields. */
export function containerConfig(name: string, overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    id: crypto.randomBytes(32).toString('hex'),
    name,
    labels: {},
    imageId: IMAGE_ID,
    imageName: 'img',
    created: new Date().toISOString(),
    spec: {ociVersion: '1.0.2', process: {user: {uid: 0, gid: 0}, args: ['true'], cwd: '/'}, root: {path: '/x'}},
    containerSpec: parseContainerSpec({network: 'none'}),
    autoRemove: false,
    keepGroups: false,
    stopSignal: 15,
    stopTimeout: 10,
    ports: [],
    network: 'none',
    volumes: [],
    ...overrides,
  }
}
