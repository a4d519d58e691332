// @userns
// generateSpec in the rootless user's own process, as `tspod run` will call it: the image's
// user database read from layers owned by subordinate ids, the user's real id mappings, and
// rlimits no higher than the user's own.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TEST_USER, lookupUser, runAs} from '../../helpers/rootless'
import {BUSYBOX_GROUP, BUSYBOX_PASSWD, layerDirs} from './layer-dirs'

const FIXTURE = path.join(__dirname, 'fixtures', 'generate-spec.js')
const SUB = 100000

test('as the rootless user: --user, env and groups from subuid-owned layers, clamped rlimits', async (t) => {
  const user = lookupUser(TEST_USER)
  const dirs = layerDirs(t, [
    [
      {dir: 'etc', uid: SUB, gid: SUB},
      {file: 'etc/passwd', content: BUSYBOX_PASSWD, uid: SUB, gid: SUB},
      {file: 'etc/group', content: BUSYBOX_GROUP, uid: SUB, gid: SUB},
      {file: 'etc/shadow', content: 'root:*::::::\n', mode: 0o600, uid: SUB, gid: SUB},
      {file: 'bin/busybox', content: '', mode: 0o755, uid: SUB, gid: SUB},
    ],
  ])
  fs.chmodSync(path.dirname(path.dirname(dirs[0])), 0o755)
  const config = {architecture: 'amd64', os: 'linux', config: {Env: ['PATH=/bin', 'container=oci'], Cmd: ['/bin/sh']}, rootfs: {type: 'layers', diff_ids: []}}
  const options = {user: 'user', env: ['TEST=here'], groupAdd: ['tty']}

  const result = await runAs(user, [process.execPath, FIXTURE, JSON.stringify({layerDirs: dirs, config, options})])
  t.is(result.code, 0, result.stderr)
  const out = JSON.parse(result.stdout)
  t.is(out.error, undefined)
  const {spec, warnings} = out.generated
  t.deepEqual(spec.process.user, {uid: 1234, gid: 1234, additionalGids: [1234, 5, 10, 50], umask: 0o022})
  t.deepEqual(warnings, ['Additional gid=70000 is not present in the user namespace, skip setting it'])
  t.deepEqual(spec.process.env.slice(0, 4), ['PATH=/bin', 'TERM=xterm', 'container=oci', 'TEST=here'])
  t.true(spec.process.env.includes('HOME=/home/user'))
  t.deepEqual(spec.linux.uidMappings, out.mapping.uidMap)
  t.deepEqual(spec.linux.uidMappings[0], {containerID: 0, hostID: user.uid, size: 1})
  t.true(spec.linux.namespaces.some((n: {type: string}) => n.type === 'user'))
  const nofile = spec.process.rlimits.find((r: {type: string}) => r.type === 'RLIMIT_NOFILE')
  // JSON turns an unlimited (Infinity) limit into null
  t.true(nofile.hard <= (out.limits.nofile.hard ?? Infinity) && nofile.soft <= (out.limits.nofile.soft ?? Infinity))
})
