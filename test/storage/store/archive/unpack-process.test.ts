// @userns
// One unpack worker for many layers, as a pull uses it: jobs sent at once run in the same
// process inside the real rootless user's namespace, each answered on its own (a failing one
// does not fail the others), and the worker is gone once closed.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'

import {TEST_USER, lookupUser, removeTree, runAs, userTempDir} from '../../../helpers/rootless'
import {buildTar, sha256} from './layer-tar'

const FIXTURE = path.join(__dirname, '..', '..', '..', 'fixtures', 'unpack-layers.js')

interface Report {
  each?: ({layers: {diffID: string; size: number; entries: number}[]} | {error: string})[]
  unpackedBy?: number[]
  childrenAfterClose?: number[]
  error?: {message: string}
  warnings: string[]
}

test('rootless: layers sent at once unpack in one worker process, each answered on its own', async (t) => {
  const user = lookupUser(TEST_USER)
  const dir = userTempDir(user, 'tspod-unpack-each-')
  t.teardown(() => removeTree(dir))
  const tars = [0, 1, 2].map((i) => buildTar([{name: `dir${i}/`, type: 'dir'}, {name: `dir${i}/file`, data: 'x'.repeat(i + 1), uid: 1000 + i}]))
  const jobs = tars.map((tar, i) => {
    const blob = path.join(dir, `${i}.gz`)
    fs.writeFileSync(blob, zlib.gzipSync(tar), {mode: 0o644})
    const dest = path.join(dir, `l${i}`)
    fs.mkdirSync(dest)
    fs.chownSync(dest, user.uid, user.gid)
    return {blob, dest, expectedDiffID: sha256(tar), digest: `sha256:${i}`, index: i}
  })
  jobs[1].expectedDiffID = sha256(tars[0])

  const r = await runAs(user, [process.execPath, FIXTURE, JSON.stringify({op: 'unpack-each', jobs})])
  t.is(r.code, 0, r.stderr)
  const report = JSON.parse(r.stdout) as Report
  t.is(report.error, undefined)
  t.deepEqual(report.each, [
    {layers: [{diffID: sha256(tars[0]), size: 1, entries: 2}]},
    {error: `layer 1 (blob sha256:1) does not match config's DiffID "${sha256(tars[0])}"`},
    {layers: [{diffID: sha256(tars[2]), size: 3, entries: 2}]},
  ])
  t.is(report.unpackedBy?.length, 1, 'one worker process for all the layers')
  t.deepEqual(report.childrenAfterClose, [])
  t.is(fs.readFileSync(path.join(dir, 'l2/dir2/file'), 'utf8'), 'xxx')
  t.not(fs.lstatSync(path.join(dir, 'l2/dir2/file')).uid, user.uid, 'owned by a subordinate id')
})
