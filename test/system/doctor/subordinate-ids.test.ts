// The subuid/subgid checks on files written for each case (the real /etc files are exercised by
// test/commands/doctor.test.ts as the real users).
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {createDoctorContext} from '../../../src/system/doctor/context'
import {subordinateIdChecks} from '../../../src/system/doctor/subordinate-ids'
import {HostUser} from '../../../src/userns/user'
import {TEST_USER, lookupUser, removeTree} from '../../helpers/rootless'

const u = lookupUser(TEST_USER)
const user: HostUser = {name: u.name, uid: u.uid, gid: u.gid, home: u.home, groups: [u.gid]}

async function check(t: {teardown(fn: () => void): void}, subuid: string, subgid: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-subid-'))
  t.teardown(() => removeTree(dir))
  fs.writeFileSync(path.join(dir, 'subuid'), subuid)
  fs.writeFileSync(path.join(dir, 'subgid'), subgid)
  const files = {subuid: path.join(dir, 'subuid'), subgid: path.join(dir, 'subgid')}
  const config = loadStorageConfig({root: path.join(dir, 'g'), runRoot: path.join(dir, 'r')}, {HOME: u.home, TSPOD_STORAGE_CONF: '/nonexistent'}, u.uid)
  const results = await subordinateIdChecks.run(createDoctorContext(config, {user, subIdFiles: files, env: {}}))
  return {results: results.map(({check, status, message, fix}) => ({check, status, message, fix})), files}
}

test('ranges by name or by numeric uid count; two ranges add up', async (t) => {
  const {results, files} = await check(t, `${u.uid}:100000:65536\n`, `${u.name}:100000:30000\n${u.name}:300000:35536\n`)
  t.deepEqual(results, [
    {check: 'subuid', status: 'OK', message: `${u.name} has 65536 subordinate uids in ${files.subuid}: 100000-165535`, fix: ''},
    {check: 'subgid', status: 'OK', message: `${u.name} has 65536 subordinate gids in ${files.subgid}: 100000-129999, 300000-335535`, fix: ''},
  ])
})

test('a range holding the user\'s own uid fails in Podman\'s words, with a del/add fix to a free range', async (t) => {
  const {results, files} = await check(t, `${u.name}:1000:65536\nother:200000:65536\n`, `${u.name}:100000:65536\n`)
  t.deepEqual(results[0], {
    check: 'subuid',
    status: 'FAIL',
    message:
      `the range 1000:65536 for ${u.name} in ${files.subuid} (line 1) includes your own uid ${u.uid}: tspod refuses it ` +
      `("invalid configuration: the specified mapping 1000:65536 in "${files.subuid}" includes the user UID")`,
    fix: `as root: \`usermod --del-subuids 1000-66535 --add-subuids 265536-331071 ${u.name}\``,
  })
  t.is(results[1].status, 'OK')
})

test('a range shared with another user is a warning naming both lines', async (t) => {
  const {results, files} = await check(t, `alice:90000:20000\n${u.name}:100000:65536\n`, `${u.name}:100000:65536\n`)
  t.deepEqual(results[0], {
    check: 'subuid',
    status: 'WARN',
    message:
      `your range 100000:65536 in ${files.subuid} (line 2) overlaps alice's range 90000:20000 (line 1): ` +
      'files in their containers and yours are owned by the same host ids',
    fix: `as root: \`usermod --del-subuids 100000-165535 --add-subuids 165536-231071 ${u.name}\``,
  })
})

test('fewer than 65536 ids is a warning; the fix adds exactly the missing ones', async (t) => {
  const {results, files} = await check(t, `${u.name}:100000:65536\n`, `${u.name}:100000:1000\n`)
  t.deepEqual(results[1], {
    check: 'subgid',
    status: 'WARN',
    message:
      `${u.name} has only 1000 subordinate gids in ${files.subgid} (100000-100999): image files owned by gid 1000 or above cannot be stored ` +
      '("potentially insufficient UIDs or GIDs available in user namespace"); 65536 is the usual minimum',
    fix: `as root: \`usermod --add-subgids 101000-165535 ${u.name}\``,
  })
})
