// @userns
// unpackLayers and removeAsMappedRoot without a user namespace (real root, in this process), and
// the worker's protocol when its job is malformed.
import test from 'ava'
import {spawnSync} from 'node:child_process'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as zlib from 'node:zlib'

import {unpackLayers} from '../../../../src/storage/store/archive/unpack'
import {UNPACK_WORKER} from '../../../../src/storage/store/archive/unpack-process'
import {removeAsMappedRoot} from '../../../../src/storage/store/remove-tree'
import {buildTar, sha256} from './layer-tar'

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-unpack-root-'))
}

test('without a mapping, layers unpack in this process and DiffIDs are checked', async (t) => {
  const dir = tempDir()
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const tars = [
    buildTar([{name: 'a', data: 'one', uid: 1234}]),
    buildTar([
      {name: 'b', data: 'two'},
      {name: '.wh.a', data: ''},
    ]),
  ]
  const jobs = tars.map((tar, i) => {
    const blob = path.join(dir, `${i}.gz`)
    fs.writeFileSync(blob, zlib.gzipSync(tar))
    const dest = path.join(dir, `l${i}`)
    fs.mkdirSync(dest)
    return {blob, dest, expectedDiffID: sha256(tar)}
  })
  const results = await unpackLayers(jobs, {mapping: undefined, ignoreChownErrors: false})
  t.deepEqual(results, [
    {diffID: sha256(tars[0]), size: 3, entries: 1},
    {diffID: sha256(tars[1]), size: 3, entries: 2},
  ])
  t.is(fs.lstatSync(path.join(dir, 'l0/a')).uid, 1234)
  t.true(fs.lstatSync(path.join(dir, 'l1/a')).isCharacterDevice())
  await t.throwsAsync(
    unpackLayers([{...jobs[0], expectedDiffID: sha256(tars[1]), digest: 'sha256:d', index: 1}], {
      mapping: undefined,
      ignoreChownErrors: false,
    }),
    {
      message: `layer 1 (blob sha256:d) does not match config's DiffID "${sha256(tars[1])}"`,
    },
  )
  await removeAsMappedRoot([jobs[0].dest, jobs[1].dest], undefined)
  t.false(fs.existsSync(jobs[0].dest))
  t.false(fs.existsSync(jobs[1].dest))
})

test.serial('a plain blob of several read chunks unpacks whole; a missing blob fails its layer; a refused dest leaves no fd open', async (t) => {
  const dir = tempDir()
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const big = crypto.randomBytes(2.5 * (1 << 20))
  const tar = buildTar([{name: 'big', data: big}, {name: 'after', data: 'end'}])
  const blob = path.join(dir, 'plain.tar')
  fs.writeFileSync(blob, tar)
  fs.mkdirSync(path.join(dir, 'dest'))
  const [result] = await unpackLayers([{blob, dest: path.join(dir, 'dest'), expectedDiffID: sha256(tar)}], {mapping: undefined, ignoreChownErrors: false})
  t.is(result.diffID, sha256(tar))
  t.is(fs.readFileSync(path.join(dir, 'dest/big')).compare(big), 0)
  t.is(fs.readFileSync(path.join(dir, 'dest/after'), 'utf8'), 'end')
  fs.mkdirSync(path.join(dir, 'dest2'))
  await t.throwsAsync(unpackLayers([{blob: path.join(dir, 'missing.tar'), dest: path.join(dir, 'dest2'), index: 3}], {mapping: undefined, ignoreChownErrors: false}), {message: /^layer 3 .*ENOENT/})
  const fds = fs.readdirSync('/proc/self/fd').length
  await t.throwsAsync(unpackLayers([{blob, dest: path.join(dir, 'plain.tar')}], {mapping: undefined, ignoreChownErrors: false}), {message: /is not a directory/})
  t.is(fs.readdirSync('/proc/self/fd').length, fds, 'the blob was never opened')
})

test('the worker answers each job on its own line, a malformed one with its error, and exits 1 after a failure', (t) => {
  const r = spawnSync(process.execPath, [UNPACK_WORKER], {input: '{"id": 0, "job": {"layers": 5}}\n', encoding: 'utf8'})
  t.is(r.status, 1)
  t.deepEqual(JSON.parse(r.stdout), {id: 0, ok: false, error: 'invalid unpack job: "layers" must be an array'})
  const dir = tempDir()
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const tar = buildTar([{name: 'a', data: 'one'}])
  fs.writeFileSync(path.join(dir, 'good.gz'), zlib.gzipSync(tar))
  fs.mkdirSync(path.join(dir, 'dest'))
  const jobs = [
    {id: 7, job: {layers: [{blob: '/nonexistent/blob', dest: dir}], ignoreChownErrors: false}},
    {id: 8, job: {layers: [{blob: path.join(dir, 'good.gz'), dest: path.join(dir, 'dest')}], ignoreChownErrors: false}},
  ]
  const both = spawnSync(process.execPath, [UNPACK_WORKER], {input: jobs.map((j) => JSON.stringify(j)).join('\n'), encoding: 'utf8'})
  t.is(both.status, 1)
  const lines = both.stdout.trim().split('\n').map((l) => JSON.parse(l))
  t.regex(lines.find((l) => l.id === 7).error, /^layer 0 \(blob \/nonexistent\/blob\): .*ENOENT/)
  t.deepEqual(lines.find((l) => l.id === 8), {id: 8, ok: true, layers: [{diffID: sha256(tar), size: 3, entries: 1}]})
  t.is(fs.readFileSync(path.join(dir, 'dest/a'), 'utf8'), 'one')
})
