// @userns
// The layer reader as the real rootless user, on files owned by the user's subordinate ids the
// way a rootless store holds them: world-readable files read, others fail with EACCES and an
// error that names the file, and user.overlay.opaque markers are seen.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TEST_USER, lookupUser, runAs} from '../../helpers/rootless'
import {layerDirs} from './layer-dirs'

const FIXTURE = path.join(__dirname, 'fixtures', 'read-rootfs.js')

interface Attempt {
  value?: unknown
  error?: {message: string; code?: string}
}

test('as the rootless user: readable files read, unreadable ones fail naming the file', async (t) => {
  const user = lookupUser(TEST_USER)
  const sub = 100000 // container root's neighbours: host ids of the user's subordinate range
  const dirs = layerDirs(t, [
    [
      {dir: 'etc', uid: sub, gid: sub},
      {file: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644, uid: sub, gid: sub},
      {file: 'etc/shadow', content: 'root:*:19000:0:99999:7:::\n', mode: 0o640, uid: sub, gid: sub + 42},
      {dir: 'root', mode: 0o700, uid: sub, gid: sub},
      {file: 'root/.profile', content: 'secret\n', uid: sub, gid: sub},
      {file: 'opq/lower.txt', content: 'lower\n', uid: sub, gid: sub},
    ],
    [{dir: 'opq', opaque: 'user', uid: sub, gid: sub}, {file: 'opq/upper.txt', content: 'upper\n', uid: sub, gid: sub}],
  ])
  fs.chmodSync(path.dirname(path.dirname(dirs[0])), 0o755)

  const result = await runAs(user, [process.execPath, FIXTURE, JSON.stringify({layerDirs: dirs, paths: ['/etc/passwd', '/etc/shadow', '/root/.profile', '/root', '/opq/lower.txt', '/opq/upper.txt']})])
  t.is(result.code, 0, result.stderr)
  const report = JSON.parse(result.stdout) as Record<string, {read: Attempt; stat: Attempt}>

  t.is(report['/etc/passwd'].read.value, 'root:x:0:0:root:/root:/bin/sh\n')
  const shadow = report['/etc/shadow'].read.error
  t.is(shadow?.code, 'EACCES')
  t.is(
    shadow?.message,
    `read /etc/shadow of the image (${dirs[1]}/etc/shadow): permission denied (layer files belong to the subordinate ids of the image; read it as root or inside the user namespace)`,
  )
  // stat needs no read permission on the file itself
  t.like(report['/etc/shadow'].stat.value, {type: 'file', uid: sub, gid: sub + 42})

  const profile = report['/root/.profile'].read.error
  t.is(profile?.code, 'EACCES')
  t.regex(profile!.message, /^look up \/root\/\.profile of the image \(.*\/root\/\.profile\): permission denied/)
  t.like(report['/root'].stat.value, {type: 'directory', uid: sub})

  t.is(report['/opq/lower.txt'].read.value, null)
  t.is(report['/opq/upper.txt'].read.value, 'upper\n')
})
