// @userns
// A layer's changes read as the rootless user: in process when the user can read every dir, else
// as root of the user's namespace (the changes worker), as a dir a subordinate id owns with mode
// 0700 needs. Run as the real rootless user, with the tree made here as real root.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {REPO, TEST_USER, lookupUser, removeTree, runAs, userTempDir} from '../../helpers/rootless'

const MODULE = path.join(REPO, 'dist', 'src', 'storage', 'store', 'changes-as-root.js')
const STORE = path.join(REPO, 'dist', 'src', 'storage', 'store', 'store.js')

function firstSubordinateId(file: string, user: string): number {
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))
  if (!line) throw new Error(`${user} has no range in ${file}`)
  return Number(line.split(':')[1])
}

/** upper/ with /x (owned by the namespace's uid 1000, mode 0700) holding f, and /open/g; lower/ empty. */
function layers(t: {teardown(fn: () => void): void}): {upper: string; lower: string} {
  const user = lookupUser(TEST_USER)
  const dir = userTempDir(user)
  t.teardown(() => removeTree(dir))
  const upper = path.join(dir, 'upper')
  const lower = path.join(dir, 'lower')
  for (const d of [upper, lower, path.join(upper, 'x'), path.join(upper, 'open')]) fs.mkdirSync(d)
  fs.writeFileSync(path.join(upper, 'x', 'f'), '')
  fs.writeFileSync(path.join(upper, 'open', 'g'), '')
  for (const d of [upper, lower, path.join(upper, 'open'), path.join(upper, 'open', 'g')]) fs.chownSync(d, user.uid, user.gid)
  const sub = (file: string) => firstSubordinateId(file, user.name) + 999
  fs.chownSync(path.join(upper, 'x', 'f'), sub('/etc/subuid'), sub('/etc/subgid'))
  fs.chownSync(path.join(upper, 'x'), sub('/etc/subuid'), sub('/etc/subgid'))
  fs.chmodSync(path.join(upper, 'x'), 0o700)
  return {upper, lower}
}

async function changesAsUser(upper: string, lower: string, withMapping: boolean): Promise<{code: number | null; stdout: string; stderr: string}> {
  const script = `
    const {layerChangesAsMappedRoot} = require(${JSON.stringify(MODULE)})
    const {storeMapping} = require(${JSON.stringify(STORE)})
    layerChangesAsMappedRoot(${JSON.stringify(upper)}, [${JSON.stringify(lower)}], ${withMapping ? 'storeMapping()' : 'undefined'})
      .then((c) => console.log(JSON.stringify(c)), (e) => { console.error(e.code + ' ' + e.message); process.exit(1) })`
  return await runAs(lookupUser(TEST_USER), [process.execPath, '-e', script])
}

test('a dir a subordinate id closed to the user is read in the user namespace', async (t) => {
  const {upper, lower} = layers(t)
  const r = await changesAsUser(upper, lower, true)
  t.is(r.code, 0, r.stderr)
  t.deepEqual(JSON.parse(r.stdout), [
    {kind: 'A', path: '/open'},
    {kind: 'A', path: '/open/g'},
    {kind: 'A', path: '/x'},
    {kind: 'A', path: '/x/f'},
  ])
})

test('without a namespace to read it in, the closed dir is a permission error', async (t) => {
  const {upper, lower} = layers(t)
  const r = await changesAsUser(upper, lower, false)
  t.is(r.code, 1)
  t.regex(r.stderr, /^EACCES /)
})
