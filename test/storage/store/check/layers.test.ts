// @userns
// The store checks of `system check` (src/storage/store/check/), as the rootless user on a real store:
// real damage done to pulled layers, found and named, then repaired from the kept blobs with the
// registry stopped, and the image runs again.
import {execFileSync} from 'node:child_process'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import test from 'ava'

import type {Finding} from '../../../../src/storage/store/check/finding'
import type {StoreCheckRequest} from '../../../helpers/store-check'
import {copyStore, graphRoot, registrySandbox} from '../../../helpers/image-sandbox'
import {HOSTILE_KINDS, busyboxImage, buildImage, busyboxLayer, multiLayerImage, oddEntriesImage, writeOciArchive} from '../../../helpers/oci-image'
import {Registry, startRegistry} from '../../../helpers/registry'
import {REPO, Sandbox, TEST_USER, lookupUser, removeTree, runAs, sandbox, tspod} from '../../../helpers/rootless'

const STORE_CHECK = path.join(REPO, 'dist', 'test', 'helpers', 'store-check.js')

interface CheckRun {
  findings: Finding[]
  ms: number
}

async function check(box: Sandbox, request: StoreCheckRequest = {}): Promise<CheckRun> {
  const r = await runAs(box.user, [process.execPath, STORE_CHECK, JSON.stringify(request)], {env: box.env, timeoutMs: 120_000})
  if (r.code !== 0) throw new Error(`store check failed (${r.code}): ${r.stderr}`)
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Finding & {done?: boolean; ms?: number})
  const done = lines.pop()!
  return {findings: lines, ms: done.ms!}
}

const messages = (run: CheckRun): string[] => run.findings.map((f) => f.message + (f.error ? ` [error: ${f.error}]` : ''))

/** The diff dirs of an image's layers, bottom to top, from `image inspect`. */
async function diffDirs(box: Sandbox, image: string): Promise<string[]> {
  const r = await tspod(box, ['image', 'inspect', '--format', '{{json .GraphDriver.Data}}', image])
  if (r.code !== 0) throw new Error(r.stderr)
  const data = JSON.parse(r.stdout) as {UpperDir: string; LowerDir?: string}
  return [...(data.LowerDir ? data.LowerDir.split(':').reverse() : []), data.UpperDir]
}

const short = (diffDir: string): string => path.basename(path.dirname(diffDir)).slice(0, 12)

let registry: Registry | undefined
/** Sandboxes with the images pulled before the registry was stopped, one per test. */
const boxes = new Map<string, Sandbox>()
const IMAGES = ['check/busybox', 'check/multi', 'check/odd']

/** Entries that are valid but unusual: a check must find nothing wrong in them. */
async function oddImage() {
  return buildImage({
    layers: [
      await busyboxLayer(),
      [
        {path: 'deep/nested/file.txt', content: 'no parent entries\n'},
        {path: 'links/', type: 'dir'},
        {path: 'links/target', content: 'hard\n', mode: 0o640, uid: 1234, gid: 1234},
        {path: 'links/hard', type: 'link', linkname: 'links/target', mode: 0o600, uid: 1234, gid: 1234},
        {path: 'links/fifo', type: 'fifo', mode: 0o620},
        {path: 'links/dev', type: 'char', devmajor: 1, devminor: 3},
        {path: 'links/dup', content: 'first version, longer\n'},
        {path: 'links/dup', content: 'second\n', mode: 0o600},
        {path: 'links/was-dir/', type: 'dir'},
        {path: 'links/was-dir/inner', content: 'x'},
        {path: 'links/was-dir', content: 'now a file\n'},
        {path: 'empty', content: ''},
        {path: 'etc/', type: 'dir'},
        {path: 'etc/.wh.group'},
      ],
    ],
  })
}

const SCENARIOS = ['clean', 'file-deleted', 'file-modified', 'dir-deleted', 'staging', 'blob-deleted', 'blob-corrupt', 'max', 'running', 'run-root', 'mounts']

test.before(async () => {
  registry = await startRegistry()
  await registry.push('check/busybox', 'latest', await busyboxImage())
  await registry.push('check/multi', 'latest', await multiLayerImage())
  await registry.push('check/odd', 'latest', await oddImage())
  const pulled = registrySandbox(registry.host)
  for (const image of IMAGES) {
    const r = await tspod(pulled, ['pull', '-q', image])
    if (r.code !== 0) throw new Error(`pull ${image}: ${r.stderr}`)
  }
  for (const name of SCENARIOS) {
    const box = registrySandbox(registry.host)
    copyStore(pulled, box)
    boxes.set(name, box)
  }
  removeTree(pulled.dir)
  await registry.stop() // every repair below works with no network
})

test.after.always(async () => {
  await registry?.stop()
  for (const box of boxes.values()) removeTree(box.dir)
})

function sandboxFor(name: string): Sandbox {
  const box = boxes.get(name)
  if (!box) throw new Error(`no sandbox ${name}`)
  return box
}

async function runs(t: {is(a: unknown, b: unknown, m?: string): void}, box: Sandbox, image: string): Promise<void> {
  const r = await tspod(box, ['run', '--rm', '--network', 'none', image, 'true'])
  t.is(r.code, 0, `run ${image}: ${r.stderr}`)
}

test('a freshly pulled store is clean, quick and full, whiteouts, opaque dirs, links and owners included', async (t) => {
  const box = sandboxFor('clean')
  t.deepEqual(messages(await check(box, {quick: true})), [])
  t.deepEqual(messages(await check(box)), [])
})

test('a layer file deleted is named, rebuilt from the blob with the registry stopped, and the image runs', async (t) => {
  const box = sandboxFor('file-deleted')
  const [layer] = await diffDirs(box, 'check/busybox')
  const keepId = ['run', '--rm', '--network', 'none', '--userns=keep-id', 'check/busybox', 'true']
  t.is((await tspod(box, keepId)).code, 0) // makes a chowned copy of the layer under mapped-layers/
  const mapped = path.join(graphRoot(box), 'mapped-layers')
  t.is(fs.readdirSync(mapped).length, 1)
  fs.rmSync(path.join(layer, 'bin', 'busybox'))
  t.not((await tspod(box, ['run', '--rm', '--network', 'none', 'check/busybox', 'true'])).code, 0)

  const found = await check(box, {quick: true})
  t.true(messages(found).some((m) => m.startsWith(`layer ${short(layer)}: bin/busybox: missing`)), messages(found).join('\n'))

  const repaired = await check(box, {repair: true})
  t.true(repaired.findings.some((f) => f.repaired && f.message === `layer ${short(layer)}: rebuilt from its blob`), messages(repaired).join('\n'))
  t.false(repaired.findings.some((f) => f.error !== undefined), messages(repaired).join('\n'))
  t.deepEqual(fs.readdirSync(mapped), [], 'the copy made from the damaged layer is gone')
  await runs(t, box, 'check/busybox')
  await runs(t, box, 'check/multi') // shares the layer
  const again = await tspod(box, keepId)
  t.is(again.code, 0, again.stderr)
  t.deepEqual(messages(await check(box)), [])
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'staging')), [])
})

test('a layer file modified with the same size: the full check finds it, the quick one does not look', async (t) => {
  const box = sandboxFor('file-modified')
  const layers = await diffDirs(box, 'check/multi')
  const file = path.join(layers[1], 'data', 'keep.txt')
  const size = fs.statSync(file).size
  fs.writeFileSync(file, 'KEEP\n')
  t.is(fs.statSync(file).size, size)

  t.deepEqual(messages(await check(box, {quick: true})), [])
  const full = await check(box)
  t.is(full.findings.length, 1, messages(full).join('\n'))
  t.true(full.findings[0].message.startsWith(`layer ${short(layers[1])}: data/keep.txt: content differs; used by ${registryHost()}/check/multi:latest (`), messages(full).join('\n'))

  const repaired = await check(box, {repair: true})
  t.true(repaired.findings.some((f) => f.repaired && f.subject.startsWith(short(layers[1]))), messages(repaired).join('\n'))
  const r = await tspod(box, ['run', '--rm', '--network', 'none', 'check/multi', 'cat', '/data/keep.txt'])
  t.is(r.stdout, 'keep\n', r.stderr)
  t.deepEqual(messages(await check(box)), [])
})

function registryHost(): string {
  return registry!.host
}

test('a layer dir deleted: the image and its container are named; repair removes the image once --force removes the container', async (t) => {
  const box = sandboxFor('dir-deleted')
  const layers = await diffDirs(box, 'check/multi')
  const create = await tspod(box, ['create', '--name', 'on-multi', 'check/multi', 'true'])
  t.is(create.code, 0, create.stderr)
  removeTree(path.dirname(layers[2]))
  const image = `image ${registryHost()}/check/multi:latest (`
  const found = await check(box)
  t.true(messages(found).some((m) => m.startsWith(image) && m.endsWith(`: layer ${short(layers[2])} missing`)), messages(found).join('\n'))
  t.true(
    messages(found).some((m) => m.startsWith('container on-multi (') && m.endsWith(`: layers of its image ${registryHost()}/check/multi:latest (${m.split('(')[2]?.split(')')[0]}) are missing: ${short(layers[2])}`)),
    messages(found).join('\n'),
  )

  const kept = await check(box, {repair: true})
  t.true(kept.findings.some((f) => f.kind === 'image' && f.error !== undefined && f.message.includes('used by container on-multi')), messages(kept).join('\n'))
  t.true(kept.findings.some((f) => f.kind === 'container' && f.error === '--force removes containers whose image is damaged'), messages(kept).join('\n'))

  const repaired = await check(box, {repair: true, force: true})
  t.true(repaired.findings.some((f) => f.repaired && f.kind === 'container' && f.message.startsWith('container on-multi (')), messages(repaired).join('\n'))
  t.true(repaired.findings.some((f) => f.repaired && f.message.startsWith(image) && f.message.includes('removed: layer')), messages(repaired).join('\n'))
  const images = await tspod(box, ['images', '--format', '{{.Repository}}'])
  t.deepEqual(images.stdout.trim().split('\n').sort(), [`${registryHost()}/check/busybox`, `${registryHost()}/check/odd`])
  await runs(t, box, 'check/busybox')
  t.false(fs.existsSync(path.dirname(layers[1])), 'the middle layer, now unused, is gone too')
  t.deepEqual(messages(await check(box)), [])
})

test('a leftover staging dir is named and removed', async (t) => {
  const box = sandboxFor('staging')
  const leftover = path.join(graphRoot(box), 'staging', '999999999-1-0123456789ab')
  fs.mkdirSync(path.join(leftover, 'diff', 'bin'), {recursive: true})
  fs.writeFileSync(path.join(leftover, 'diff', 'bin', 'x'), 'x')
  execAsUserOwned(box, leftover)
  const found = await check(box, {checks: ['leftovers']})
  t.deepEqual(messages(found), ['staging/999999999-1-0123456789ab: left by a tspod process that is gone'])
  const repaired = await check(box, {checks: ['leftovers'], repair: true})
  t.deepEqual(messages(repaired), ['staging/999999999-1-0123456789ab: left by a tspod process that is gone', 'staging/999999999-1-0123456789ab: removed'])
  t.false(fs.existsSync(leftover))
  t.deepEqual(messages(await check(box)), [])
})

test('the run-root dir of a container this store no longer has is named and removed; other stores\' are left alone', async (t) => {
  const box = sandboxFor('run-root')
  const info = await tspod(box, ['info', '--format', '{{.Store.RunRoot}}'])
  const runRoot = info.stdout.trim()
  t.true(path.isAbsolute(runRoot), info.stderr)
  const id = crypto.randomBytes(32).toString('hex')
  const other = crypto.randomBytes(32).toString('hex')
  const bundle = async (which: string, root: string): Promise<string> => {
    const dir = path.join(runRoot, 'containers', which)
    const config = JSON.stringify({root: {path: path.join(root, 'containers', which, 'merged')}})
    const made = await runAs(box.user, ['sh', '-c', 'mkdir -p "$1" && cat > "$1/config.json"', 'sh', dir], {input: config})
    if (made.code !== 0) throw new Error(made.stderr)
    return dir
  }
  const mine = await bundle(id, graphRoot(box))
  const theirs = await bundle(other, '/var/tmp/some-other-store')
  t.teardown(() => fs.rmSync(theirs, {recursive: true, force: true}))
  const found = await check(box, {checks: ['leftovers']})
  t.deepEqual(messages(found), [`${mine}: the run-root dir of a container that no longer exists`])
  const repaired = await check(box, {checks: ['leftovers'], repair: true})
  t.deepEqual(messages(repaired), [`${mine}: the run-root dir of a container that no longer exists`, `${mine}: removed`])
  t.false(fs.existsSync(mine))
  t.true(fs.existsSync(theirs))
})

function execAsUserOwned(box: Sandbox, dir: string): void {
  const chown = (p: string): void => {
    fs.lchownSync(p, box.user.uid, box.user.gid)
    if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chown(path.join(p, e))
  }
  chown(dir)
}

test('a blob deleted with a layer file: cannot be rebuilt; repair keeps an image a container uses, --force removes both', async (t) => {
  const box = sandboxFor('blob-deleted')
  const layers = await diffDirs(box, 'check/odd')
  const top = layers[1]
  fs.rmSync(path.join(top, 'links', 'target'))
  fs.rmSync(path.join(path.dirname(top), 'blob'))
  const create = await tspod(box, ['create', '--name', 'user-of-odd', 'check/odd', 'true'])
  t.is(create.code, 0, create.stderr)

  const found = await check(box)
  t.true(messages(found).some((m) => m.startsWith(`layer ${short(top)}: blob missing: it cannot be checked or rebuilt; used by ${registryHost()}/check/odd:latest`)), messages(found).join('\n'))

  const kept = await check(box, {repair: true})
  t.true(kept.findings.some((f) => f.error !== undefined && f.message.includes('not removed') && f.message.includes('user-of-odd')), messages(kept).join('\n'))
  t.is((await tspod(box, ['image', 'exists', 'check/odd'])).code, 0)

  const forced = await check(box, {repair: true, force: true})
  t.true(forced.findings.some((f) => f.repaired && f.kind === 'container' && f.message.startsWith('container user-of-odd (')), messages(forced).join('\n'))
  t.true(forced.findings.some((f) => f.repaired && f.kind === 'image' && f.message.startsWith(`image ${registryHost()}/check/odd:latest (`)), messages(forced).join('\n'))
  t.is((await tspod(box, ['image', 'exists', 'check/odd'])).code, 1)
  t.is((await tspod(box, ['container', 'exists', 'user-of-odd'])).code, 1)
  await runs(t, box, 'check/multi')
  t.deepEqual(messages(await check(box)), [])
})

test('--max: layers left when the time is up are named as not checked', async (t) => {
  const box = sandboxFor('max')
  const run = await check(box, {checks: ['layers'], maxMs: 0})
  t.deepEqual(run.findings.length, 1, messages(run).join('\n'))
  t.is(run.findings[0].kind, 'not-checked')
  t.regex(run.findings[0].message, /^4 of 4 layers not checked: the limit of 0 ms was reached: [0-9a-f]{12}, [0-9a-f]{12}, [0-9a-f]{12}, [0-9a-f]{12}$/)
})

test('a layer that a running container uses is checked clean, and not rebuilt while the container runs', async (t) => {
  const box = sandboxFor('running')
  const started = await tspod(box, ['run', '-d', '--name', 'busy', '--network', 'none', 'check/multi', 'sleep', '1000'])
  t.is(started.code, 0, started.stderr)
  try {
    t.deepEqual(messages(await check(box)), [])
    const [layer] = await diffDirs(box, 'check/multi')
    fs.rmSync(path.join(layer, 'etc', 'group'))
    const refused = await check(box, {repair: true})
    t.true(
      refused.findings.some((f) => f.message === `layer ${short(layer)}: not rebuilt` && f.error === 'running container busy uses it: stop it and repair again'),
      messages(refused).join('\n'),
    )
  } finally {
    await tspod(box, ['rm', '-f', '-t', '0', 'busy'])
  }
  const repaired = await check(box, {repair: true})
  t.true(repaired.findings.some((f) => f.repaired && f.message.endsWith('rebuilt from its blob')), messages(repaired).join('\n'))
  t.deepEqual(messages(await check(box)), [])
})

test('a corrupt blob (a byte changed): named with its digest, and repair removes the image', async (t) => {
  const box = sandboxFor('blob-corrupt')
  const layers = await diffDirs(box, 'check/multi')
  const blob = path.join(path.dirname(layers[2]), 'blob')
  const bytes = fs.readFileSync(blob)
  bytes[bytes.length - 10] ^= 0xff
  fs.writeFileSync(blob, bytes)
  const found = await check(box, {quick: true})
  t.true(
    messages(found).some((m) => new RegExp(`^layer ${short(layers[2])}: blob corrupt: its digest is sha256:[0-9a-f]{64}, expected sha256:[0-9a-f]{64}: it cannot be rebuilt; used by ${registryHost().replace(/\./g, '\\.')}/check/multi:latest`).test(m)),
    messages(found).join('\n'),
  )
  const repaired = await check(box, {repair: true})
  t.true(repaired.findings.some((f) => f.repaired && f.message.startsWith(`image ${registryHost()}/check/multi:latest (`) && f.message.includes(`its layer ${short(layers[2])} cannot be rebuilt`)), messages(repaired).join('\n'))
  t.is((await tspod(box, ['image', 'exists', 'check/multi'])).code, 1)
  await runs(t, box, 'check/busybox')
  t.deepEqual(messages(await check(box)), [])
})

test('every odd or hostile image that unpacks at all is checked clean', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const loaded: string[] = []
  for (const kind of HOSTILE_KINDS) {
    const archive = path.join(box.dir, `${kind}.tar`)
    await writeOciArchive(archive, [{image: await oddEntriesImage(kind), ref: `localhost/odd-${kind}:latest`}])
    fs.chmodSync(archive, 0o644)
    if ((await tspod(box, ['load', '-q', '-i', archive])).code === 0) loaded.push(kind)
  }
  for (const kind of ['absolute-path', 'symlink-then-file-overwrite', 'device-nodes']) t.true(loaded.includes(kind), `loaded: ${loaded.join(', ')}`)
  t.deepEqual(messages(await check(box, {quick: true})), [], `loaded: ${loaded.join(', ')}`)
  t.deepEqual(messages(await check(box)), [], `loaded: ${loaded.join(', ')}`)
})

test('a mount left below the graph root is named; one only root can undo is left with the command to do it', async (t) => {
  const box = sandboxFor('mounts')
  const point = path.join(graphRoot(box), 'containers', 'left-behind')
  fs.mkdirSync(point)
  execFileSync('mount', ['--bind', '-o', 'ro', path.join(graphRoot(box), 'overlay'), point])
  t.teardown(() => execFileSync('umount', ['-l', point]))
  const found = await check(box, {checks: ['leftovers']})
  t.is(found.findings.length, 1, messages(found).join('\n'))
  t.regex(found.findings[0].message, new RegExp(`^${point}: a \\S+ mount left behind \\(only root can unmount it: umount ${point}\\)$`))
  const repaired = await check(box, {checks: ['leftovers'], repair: true})
  t.deepEqual(messages(repaired), messages(found), 'nothing the user cannot do is attempted')
})
