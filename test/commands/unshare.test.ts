// `tspod unshare` as the rootless user: root of tspod's user namespace, Podman's variables, the
// command's exit code; files owned by subordinate ids become the user's to change.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TEST_USER, lookupUser, removeTree, sandbox, tspod} from '../helpers/rootless'

const user = lookupUser(TEST_USER)

test('runs the command as root of the user namespace, with the store named, and exits with its code', async (t) => {
  const box = sandbox(user)
  t.teardown(() => removeTree(box.dir))
  const id = await tspod(box, ['unshare', 'sh', '-c', 'id -u; cat /proc/self/uid_map | head -1; echo "$_CONTAINERS_USERNS_CONFIGURED $CONTAINERS_GRAPHROOT"'])
  t.is(id.code, 0, id.stderr)
  const [uid, map, vars] = id.stdout.trim().split('\n')
  t.is(uid, '0')
  t.deepEqual(map.trim().split(/\s+/), ['0', String(user.uid), '1'])
  t.regex(vars, /^done \/.+/)
  t.is((await tspod(box, ['unshare', 'sh', '-c', 'exit 7'])).code, 7)

  // a file chowned to a subordinate id inside is changed back inside
  const file = path.join(box.dir, 'f')
  fs.writeFileSync(file, '')
  fs.chownSync(file, user.uid, user.gid)
  t.is((await tspod(box, ['unshare', 'chown', '100:200', file])).code, 0)
  t.not(fs.statSync(file).uid, user.uid)
  t.is((await tspod(box, ['unshare', 'stat', '-c', '%u:%g', file])).stdout, '100:200\n')
  t.is((await tspod(box, ['unshare', 'rm', file])).code, 0)
  t.false(fs.existsSync(file))
})
