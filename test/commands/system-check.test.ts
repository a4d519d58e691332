// `tspod system check` and the DB rebuilt from the store's record files, as the rootless user:
// a store with images, containers and a volume, its DB then damaged for real (cut short,
// deleted) or an orphan dir added; the check names the damage, `--repair` with the registry
// stopped brings everything back, and the image runs.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, registrySandbox} from '../helpers/image-sandbox'
import {busyboxImage, multiLayerImage} from '../helpers/oci-image'
import {Registry, startRegistry} from '../helpers/registry'
import {Sandbox, removeTree, runAs, tspod} from '../helpers/rootless'

interface Populated {
  registry: Registry
  box: Sandbox
  graph: string
  db: string
  image: string
  busyboxId: string
  multiId: string
}

/**
 * A registry with two images, and a store that pulled both, tagged one, and has a volume with a
 * file in it, a created container and an exited one that use it.
 */
async function populated(t: ExecutionContext): Promise<Populated> {
  const registry = await startRegistry()
  t.teardown(() => registry.stop())
  const busybox = await busyboxImage()
  await registry.push('checkbox', 'latest', busybox)
  const multi = await multiLayerImage()
  await registry.push('checkmulti', '1', multi)
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  const image = `${registry.host}/checkbox:latest`
  for (const args of [
    ['pull', '-q', image],
    ['pull', '-q', `${registry.host}/checkmulti:1`],
    ['tag', image, 'localhost/kept:1'],
    ['volume', 'create', 'data'],
    ['create', '--name', 'keeper', '-v', 'data:/data', image, 'true'],
    ['run', '--name', 'ran', '-v', 'data:/data', image, 'sh', '-c', 'echo kept > /data/f'],
  ]) {
    const r = await tspod(box, args)
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
  const graph = graphRoot(box)
  return {registry, box, graph, db: path.join(graph, 'tspod.db'), image, busyboxId: busybox.configDigest.slice(7), multiId: multi.configDigest.slice(7)}
}

function cutInHalf(file: string): void {
  fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))
}

/** What the store shows: image names, containers with their status word, volumes. */
async function contents(t: ExecutionContext, s: Populated): Promise<{images: string[]; containers: string[]; volumes: string[]}> {
  const images = await tspod(s.box, ['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])
  t.is(images.code, 0, images.stderr)
  const ps = await tspod(s.box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}'])
  t.is(ps.code, 0, ps.stderr)
  const volumes = await tspod(s.box, ['volume', 'ls', '--format', '{{.Name}}'])
  t.is(volumes.code, 0, volumes.stderr)
  const lines = (text: string) => text.split('\n').filter(Boolean).sort()
  return {images: lines(images.stdout), containers: lines(ps.stdout).map((l) => l.replace(/ (\w+).*/, ' $1')), volumes: lines(volumes.stdout)}
}

/** After repair, with the registry stopped: everything is back and the image runs with the volume. */
async function assertRestored(t: ExecutionContext, s: Populated, before: Awaited<ReturnType<typeof contents>>): Promise<void> {
  t.deepEqual(await contents(t, s), before)
  const run = await tspod(s.box, ['run', '--rm', '-v', 'data:/data', s.image, 'cat', '/data/f'])
  t.is(run.code, 0, run.stderr)
  t.is(run.stdout, 'kept\n')
  const multi = await tspod(s.box, ['run', '--rm', `${s.registry.host}/checkmulti:1`, 'true'])
  t.is(multi.code, 0, multi.stderr)
  const start = await tspod(s.box, ['start', '-a', 'keeper'])
  t.is(start.code, 0, start.stderr)
  const clean = await tspod(s.box, ['system', 'check'])
  t.is(clean.code, 0, clean.stdout + clean.stderr)
  t.is(clean.stdout, '')
}

test('a DB cut to half: images, ps and doctor explain it in one line; check names it; --repair with the registry stopped restores everything', async (t) => {
  const s = await populated(t)
  const before = await contents(t, s)
  t.deepEqual(before.images, [`${s.registry.host}/checkbox:latest ${s.busyboxId.slice(0, 12)}`, `${s.registry.host}/checkmulti:1 ${s.multiId.slice(0, 12)}`, `localhost/kept:1 ${s.busyboxId.slice(0, 12)}`])
  t.deepEqual(before.containers, ['keeper Created', 'ran Exited'])
  cutInHalf(s.db)

  const damaged = `the store database ${s.db} is damaged (database disk image is malformed): run \`tspod system check --repair\` to rebuild it from the store's files`
  const images = await tspod(s.box, ['images'])
  t.is(images.code, 125)
  t.is(images.stderr, `Error: cannot list images: ${damaged}\n`)
  const ps = await tspod(s.box, ['ps', '-a'])
  t.is(ps.code, 125)
  t.is(ps.stderr, `Error: cannot list containers: ${damaged}\n`)
  const run = await tspod(s.box, ['run', '--rm', s.image, 'true'])
  t.is(run.code, 125)
  t.is(run.stderr, `Error: ${damaged}\n`)
  const doctor = await tspod(s.box, ['doctor', '--check', 'database'])
  t.is(doctor.code, 2, doctor.stdout + doctor.stderr)
  t.regex(doctor.stdout, new RegExp(`^FAIL store database: ${s.db} is damaged: .*malformed.*; fix: run \`tspod system check --repair\``, 'm'))

  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 1, check.stderr)
  t.is(check.stdout, `database: ${s.db} is damaged: database disk image is malformed\n`)
  t.deepEqual(fs.readdirSync(s.graph).filter((f) => f.startsWith('tspod.db')), ['tspod.db'], 'a check without --repair changes nothing')

  await s.registry.stop()
  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  const kept = fs.readdirSync(s.graph).filter((f) => f.startsWith('tspod.db.damaged-'))
  t.is(kept.length, 1)
  t.is(
    repair.stdout,
    `database: ${s.db} is damaged: database disk image is malformed (repaired)\n` +
      `database: ${s.db} rebuilt from the store's files: 2 image(s), 3 layer(s), 2 container(s) restored; the old one is kept as ${path.join(s.graph, kept[0])} (repaired)\n`,
  )
  await assertRestored(t, s, before)
})

test('a DB that opens but fails integrity_check (an index that no longer matches its table): check names it; --repair rebuilds', async (t) => {
  const s = await populated(t)
  const before = await contents(t, s)
  const Sqlite = require('better-sqlite3')
  const db = new Sqlite(s.db)
  db.unsafeMode(true)
  db.pragma('writable_schema = ON')
  db.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX layers_diff ON layers(parent)' WHERE name = 'layers_diff'").run()
  db.close()
  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 1, check.stderr)
  t.regex(check.stdout, new RegExp(`^database: ${s.db} is damaged: .*missing from index layers_diff.*\n$`))
  await s.registry.stop()
  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  t.regex(repair.stdout, /rebuilt from the store's files: 2 image\(s\), 3 layer\(s\), 2 container\(s\) restored/)
  await assertRestored(t, s, before)
})

test('a deleted DB: check names every dir without a row; --repair with the registry stopped restores everything', async (t) => {
  const s = await populated(t)
  const before = await contents(t, s)
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(s.db + suffix, {force: true})

  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 1, check.stderr)
  const lines = check.stdout.split('\n').filter(Boolean)
  t.true(lines.includes(`database: image ${s.busyboxId.slice(0, 12)} ${s.graph}/images/${s.busyboxId} has no row in the database`), check.stdout)
  t.true(lines.includes(`database: volume data ${s.graph}/volumes/data has no row in the database`), check.stdout)
  t.is(lines.filter((l) => / layer [0-9a-f]{12} .* has no row in the database$/.test(l)).length, 3, check.stdout)
  t.is(lines.filter((l) => / container [0-9a-f]{12} .* has no row in the database$/.test(l)).length, 2, check.stdout)
  t.is(lines.length, 8, check.stdout)

  await s.registry.stop()
  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  t.regex(repair.stdout, /rebuilt from the store's files: 2 image\(s\), 3 layer\(s\), 2 container\(s\) restored; the old one is kept as .*tspod\.db\.damaged-.* \(repaired\)\n$/)
  await assertRestored(t, s, before)
})

test('an orphan layer dir (no row, no record): check names it; --repair removes it and keeps the DB', async (t) => {
  const s = await populated(t)
  const before = await contents(t, s)
  const orphan = path.join(s.graph, 'overlay', 'ab'.repeat(32))
  const made = await runAs(s.box.user, ['sh', '-c', `mkdir -p ${orphan}/diff/etc && echo x > ${orphan}/diff/etc/stray`])
  t.is(made.code, 0, made.stderr)

  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 1, check.stderr)
  t.is(check.stdout, `orphan: layer ${'ab'.repeat(6)} ${orphan} has neither a row nor a record file\n`)

  await s.registry.stop()
  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  t.is(repair.stdout, `orphan: layer ${'ab'.repeat(6)} ${orphan} has neither a row nor a record file (repaired)\n`)
  t.false(fs.existsSync(orphan))
  t.deepEqual(fs.readdirSync(s.graph).filter((f) => f.startsWith('tspod.db.damaged')), [], 'the DB was not rebuilt')
  await assertRestored(t, s, before)
})

test('a store written before record files: the next commands write them, so its DB can be rebuilt', async (t) => {
  const s = await populated(t)
  const before = await contents(t, s)
  const removed = await runAs(s.box.user, [
    'sh',
    '-c',
    `cd ${s.graph} && rm -r images records-*.done overlay/*/layer.json containers/*/container.json containers/*/runtime-*.json volumes/*/volume.json`,
  ])
  t.is(removed.code, 0, removed.stderr)
  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 0, check.stdout + check.stderr)
  t.deepEqual(await contents(t, s), before)
  t.deepEqual(fs.readdirSync(s.graph).filter((f) => f.startsWith('records-')).sort(), ['records-runtime.done', 'records-storage.done', 'records-volumes.done'])

  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(s.db + suffix, {force: true})
  await s.registry.stop()
  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  await assertRestored(t, s, before)
})

test('record files follow the DB: rmi, untag, rm and volume rm remove theirs; a rename rewrites the container record', async (t) => {
  const s = await populated(t)
  const rename = await tspod(s.box, ['rename', 'keeper', 'renamed'])
  t.is(rename.code, 0, rename.stderr)
  const ids = (await tspod(s.box, ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}'])).stdout.trim().split('\n').map((l) => l.split(' '))
  const renamed = ids.find(([, name]) => name === 'renamed')![0]
  const record = JSON.parse(fs.readFileSync(path.join(s.graph, 'containers', renamed, 'container.json'), 'utf8'))
  t.is(record.name, 'renamed')
  t.is(JSON.parse(fs.readFileSync(path.join(s.graph, 'containers', renamed, 'runtime-config.json'), 'utf8')).config.name, 'renamed')

  t.is((await tspod(s.box, ['untag', 'localhost/kept:1', 'localhost/kept:1'])).code, 0)
  const image = JSON.parse(fs.readFileSync(path.join(s.graph, 'images', s.busyboxId, 'image.json'), 'utf8'))
  t.deepEqual(image.names.map((n: {name: string}) => n.name), [s.image])

  t.is((await tspod(s.box, ['rm', '-a'])).code, 0)
  t.deepEqual(fs.readdirSync(path.join(s.graph, 'containers')), [])
  t.is((await tspod(s.box, ['volume', 'rm', 'data'])).code, 0)
  t.is((await tspod(s.box, ['rmi', `${s.registry.host}/checkmulti:1`])).code, 0)
  t.deepEqual(fs.readdirSync(path.join(s.graph, 'images')), [s.busyboxId])
  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 0, check.stdout + check.stderr)
})

test('what cannot be restored is named with the reason: images whose layer dir is gone go, unless containers use them: then --force removes both', async (t) => {
  const s = await populated(t)
  const layer = JSON.parse(fs.readFileSync(path.join(s.graph, 'images', s.busyboxId, 'image.json'), 'utf8')).layers[0] as string
  fs.rmSync(path.join(s.graph, 'overlay', layer), {recursive: true})
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(s.db + suffix, {force: true})
  await s.registry.stop()

  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 1, repair.stdout + repair.stderr)
  const problem = `its layer ${layer.slice(0, 12)} is missing`
  t.regex(repair.stdout, new RegExp(`^rebuild: image ${s.busyboxId.slice(0, 12)} not restored: ${problem}; kept for container [0-9a-f]{12} \\(\`--force\` removes both\\) \\(not repaired: ${problem}\\)$`, 'm'))
  const kept = repair.stdout.split('\n').filter((l) => / container [0-9a-f]{12} not restored: its image .* was not restored; its files are kept/.test(l))
  t.is(kept.length, 2, repair.stdout)
  // the multi-layer image is built on the same bottom layer, and no container uses it
  t.regex(repair.stdout, new RegExp(`^rebuild: image ${s.multiId.slice(0, 12)} not restored: ${problem}; removed \\(pull it again\\) \\(repaired\\)$`, 'm'))
  t.is((await tspod(s.box, ['images', '-q'])).stdout, '')

  const forced = await tspod(s.box, ['system', 'check', '--repair', '--force'])
  t.is(forced.code, 0, forced.stdout + forced.stderr)
  t.regex(forced.stdout, new RegExp(`^rebuild: image ${s.busyboxId.slice(0, 12)} not restored: ${problem}; removed \\(pull it again\\) \\(repaired\\)$`, 'm'))
  t.is((await tspod(s.box, ['ps', '-a', '-q'])).stdout, '')
  t.deepEqual(fs.readdirSync(path.join(s.graph, 'containers')), [])
  t.is((await tspod(s.box, ['volume', 'ls', '-q'])).stdout, 'data\n')
  t.is(fs.readFileSync(path.join(s.graph, 'volumes', 'data', '_data', 'f'), 'utf8'), 'kept\n')
  const clean = await tspod(s.box, ['system', 'check'])
  t.is(clean.code, 0, clean.stdout + clean.stderr)
})

test('--max: layers no image uses and older than the duration are named, and --repair removes them', async (t) => {
  const s = await populated(t)
  // an image gone with its record, as a cancelled pull leaves its layers: unreferenced
  const layers = JSON.parse(fs.readFileSync(path.join(s.graph, 'images', s.multiId, 'image.json'), 'utf8')).layers as string[]
  const Sqlite = require('better-sqlite3')
  const db = new Sqlite(s.db)
  db.prepare('DELETE FROM images WHERE id = ?').run(s.multiId)
  db.close()
  fs.rmSync(path.join(s.graph, 'images', s.multiId), {recursive: true})
  const unused = layers.slice(1)
  t.true(unused.length > 0)

  const young = await tspod(s.box, ['system', 'check'])
  t.is(young.code, 0, young.stdout + young.stderr)
  const bad = await tspod(s.box, ['system', 'check', '--max', 'soon'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: invalid argument "soon" for "-m, --max" flag: a duration such as 1h or 30m is needed\n')
  const old = await tspod(s.box, ['system', 'check', '--max', '0s'])
  t.is(old.code, 1, old.stderr)
  t.deepEqual(old.stdout.split('\n').filter(Boolean).sort(), unused.map((id) => `layer: layer ${id.slice(0, 12)} is used by no image and older than --max`).sort())
  const repair = await tspod(s.box, ['system', 'check', '--repair', '--max', '0s'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  for (const id of unused) t.false(fs.existsSync(path.join(s.graph, 'overlay', id)))
  t.true(fs.existsSync(path.join(s.graph, 'overlay', layers[0])), 'the layer busybox shares is kept')
  t.is((await tspod(s.box, ['system', 'check', '--max', '0s'])).code, 0)
})

test('a layer file deleted and another changed at the same size: check names both; --repair with the registry stopped rebuilds the layers from their kept blobs', async (t) => {
  const s = await populated(t)
  const before = await contents(t, s)
  const diffs = fs.readdirSync(path.join(s.graph, 'overlay')).map((id) => path.join(s.graph, 'overlay', id, 'diff'))
  const busybox = diffs.map((d) => path.join(d, 'bin', 'busybox')).find((f) => fs.existsSync(f))!
  const keep = diffs.map((d) => path.join(d, 'data', 'keep.txt')).find((f) => fs.existsSync(f))!
  fs.rmSync(busybox)
  fs.writeFileSync(keep, 'KEEP\n') // same size, other bytes
  const broken = await tspod(s.box, ['run', '--rm', s.image, 'true'])
  t.not(broken.code, 0, 'the damage is real')

  const quick = await tspod(s.box, ['system', 'check', '--quick'])
  t.is(quick.code, 1, quick.stderr)
  t.regex(quick.stdout, /bin\/busybox: missing/)
  const check = await tspod(s.box, ['system', 'check'])
  t.is(check.code, 1, check.stderr)
  t.regex(check.stdout, /bin\/busybox: missing/)
  t.regex(check.stdout, /data\/keep\.txt: content differs/)

  await s.registry.stop()
  const repair = await tspod(s.box, ['system', 'check', '--repair'])
  t.is(repair.code, 0, repair.stdout + repair.stderr)
  t.regex(repair.stdout, /rebuilt from its blob \(repaired\)/)
  t.is(fs.readFileSync(keep, 'utf8'), 'keep\n')
  await assertRestored(t, s, before)
})
