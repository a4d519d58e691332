// @userns
// Layer copies for a container's own id mapping (--userns=keep-id): the id shift itself, and a
// real copy made by the rootless user's namespace root, compared file by file (as root) with the
// original layers: same tree, same modes, times, whiteouts and opaque markers, owners shifted so
// that the keep-id container sees the owners the default mapping shows.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {native} from '../../../../src/native'
import {keepIdMappings} from '../../../../src/runtime/spec/userns'
import {IdShift, planIdShift, shiftId} from '../../../../src/storage/store/mapped-layers/id-shift'
import {copyLayerShifted} from '../../../../src/storage/store/mapped-layers/shift-copy'
import type {IdMapping} from '../../../../src/userns/idmap'
import {graphRoot, sandboxWithImages} from '../../../helpers/image-sandbox'
import {Sandbox, runAs} from '../../../helpers/rootless'

const DIST_SRC = path.join(__dirname, '..', '..', '..', '..', 'src')

/** The store's rootless maps for a user with uid/gid 1001/1002 and subordinate ids 100000:65536. */
const STORE_UIDS: IdMapping[] = [
  {containerID: 0, hostID: 1001, size: 1},
  {containerID: 1, hostID: 100000, size: 65536},
]
const STORE_GIDS: IdMapping[] = [
  {containerID: 0, hostID: 1002, size: 1},
  {containerID: 1, hostID: 100000, size: 65536},
]

function keepIdShift(options: {size?: number} = {}): {uids: IdShift; gids: IdShift} {
  const k = keepIdMappings({kind: 'keep-id', ...options}, {uidMappings: STORE_UIDS, gidMappings: STORE_GIDS}, {uid: 1001, gid: 1002})
  return {uids: planIdShift(k.uidMappings, STORE_UIDS), gids: planIdShift(k.gidMappings, STORE_GIDS)}
}

test('keep-id shift: ids below the user move up one, the user\'s own id goes to 0, ids above stay', (t) => {
  const {uids, gids} = keepIdShift()
  // a file the default mapping shows as root (namespace id 0) must be owned by keep-id's root: namespace id 1
  t.is(shiftId(uids, 0, 'uid', 'f'), 1)
  t.is(shiftId(uids, 1000, 'uid', 'f'), 1001)
  // container id 1001 is the user itself under keep-id
  t.is(shiftId(uids, 1001, 'uid', 'f'), 0)
  t.is(shiftId(uids, 1234, 'uid', 'f'), 1234)
  t.is(shiftId(uids, 65536, 'uid', 'f'), 65536)
  t.is(shiftId(gids, 0, 'gid', 'f'), 1)
  t.is(shiftId(gids, 1002, 'gid', 'f'), 0)
  t.is(shiftId(gids, 1003, 'gid', 'f'), 1003)
})

test('keep-id with size=: ids the container cannot see get an owner it shows as the overflow id', (t) => {
  const {uids} = keepIdShift({size: 500})
  t.is(shiftId(uids, 0, 'uid', 'f'), 1)
  t.is(shiftId(uids, 498, 'uid', 'f'), 499)
  t.is(shiftId(uids, 1001, 'uid', 'f'), 0)
  // 65534 is not mapped either: the first namespace id nothing maps to, shown as 65534 inside
  t.is(uids.overflow, 500)
  t.is(shiftId(uids, 2000, 'uid', 'f'), 500)
})

test('a mapping onto host ids outside the store\'s namespace is refused by name', (t) => {
  const err = t.throws(() => planIdShift([{containerID: 0, hostID: 500000, size: 10}], STORE_UIDS))
  t.is(err?.message, "container id 0 maps to host id 500000, outside the store's user namespace: cannot give layer files that owner")
  const none: IdShift = {ranges: [], overflow: null}
  t.is(t.throws(() => shiftId(none, 7, 'gid', '/x/f'))?.message, "/x/f: gid 7 has no owner in the container's user namespace")
})

/** Run as the sandbox user: open its store, make the copies for `mode` `count` times at once, print the plan. */
const BUILD_SCRIPT = `
const path = require('path')
const [src, graphRoot, imageName, mode, count] = process.argv.slice(1)
const {loadStorageConfig} = require(src + '/storage/config/storage-conf')
const {Store} = require(src + '/storage/store/store')
const {keepIdMappings} = require(src + '/runtime/spec/userns')
const {ensureMappedLayers} = require(src + '/storage/store/mapped-layers/mapped-layers-build')
const {mappedLayersPlan, containerLowerDirs} = require(src + '/storage/store/mapped-layers/mapped-layers')
async function main() {
  const store = await Store.open(loadStorageConfig({root: graphRoot, runRoot: path.join(graphRoot, '..', 'run')}))
  const image = store.images.list().find((i) => i.names.includes(imageName))
  const m = store.mapping
  const k = mode === 'keep-id' ? keepIdMappings({kind: 'keep-id'}, {uidMappings: m.uidMap, gidMappings: m.gidMap}, {uid: process.getuid(), gid: process.getgid()}) : {uidMappings: m.uidMap, gidMappings: m.gidMap}
  const maps = {uidMappings: k.uidMappings, gidMappings: k.gidMappings}
  await Promise.all(Array.from({length: Number(count)}, () => ensureMappedLayers(store, image, maps)))
  const plan = mappedLayersPlan(store, image, maps)
  process.stdout.write(JSON.stringify({plan: plan ?? null, lower: containerLowerDirs(store, image, maps), original: containerLowerDirs(store, image, undefined), mapping: m}))
  store.close()
}
main().catch((e) => { process.stderr.write(e.message + '\\n'); process.exitCode = 1 })
`

interface BuildReport {
  plan: {dir: string; uids: IdShift; gids: IdShift} | null
  lower: string[]
  original: string[]
  mapping: {uidMap: IdMapping[]; gidMap: IdMapping[]}
}

async function build(box: Sandbox, image: string, mode: 'keep-id' | 'default', count = 1): Promise<BuildReport> {
  const r = await runAs(box.user, [process.execPath, '-e', BUILD_SCRIPT, DIST_SRC, graphRoot(box), image, mode, String(count)])
  if (r.code !== 0) throw new Error(`building the copies failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as BuildReport
}

/** Host id → id of the store's namespace → shifted → host id again. */
function expectedHostId(hostId: number, storeMap: IdMapping[], shift: IdShift): number {
  const toNs = storeMap.find((m) => hostId >= m.hostID && hostId < m.hostID + m.size)!
  const shifted = shiftId(shift, toNs.containerID + (hostId - toNs.hostID), 'uid', '')
  const back = storeMap.find((m) => shifted >= m.containerID && shifted < m.containerID + m.size)!
  return back.hostID + (shifted - back.containerID)
}

function walk(root: string): string[] {
  const out: string[] = []
  const pending = ['']
  while (pending.length > 0) {
    const rel = pending.pop()!
    out.push(rel)
    const full = path.join(root, rel)
    if (fs.lstatSync(full).isDirectory()) for (const name of fs.readdirSync(full)) pending.push(path.join(rel, name))
  }
  return out.sort()
}

function xattr(file: string, name: string): string | null {
  return native().getxattr(file, name)?.toString() ?? null
}

test('a keep-id copy: every layer, same entries, modes, times, whiteouts and opaque dirs, owners shifted; built once', async (t) => {
  const box = await sandboxWithImages(t)
  const root = graphRoot(box)
  // what a build killed half way leaves: a dead process's staging dir, removed when the store opens
  const abandoned = path.join(root, 'staging', '999999999-1-killed', 'layers', '0')
  fs.mkdirSync(abandoned, {recursive: true})
  fs.writeFileSync(path.join(abandoned, 'half'), '')
  for (const d of [path.dirname(path.dirname(abandoned)), path.dirname(abandoned), abandoned, path.join(abandoned, 'half')]) fs.chownSync(d, box.user.uid, box.user.gid)

  const report = await build(box, 'localhost/multi:latest', 'keep-id', 3)
  const plan = report.plan!
  t.truthy(plan)
  t.deepEqual(fs.readdirSync(path.join(root, 'mapped-layers')), [path.basename(plan.dir)], 'three builds at once: one copy')
  t.regex(path.basename(plan.dir), /^[0-9a-f]{64}-[0-9a-f]{16}$/)
  t.deepEqual(fs.readdirSync(path.join(root, 'staging')), [], 'no staging dir left, the abandoned one included')
  t.deepEqual(report.lower, ['2', '1', '0'].map((n) => path.join(plan.dir, n)))

  let whiteouts = 0
  let opaque = 0
  for (const [copy, original] of report.lower.map((dir, i) => [dir, report.original[i]])) {
    t.deepEqual(walk(copy), walk(original), copy)
    for (const rel of walk(original)) {
      const [a, b] = [path.join(original, rel), path.join(copy, rel)]
      const [o, c] = [fs.lstatSync(a), fs.lstatSync(b)]
      const where = `${rel || '.'} in ${copy}`
      t.is(c.mode, o.mode, `mode of ${where}`)
      t.is(c.uid, expectedHostId(o.uid, report.mapping.uidMap, plan.uids), `uid of ${where}`)
      t.is(c.gid, expectedHostId(o.gid, report.mapping.gidMap, plan.gids), `gid of ${where}`)
      if (!o.isDirectory()) t.is(c.size, o.size, `size of ${where}`)
      if (!o.isSymbolicLink()) t.is(c.mtimeMs, o.mtimeMs, `mtime of ${where}`)
      if (o.isSymbolicLink()) t.is(fs.readlinkSync(b), fs.readlinkSync(a))
      if (o.isFile()) t.true(fs.readFileSync(b).equals(fs.readFileSync(a)), `content of ${where}`)
      if (o.isCharacterDevice()) {
        t.is(c.rdev, o.rdev)
        whiteouts++
      }
      if (o.isDirectory() && xattr(a, 'user.overlay.opaque') !== null) {
        t.is(xattr(b, 'user.overlay.opaque'), 'y', `opaque marker of ${where}`)
        opaque++
      }
    }
  }
  t.is(whiteouts, 1, 'data/gone.txt is whited out')
  t.is(opaque, 1, 'opq/ is opaque')

  // the default mapping: no copy, the image's own layer dirs
  const base = path.join(root, 'mapped-layers')
  const plain = await build(box, 'localhost/multi:latest', 'default')
  t.is(plain.plan, null)
  t.deepEqual(plain.lower, plain.original)
  t.true(plain.lower.every((d) => d.startsWith(path.join(root, 'overlay') + '/')))
  t.is(fs.readdirSync(base).length, 1)
})

test('copyLayerShifted (as real root): hardlinks stay one inode shifted once; setuid bits and symlinks kept', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-shift-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const src = path.join(dir, 'src')
  fs.mkdirSync(path.join(src, 'bin'), {recursive: true})
  fs.writeFileSync(path.join(src, 'bin', 'tool'), 'tool\n')
  fs.chownSync(path.join(src, 'bin', 'tool'), 1, 1)
  fs.chmodSync(path.join(src, 'bin', 'tool'), 0o6755) // after the chown, which clears it
  fs.linkSync(path.join(src, 'bin', 'tool'), path.join(src, 'bin', 'alias'))
  fs.symlinkSync('tool', path.join(src, 'bin', 'link'))
  fs.lchownSync(path.join(src, 'bin', 'link'), 1, 1)
  // 0 → 1 → 2: an inode chowned twice would end up owned by 2
  const shift: IdShift = {ranges: [{from: 0, to: 1, size: 1}, {from: 1, to: 2, size: 1}], overflow: 99}
  const dest = path.join(dir, 'dest')
  t.is(copyLayerShifted({src, dest}, shift, shift), 5)
  const tool = fs.lstatSync(path.join(dest, 'bin', 'tool'))
  t.is(tool.ino, fs.lstatSync(path.join(dest, 'bin', 'alias')).ino)
  t.deepEqual([tool.uid, tool.gid, tool.mode & 0o7777, tool.nlink], [2, 2, 0o6755, 2])
  const link = fs.lstatSync(path.join(dest, 'bin', 'link'))
  t.deepEqual([link.isSymbolicLink(), link.uid, fs.readlinkSync(path.join(dest, 'bin', 'link'))], [true, 2, 'tool'])
  t.deepEqual([fs.lstatSync(dest).uid, fs.lstatSync(path.join(dest, 'bin')).uid], [1, 1])
})
