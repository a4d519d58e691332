// Container records of the form before the typed ContainerSpec (the create options as given,
// `options` and `publish`): converted when a store at runtime schema 2 is opened, record files
// included, when such a record file is restored by a DB rebuild, and when one is read.
import test from 'ava'
import BetterSqlite3 from 'better-sqlite3'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {CREATED_STATE, ContainerConfig} from '../../../src/runtime/container/config'
import {containerRecordsPart} from '../../../src/runtime/container/rebuild-records'
import {ContainerRecords} from '../../../src/runtime/container/records'
import {upgradeConfig} from '../../../src/runtime/container/upgrade-config'
import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {migrate} from '../../../src/storage/store/db/migrate'
import {MIGRATIONS} from '../../../src/storage/store/db/migrations'
import {Store} from '../../../src/storage/store/store'

const IMAGE_ID = 'e'.repeat(64)

/** A config as tspod wrote it before the typed spec: the options as given and the -p values. */
function legacyConfig(id: string): Record<string, unknown> {
  return {
    id,
    name: 'old',
    labels: {from: 'image', l: 'v'},
    imageId: IMAGE_ID,
    imageName: 'img',
    created: '2026-01-01T00:00:00.000Z',
    spec: {
      ociVersion: '1.0.2-dev',
      process: {user: {uid: 0, gid: 0}, args: ['/bin/echo', 'x', 'hi'], cwd: '/w', env: ['PATH=/bin', 'A=1', 'HOSTVAR=from-host', 'FROM_FILE=1']},
      root: {path: '/x'},
      mounts: [{destination: '/rel', type: 'bind', source: '/srv/data/rel', options: ['ro', 'rprivate', 'rbind']}],
    },
    options: {
      name: 'old',
      labels: {l: 'v'},
      volumes: ['./rel:/rel:ro', '/srv/abs:/abs/', 'cache:/cache:nocopy', '/anon'],
      tmpfs: ['/t:size=1m'],
      capAdd: ['net_admin'],
      capDrop: ['CAP_CHOWN'],
      userns: 'keep-id:uid=5',
      securityOpt: ['seccomp=unconfined', 'no-new-privileges'],
      env: ['A=1', 'HOSTVAR'],
      envFile: ['/gone/env'],
      devices: ['/dev/null:/dev/n:r'],
      entrypoint: '["/bin/echo","x"]',
      args: ['hi'],
      groupAdd: ['keep-groups'],
      interactive: true,
      workdir: '/w',
      addHost: ['h:1.2.3.4'],
      network: 'slirp4netns',
      publish: ['8080:80'],
      autoRemove: true,
      stopTimeout: 3,
      timezone: 'UTC',
    },
    autoRemove: true,
    keepGroups: true,
    stopSignal: 15,
    stopTimeout: 3,
    publish: ['8080:80'],
    network: 'slirp4netns',
    volumes: [],
    log: {driver: 'k8s-file', size: 0},
  }
}

test('a legacy config becomes the typed form: every option parsed, host values from what the container kept', (t) => {
  const id = 'a'.repeat(64)
  const config = upgradeConfig(legacyConfig(id) as unknown as ContainerConfig)
  t.false('options' in config)
  t.false('publish' in config)
  t.deepEqual(config.ports, [{hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1}])
  const spec = config.containerSpec
  t.deepEqual(spec.mounts, [
    {type: 'bind', source: '/srv/data/rel', destination: '/rel', options: ['ro']},
    {type: 'bind', source: '/srv/abs', destination: '/abs', options: []},
    {type: 'volume', name: 'cache', destination: '/cache', options: ['nocopy']},
    {type: 'volume', name: '', destination: '/anon', options: []},
    {type: 'tmpfs', destination: '/t', options: ['size=1m']},
  ])
  t.deepEqual([spec.capAdd, spec.capDrop], [['CAP_NET_ADMIN'], ['CAP_CHOWN']])
  t.deepEqual(spec.userns, {kind: 'keep-id', uid: 5})
  t.like(spec.security, {seccomp: 'unconfined', noNewPrivileges: true})
  t.deepEqual(spec.env, [
    ['A', '1'],
    ['HOSTVAR', 'from-host'],
  ])
  t.deepEqual(spec.devices, [{source: '/dev/null', destination: '/dev/n', permissions: 'r'}])
  t.deepEqual([spec.entrypoint, spec.command, spec.workdir], [['/bin/echo', 'x'], ['hi'], '/w'])
  t.like(spec, {keepGroups: true, groups: [], interactive: true, autoRemove: true, stopTimeout: 3, timezone: 'UTC', labels: {l: 'v'}})
  t.deepEqual(spec.network, {kind: 'slirp4netns'})
  t.deepEqual(spec.extraHosts, [{name: 'h', ip: '1.2.3.4'}])
  t.is(upgradeConfig(config), config, 'a typed config is left as it is')
})

async function openTemp(t: {teardown(fn: () => unknown): void}): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-upgrade-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  store.images.put({id: IMAGE_ID, digest: `sha256:${'d'.repeat(64)}`, manifest: Buffer.from('{}'), manifestType: 'application/vnd.oci.image.manifest.v1+json', config: Buffer.from('{}'), created: null, size: 0, layers: [], names: [], digests: []})
  return store
}

test('opening the records of a store with rows of the old form converts them and their record files', async (t) => {
  const store = await openTemp(t)
  t.teardown(() => store.close())
  const records = ContainerRecords.open(store)
  // a container row and record file as the tspod before the typed spec left them
  const id = crypto.randomBytes(32).toString('hex')
  const legacy = legacyConfig(id)
  store.containers.create({id, name: 'old', imageId: IMAGE_ID, created: legacy.created as string})
  const db = store.database
  db.prepare('INSERT INTO container_configs (id, json) VALUES (?, ?)').run(id, JSON.stringify(legacy))
  db.prepare('INSERT INTO container_states (id, status, json) VALUES (?, ?, ?)').run(id, 'created', JSON.stringify(CREATED_STATE))
  const recordFile = store.layout.containerRuntimeRecord(id, 'config')
  fs.writeFileSync(recordFile, JSON.stringify({recordVersion: 1, config: legacy}))
  t.is(records.get(id)?.config.containerSpec.userns.kind, 'keep-id', 'a legacy row reads as the typed form before it is converted')

  ContainerRecords.open(store)
  const row = JSON.parse((db.prepare('SELECT json FROM container_configs WHERE id = ?').get(id) as {json: string}).json) as ContainerConfig
  t.false('options' in row)
  t.deepEqual(row.containerSpec.capAdd, ['CAP_NET_ADMIN'])
  const file = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as {config: ContainerConfig}
  t.deepEqual(file.config, row)
})

test('a DB rebuild restores a legacy record file in the typed form and rewrites the file', async (t) => {
  const store = await openTemp(t)
  const id = crypto.randomBytes(32).toString('hex')
  fs.mkdirSync(store.layout.containerDir(id), {recursive: true})
  const recordFile = store.layout.containerRuntimeRecord(id, 'config')
  fs.writeFileSync(recordFile, JSON.stringify({recordVersion: 1, config: legacyConfig(id)}))
  fs.writeFileSync(store.layout.containerRuntimeRecord(id, 'state'), JSON.stringify({recordVersion: 1, state: CREATED_STATE}))
  const layout = store.layout
  store.close()

  const db = new BetterSqlite3(path.join(path.dirname(recordFile), '..', '..', 'rebuilt.db'))
  t.teardown(() => db.close())
  migrate(db, 'rebuilt.db', MIGRATIONS)
  db.pragma('foreign_keys = OFF')
  const findings = containerRecordsPart.restore(db, layout, {layers: new Set(), images: new Set(), containers: new Set([id])}, () => t.fail('nothing is removed'))
  t.deepEqual(findings, [])
  const row = JSON.parse((db.prepare('SELECT json FROM container_configs WHERE id = ?').get(id) as {json: string}).json) as ContainerConfig
  t.deepEqual(row.containerSpec.userns, {kind: 'keep-id', uid: 5})
  t.false('options' in row)
  t.deepEqual((JSON.parse(fs.readFileSync(recordFile, 'utf8')) as {config: ContainerConfig}).config, row)
})
