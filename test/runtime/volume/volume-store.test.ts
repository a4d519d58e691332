// @userns
// The volume library on a real-root store in a temp dir (the suite runs as root; rootless
// behaviour is in prepare.test.ts and test/commands/volume.test.ts, as the test user).
import test from 'ava'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {
  NoSuchVolumeError,
  VolumeExistsError,
  VolumeInUseError,
  VolumeStore,
  attachNamedVolumes,
  filterVolumes,
  inspectVolume,
  mountNamedVolumes,
  parseCreateOptions,
  parseKeyValues,
  parseVolumeFilters,
  pruneCandidates,
  pruneVolumes,
  splitAllFilter,
  templateRecord,
} from '../../../src/runtime/volume'
import {parseUntil} from '../../../src/runtime/volume/filter'
import {goJsonTime} from '../../../src/runtime/volume/report'
import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {Store} from '../../../src/storage/store/store'

const IMAGE_ID = 'e'.repeat(64)

async function openTemp(t: {teardown(fn: () => unknown): void}): Promise<{store: Store; volumes: VolumeStore; root: string}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-volumes-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const root = path.join(dir, 'graph')
  const store = await Store.open(loadStorageConfig({root, runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => store.close())
  store.images.put({
    id: IMAGE_ID,
    digest: `sha256:${'d'.repeat(64)}`,
    manifest: Buffer.from('{}'),
    manifestType: 'application/vnd.oci.image.manifest.v1+json',
    config: Buffer.from('{}'),
    created: null,
    size: 0,
    layers: [],
    names: [],
    digests: [],
  })
  return {store, volumes: VolumeStore.open(store), root}
}

/** A container's storage row, which volume_users refers to. */
function newContainer(store: Store): string {
  const id = crypto.randomBytes(32).toString('hex')
  store.containers.create({id, name: `c-${id.slice(0, 12)}`, imageId: IMAGE_ID, created: new Date().toISOString()})
  return id
}

test('create: an empty _data (0755) under volumes/<name>, the row, and Podman-shaped inspect data', async (t) => {
  const {volumes, root} = await openTemp(t)
  const before = Date.now()
  const v = await volumes.create({name: 'myvol', labels: {a: 'b', c: ''}})
  t.is(v.name, 'myvol')
  t.false(v.anonymous)
  const data = path.join(root, 'volumes', 'myvol', '_data')
  t.is(volumes.mountpoint('myvol'), data)
  t.is(fs.statSync(path.join(root, 'volumes')).mode & 0o777, 0o700)
  t.is(fs.statSync(path.join(root, 'volumes', 'myvol')).mode & 0o777, 0o700)
  t.is(fs.statSync(data).mode & 0o777, 0o755)
  t.deepEqual(fs.readdirSync(data), [])
  const data1 = inspectVolume(volumes, volumes.get('myvol')!)
  t.deepEqual(Object.keys(data1), ['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Scope', 'Options', 'MountCount', 'NeedsCopyUp', 'NeedsChown'])
  t.like(data1, {Name: 'myvol', Driver: 'local', Mountpoint: data, Scope: 'local', Options: {}, MountCount: 0, NeedsCopyUp: true, NeedsChown: true})
  t.deepEqual(data1.Labels, {a: 'b', c: ''})
  t.true(Date.parse(data1.CreatedAt) >= before - 1000)
  // templates see every field, and CreatedAt as a time
  const record = templateRecord(data1)
  t.is(record.Anonymous, false)
  t.is(record.UID, 0)
  t.true(record.CreatedAt instanceof Date)
})

test('create: the same name twice fails in Podman words, unless ignoreIfExists', async (t) => {
  const {volumes} = await openTemp(t)
  await volumes.create({name: 'dup', labels: {first: '1'}})
  const err = await t.throwsAsync(volumes.create({name: 'dup'}), {instanceOf: VolumeExistsError})
  t.is(err!.message, 'volume with name dup already exists: volume already exists')
  const again = await volumes.create({name: 'dup', ignoreIfExists: true, labels: {second: '2'}})
  t.deepEqual(again.labels, {first: '1'})
})

test('create: names as Podman checks them; without a name a random 64-hex anonymous volume', async (t) => {
  const {volumes} = await openTemp(t)
  for (const bad of ['bad/name', '.hidden', '-x', 'a b', '../x', ''])
    t.is(
      (await t.throwsAsync(volumes.create({name: bad})))!.message,
      'running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument',
      bad,
    )
  for (const good of ['a', 'A.b_c-d', '0x']) t.is((await volumes.create({name: good})).name, good)
  const anon = await volumes.create()
  t.regex(anon.name, /^[0-9a-f]{64}$/)
  t.false(/^\d{12}/.test(anon.name))
  t.true(anon.anonymous)
  t.true(fs.statSync(volumes.mountpoint(anon.name)).isDirectory())
})

test('create: driver options — uid/gid chown _data and end NeedsChown; unsupported options are refused', async (t) => {
  const {volumes} = await openTemp(t)
  const owned = await volumes.create({name: 'owned', options: {o: 'uid=1234,gid=5678,noquota', nocopy: ''}})
  t.deepEqual(owned.options, {o: 'uid=1234,gid=5678', UID: '1234', GID: '5678', NOQUOTA: 'true', nocopy: ''})
  const st = fs.statSync(volumes.mountpoint('owned'))
  t.deepEqual([st.uid, st.gid], [1234, 5678])
  t.like(inspectVolume(volumes, volumes.get('owned')!), {UID: 1234, GID: 5678, NeedsCopyUp: true})
  t.is(inspectVolume(volumes, volumes.get('owned')!).NeedsChown, undefined)
  await volumes.create({name: 'flags', uid: 42})
  t.deepEqual([fs.statSync(volumes.mountpoint('flags')).uid, fs.statSync(volumes.mountpoint('flags')).gid], [42, 0])

  const refused: [Record<string, string>, string][] = [
    [{foo: 'bar'}, "invalid mount option foo for driver 'local': invalid argument"],
    [{type: 'nfs'}, 'volume option "type=nfs" is not supported by tspod (rootless volumes can only mount type=bind and type=tmpfs)'],
    [{device: '/dev/sda1'}, 'volume option "device=/dev/sda1" is not supported by tspod (a device is mounted only with a type (type=bind or type=tmpfs))'],
    [{o: 'size=10m'}, 'volume option "o=size=10m" is not supported by tspod (volume quotas)'],
    [{o: 'nodev'}, 'volume option "o=nodev" is not supported by tspod (local volumes without a type are plain directories, never mounted with options)'],
    [{o: 'uid'}, 'uid option must provide a UID: invalid argument'],
    [{o: 'gid=x'}, 'cannot convert GID x to integer: strconv.Atoi: parsing "x": invalid syntax'],
  ]
  for (const [options, message] of refused) t.is((await t.throwsAsync(volumes.create({name: 'refused', options})))!.message, message)
  t.false(volumes.exists('refused'))
  t.is(
    (await t.throwsAsync(volumes.create({name: 'x', driver: 'nfs'})))!.message,
    'volume x uses volume plugin nfs but it could not be retrieved: no volume plugin with name nfs available: required plugin missing',
  )
  t.deepEqual(parseKeyValues(['a=b=c', 'd'], 'labels'), {a: 'b=c', d: ''})
  t.is(t.throws(() => parseKeyValues(['=x'], 'labels'))!.message, 'unable to process labels: invalid label format: "=x"')
  t.deepEqual(parseCreateOptions({copy: ''}).options, {copy: ''})
})

test('create: a leftover dir of the name (a killed create) is never handed out', async (t) => {
  const {volumes, root} = await openTemp(t)
  fs.mkdirSync(path.join(root, 'volumes', 'old', '_data'), {recursive: true})
  fs.writeFileSync(path.join(root, 'volumes', 'old', '_data', 'secret'), 'left behind')
  await volumes.create({name: 'old'})
  t.deepEqual(fs.readdirSync(volumes.mountpoint('old')), [])
  t.deepEqual(fs.readdirSync(path.join(root, 'staging')), [])
})

test('lookup: exact name, else a unique prefix, in Podman words; get and exists are exact', async (t) => {
  const {volumes} = await openTemp(t)
  for (const name of ['web', 'web-data', 'db']) await volumes.create({name})
  t.is(volumes.lookup('web').name, 'web')
  t.is(volumes.lookup('web-').name, 'web-data')
  t.is(volumes.lookup('d').name, 'db')
  const ambiguous = t.throws(() => volumes.lookup('we'), {instanceOf: VolumeExistsError})
  t.is(ambiguous!.message, 'more than one result for volume name we: volume already exists')
  const missing = t.throws(() => volumes.lookup('nope'), {instanceOf: NoSuchVolumeError})
  t.is(missing!.message, 'no volume with name "nope" found: no such volume')
  t.is(volumes.get('we'), undefined)
  t.false(volumes.exists('d'))
  t.true(volumes.exists('db'))
  t.deepEqual(volumes.list().map((v) => v.name), ['db', 'web', 'web-data'])
})

test('remove: row and data go; a volume in use is refused unless removeContainers clears it', async (t) => {
  const {store, volumes, root} = await openTemp(t)
  await volumes.create({name: 'gone'})
  fs.mkdirSync(path.join(volumes.mountpoint('gone'), 'sub'))
  fs.writeFileSync(path.join(volumes.mountpoint('gone'), 'sub', 'file'), 'x')
  await volumes.remove('gone')
  t.false(volumes.exists('gone'))
  t.false(fs.existsSync(path.join(root, 'volumes', 'gone')))
  t.deepEqual(fs.readdirSync(path.join(root, 'staging')), [])
  await t.throwsAsync(volumes.remove('gone'), {instanceOf: NoSuchVolumeError, message: 'no volume with name "gone" found: no such volume'})

  const [c1, c2] = [newContainer(store), newContainer(store)]
  mountNamedVolumes(volumes, [{name: 'used', destination: '/data', options: []}], c1)
  mountNamedVolumes(volumes, [{name: 'used', destination: '/other', options: []}], c2)
  const ids = [c1, c2].sort()
  const err = await t.throwsAsync(volumes.remove('used'), {instanceOf: VolumeInUseError})
  t.is(err!.message, `volume used is being used by the following container(s): ${ids.join(', ')}: volume is being used`)
  t.true(volumes.exists('used'))
  const asked: string[][] = []
  await volumes.remove('used', {
    removeContainers: async (containers) => {
      asked.push(containers)
      containers.forEach((id) => store.containers.delete(id))
    },
  })
  t.deepEqual(asked, [ids])
  t.false(volumes.exists('used'))
})

test('attachNamedVolumes: creates missing volumes, records the container, and binds _data with Podman options', async (t) => {
  const {store, volumes} = await openTemp(t)
  await volumes.create({name: 'existing', options: {nocopy: ''}})
  const id = newContainer(store)
  const attached = attachNamedVolumes(
    volumes,
    [
      {name: 'existing', destination: '/a', options: []},
      {name: 'fresh', destination: '/b', options: ['ro', 'noexec']},
      {name: '', destination: '/c', options: ['nocopy']},
      {destination: '/d', options: ['bind']},
    ],
    id,
  )
  t.deepEqual(
    attached.map((a) => a.mount),
    [
      {destination: '/a', type: 'bind', source: volumes.mountpoint('existing'), options: ['rprivate', 'nosuid', 'nodev', 'rbind']},
      {destination: '/b', type: 'bind', source: volumes.mountpoint('fresh'), options: ['ro', 'noexec', 'rprivate', 'nosuid', 'nodev', 'rbind']},
      {destination: '/c', type: 'bind', source: volumes.mountpoint(attached[2].volume.name), options: ['rprivate', 'nosuid', 'nodev', 'rbind']},
      {destination: '/d', type: 'bind', source: volumes.mountpoint(attached[3].volume.name), options: ['bind', 'private', 'nosuid', 'nodev']},
    ],
  )
  t.deepEqual(attached.map((a) => a.copyUp), [false, true, false, true])
  t.false(volumes.get('fresh')!.anonymous)
  for (const a of attached.slice(2)) {
    t.regex(a.volume.name, /^[0-9a-f]{64}$/)
    t.like(volumes.get(a.volume.name), {anonymous: true, createdFor: id})
  }
  for (const a of attached) t.deepEqual(volumes.users(a.volume.name), [id])
  t.deepEqual(volumes.anonymousVolumesOf(id), attached.slice(2).map((a) => a.volume.name).sort())
  // attaching again changes nothing
  mountNamedVolumes(volumes, [{name: 'existing', destination: '/a', options: []}], id)
  t.deepEqual(volumes.users('existing'), [id])
})

test('attachNamedVolumes: nocreate, an unknown container and any bad request leave nothing behind', async (t) => {
  const {store, volumes, root} = await openTemp(t)
  const id = newContainer(store)
  const nocreate = t.throws(() => mountNamedVolumes(volumes, [{name: 'missing', destination: '/x', options: ['nocreate']}], id), {instanceOf: NoSuchVolumeError})
  t.is(nocreate!.message, 'volume missing does not exist and nocreate option is set: no such volume')
  const unknown = t.throws(() => mountNamedVolumes(volumes, [{name: 'v1', destination: '/x', options: []}], 'f'.repeat(64)))
  t.is(unknown!.message, `container ${'f'.repeat(64)} is not in the store: record it before mounting its volumes`)
  const bad = t.throws(() =>
    mountNamedVolumes(
      volumes,
      [
        {name: 'v2', destination: '/x', options: []},
        {name: '', destination: '/y', options: []},
        {name: 'v3', destination: '/z', options: ['ro', 'rw']},
      ],
      id,
    ),
  )
  t.is(bad!.message, "only one of 'rw' and 'ro' can be used: duplicate mount option passed")
  t.deepEqual(volumes.list(), [])
  t.deepEqual(fs.readdirSync(path.join(root, 'volumes')), [])
  t.deepEqual(volumes.anonymousVolumesOf(id), [])
})

test('releaseContainer: uses are forgotten; rm -v removes anonymous volumes no other container uses', async (t) => {
  const {store, volumes} = await openTemp(t)
  const [a, b] = [newContainer(store), newContainer(store)]
  const attachedA = attachNamedVolumes(volumes, [{name: 'named', destination: '/n', options: []}, {destination: '/anon', options: []}], a)
  const anon = attachedA[1].volume.name
  // b shares a's anonymous volume (as --volumes-from would)
  mountNamedVolumes(volumes, [{name: anon, destination: '/shared', options: []}], b)
  t.deepEqual(await volumes.releaseContainer(a, true), [])
  t.true(volumes.exists(anon))
  t.deepEqual(volumes.users(anon), [b])
  t.true(volumes.isDangling('named'))
  t.deepEqual(await volumes.releaseContainer(b, true), [anon])
  t.false(volumes.exists(anon))
  t.true(volumes.exists('named'))

  // without removeAnonymous the volume stays, dangling; the link survives the container's row
  const c = newContainer(store)
  const own = attachNamedVolumes(volumes, [{destination: '/x', options: []}], c)[0].volume.name
  store.containers.delete(c)
  t.true(volumes.isDangling(own))
  t.deepEqual(volumes.anonymousVolumesOf(c), [own])
  t.deepEqual(await volumes.releaseContainer(c, false), [])
  t.true(volumes.exists(own))
  t.deepEqual(await volumes.releaseContainer(c, true), [own])
  t.false(volumes.exists(own))
})

test('filters: name, label, label!, opt, driver, scope, dangling, anonymous, since, until; bad filters in Podman words', async (t) => {
  const {store, volumes} = await openTemp(t)
  await volumes.create({name: 'alpha', labels: {app: 'web', 'com.example/tier': 'front'}})
  await volumes.create({name: 'beta', labels: {app: 'db'}, options: {nocopy: ''}})
  const anon = (await volumes.create()).name
  mountNamedVolumes(volumes, [{name: 'beta', destination: '/b', options: []}], newContainer(store))
  const setCreated = store.database.prepare('UPDATE volumes SET created = ? WHERE name = ?')
  setCreated.run('2026-01-01T00:00:00.000Z', 'alpha')
  setCreated.run('2026-01-01T00:00:01.000Z', 'beta')
  setCreated.run('2026-01-01T00:00:02.000Z', anon)
  const names = (...specs: string[]) => filterVolumes(volumes, parseVolumeFilters(specs)).map((v) => v.name)
  t.deepEqual(names('name=^al'), ['alpha'])
  t.deepEqual(names('name=^alp', 'name=^bet', 'name=zzz'), ['alpha', 'beta'])
  t.deepEqual(names('label=app'), ['alpha', 'beta'])
  t.deepEqual(names('label=app=db'), ['beta'])
  t.deepEqual(names('label=app', 'label=com.example/tier=front'), ['alpha'])
  t.deepEqual(names('label=*example*'), ['alpha'])
  t.deepEqual(names('label!=app=db'), [anon, 'alpha'].sort())
  t.deepEqual(names('opt=nocopy'), ['beta'])
  t.deepEqual(names('driver=local', 'scope=local').length, 3)
  t.deepEqual(names('driver=other'), [])
  t.deepEqual(names('dangling=true'), [anon, 'alpha'].sort())
  t.deepEqual(names('dangling=0'), ['beta'])
  t.deepEqual(names('anonymous=true'), [anon])
  t.deepEqual(names('since=alpha').sort(), [anon, 'beta'].sort())
  t.deepEqual(names('since=beta'), [anon])
  t.deepEqual(names('until=2026-01-01T00:00:01Z'), ['alpha'])
  t.is(names('until=1h').length, 3)
  t.is(t.throws(() => names('dangling=maybe'))!.message, '"maybe" is not a valid value for the "dangling" filter - must be true or false')
  t.is(t.throws(() => names('colour=red'))!.message, '"colour" is an invalid volume filter')
  t.is(t.throws(() => parseVolumeFilters(['name']))!.message, 'filter input must be in the form of filter=value: name is invalid')
  t.is(t.throws(() => names('since=nope'))!.message, 'no volume with name "nope" found: no such volume')
  const now = Date.parse('2026-01-02T03:04:05Z')
  t.is(parseUntil(['10m'], now), now - 600_000)
  t.is(parseUntil(['1h30m'], now), now - 5_400_000)
  t.is(parseUntil(['1700000000'], now), 1_700_000_000_000)
  t.is(parseUntil(['2025-01-01T00:00:00Z'], now), Date.parse('2025-01-01T00:00:00Z'))
  t.is(t.throws(() => parseUntil(['soon']))!.message, 'failed to parse value as time or duration: "soon"')
  t.is(t.throws(() => parseUntil(['1h', '2h']))!.message, 'specify exactly one timestamp for until')
})

test('prune: unused anonymous volumes by default, every unused one with all, narrowed by filters', async (t) => {
  const {store, volumes} = await openTemp(t)
  await volumes.create({name: 'keep-me', labels: {keep: 'yes'}})
  await volumes.create({name: 'named'})
  const anonFree = (await volumes.create()).name
  const id = newContainer(store)
  const anonUsed = attachNamedVolumes(volumes, [{destination: '/x', options: []}], id)[0].volume.name
  const choice = (all: boolean, ...specs: string[]) => splitAllFilter(parseVolumeFilters(specs), all)
  t.deepEqual(pruneCandidates(volumes, choice(false)).map((v) => v.name), [anonFree])
  t.deepEqual(pruneCandidates(volumes, choice(true, 'label!=keep')).map((v) => v.name), [anonFree, 'named'].sort())
  t.deepEqual(pruneCandidates(volumes, choice(false, 'all=true', 'label=keep')).map((v) => v.name), ['keep-me'])
  t.deepEqual(pruneCandidates(volumes, choice(false, 'anonymous=false')).map((v) => v.name), ['keep-me', 'named'])
  t.is(t.throws(() => choice(true, 'all=true'))!.message, '--all and --filter all cannot be used together')
  t.is(t.throws(() => pruneCandidates(volumes, choice(false, 'dangling=true')))!.message, '"dangling" is an invalid volume filter')
  const report = await pruneVolumes(volumes, choice(true))
  t.deepEqual(report, {removed: [anonFree, 'keep-me', 'named'].sort(), errors: []})
  t.deepEqual(volumes.list().map((v) => v.name), [anonUsed])
})

test.serial('goJsonTime: Go RFC 3339 with trimmed fraction, in the local zone', (t) => {
  const tz = process.env.TZ
  t.teardown(() => {
    if (tz === undefined) delete process.env.TZ
    else process.env.TZ = tz
  })
  process.env.TZ = 'UTC'
  t.is(goJsonTime(new Date('2026-11-23T11:16:27.350Z')), '2026-11-23T11:16:27.35Z')
  t.is(goJsonTime(new Date('2026-11-23T11:16:27.000Z')), '2026-11-23T11:16:27Z')
  process.env.TZ = 'Asia/Kolkata'
  t.is(goJsonTime(new Date('2026-11-23T11:16:27.123Z')), '2026-11-23T16:46:27.123+05:30')
  process.env.TZ = 'America/New_York'
  t.is(goJsonTime(new Date('2026-01-05T01:00:00.000Z')), '2026-01-04T20:00:00-05:00')
})

test('the volumes migration is recorded once and reopening is harmless', async (t) => {
  const {store, volumes} = await openTemp(t)
  await volumes.create({name: 'persist'})
  const again = VolumeStore.open(store)
  t.true(again.exists('persist'))
  t.is((store.database.prepare("SELECT version FROM schema_versions WHERE owner = 'volumes'").get() as {version: number}).version, 1)
})
