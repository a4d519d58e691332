// Which seccomp profile a container gets: the flag, containers.conf, the installed file.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {chooseProfile} from '../../../src/runtime/seccomp/container-profile'
import {loadProfileFile} from '../../../src/runtime/seccomp/profile'
import {readContainersConf} from '../../../src/storage/config/containers-conf'

const INSTALLED = '/usr/share/containers/seccomp.json'

test('the profile chosen: the flag, else containers.conf, else the installed file; unconfined is none', (t) => {
  t.is(chooseProfile('unconfined', {}), undefined)
  t.is(chooseProfile(undefined, {seccompProfile: 'unconfined'}), undefined)
  t.deepEqual(chooseProfile(undefined, {}), loadProfileFile(INSTALLED))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-seccomp-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const own = path.join(dir, 'own.json')
  fs.writeFileSync(own, '{"defaultAction": "SCMP_ACT_LOG"}')
  t.is(chooseProfile(undefined, {seccompProfile: own})?.defaultAction, 'SCMP_ACT_LOG')
  t.is(chooseProfile(own, {seccompProfile: 'unconfined'})?.defaultAction, 'SCMP_ACT_LOG')
  // containers.conf: later files win; files without the key are not parsed at all
  const [first, second, invalid] = ['a.conf', 'b.conf', 'c.conf'].map((f) => path.join(dir, f))
  fs.writeFileSync(first, '[containers]\nseccomp_profile = "/first.json"\n')
  fs.writeFileSync(second, '[engine]\nruntime = "crun"\n[containers]\nseccomp_profile = "/second.json"\n')
  fs.writeFileSync(invalid, 'not [ toml\n# seccomp_profile = "commented"\n')
  t.is(readContainersConf([first, second, invalid, path.join(dir, 'missing.conf')]).seccompProfile, '/second.json')
})
