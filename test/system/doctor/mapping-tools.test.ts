// @userns
// newuidmap/newgidmap privilege, read for real from copies of the installed tools: setuid bit,
// file capabilities written by setcap, or neither.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {createDoctorContext} from '../../../src/system/doctor/context'
import {CAP_SETGID, CAP_SETUID, decodeFileCapabilities, grants, readFileCapabilities} from '../../../src/system/doctor/file-capabilities'
import {mappingToolChecks} from '../../../src/system/doctor/mapping-tools'
import {TEST_USER, lookupUser, removeTree} from '../../helpers/rootless'

const u = lookupUser(TEST_USER)

function copies(t: {teardown(fn: () => void): void}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-tools-'))
  t.teardown(() => removeTree(dir))
  for (const name of ['newuidmap', 'newgidmap']) {
    fs.copyFileSync(`/usr/bin/${name}`, path.join(dir, name))
    fs.chmodSync(path.join(dir, name), 0o755)
  }
  return dir
}

async function runWithPath(dir: string) {
  const saved = process.env.PATH
  process.env.PATH = `${dir}:${saved}`
  try {
    const config = loadStorageConfig({root: path.join(dir, 'g'), runRoot: path.join(dir, 'r')}, {HOME: u.home, TSPOD_STORAGE_CONF: '/nonexistent'}, u.uid)
    const user = {name: u.name, uid: u.uid, gid: u.gid, home: u.home, groups: [u.gid]}
    return (await mappingToolChecks.run(createDoctorContext(config, {user, env: {}}))).map(({check, status, message, fix}) => ({check, status, message, fix}))
  } finally {
    process.env.PATH = saved
  }
}

test.serial('file capabilities set by setcap decode as cap_setuid+ep / cap_setgid+ep', (t) => {
  const dir = copies(t)
  execFileSync('setcap', ['cap_setuid+ep', path.join(dir, 'newuidmap')])
  execFileSync('setcap', ['cap_setgid=p', path.join(dir, 'newgidmap')])
  const uidCaps = readFileCapabilities(path.join(dir, 'newuidmap'))!
  t.true(uidCaps.effective)
  t.is(uidCaps.permitted, 1n << BigInt(CAP_SETUID))
  t.true(grants(uidCaps, CAP_SETUID))
  t.false(grants(uidCaps, CAP_SETGID))
  const gidCaps = readFileCapabilities(path.join(dir, 'newgidmap'))!
  t.false(gidCaps.effective)
  t.false(grants(gidCaps, CAP_SETGID))
  t.is(readFileCapabilities('/usr/bin/newuidmap'), undefined)
  t.is(decodeFileCapabilities(Buffer.from([1, 2])), undefined)
})

test.serial('a tool with the file capability passes; one with neither setuid nor the capability fails with both fixes', async (t) => {
  const dir = copies(t)
  execFileSync('setcap', ['cap_setuid+ep', path.join(dir, 'newuidmap')])
  const results = await runWithPath(dir)
  t.deepEqual(results[0], {check: 'newuidmap', status: 'OK', message: `${dir}/newuidmap has the file capability cap_setuid+ep`, fix: ''})
  t.deepEqual(results[1], {
    check: 'newgidmap',
    status: 'FAIL',
    message: `${dir}/newgidmap is neither setuid root nor has the file capability cap_setgid: it cannot write the id maps ("should have setuid or have filecaps setuid")`,
    fix: `as root: \`setcap cap_setgid+ep ${dir}/newgidmap\` or \`chmod u+s ${dir}/newgidmap\``,
  })
  fs.chmodSync(path.join(dir, 'newgidmap'), 0o4755)
  t.deepEqual((await runWithPath(dir))[1], {check: 'newgidmap', status: 'OK', message: `${dir}/newgidmap is setuid root`, fix: ''})
})
