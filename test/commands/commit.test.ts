// `tspod commit` end to end as the rootless user: the new image holds the container's changes
// with the owners the container saw, deleted files stay deleted, the config carries the
// container's command and --change, -q prints only the ID, --iidfile writes it.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspod, tspodOkResult as ok} from '../helpers/rootless'

test('changes, owners and whiteouts survive a commit; the image runs as the rootless user', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--name', 'c1', 'busybox', 'sh', '-c', 'echo data > /tmp/f; chown 1234:1234 /tmp/f; mkdir /d; rm /etc/group; rm -rf /usr; mkdir /usr; touch /usr/only'])
  const r = await ok(box, ['commit', 'c1', 'mine'])
  t.regex(r.stdout, /^[0-9a-f]{64}\n$/)
  t.regex(r.stderr, /Getting image source signatures\n(Copying blob sha256:[0-9a-f]{64}\n)+Copying config sha256:[0-9a-f]{64}\nWriting manifest to image destination\nStoring signatures\n/)
  const out = await ok(box, ['run', '--rm', 'mine', 'sh', '-c', 'stat -c "%u:%g %n" /tmp/f; cat /tmp/f; ls /etc/group 2>&1; ls /usr'])
  t.is(out.stdout, '1234:1234 /tmp/f\ndata\nls: /etc/group: No such file or directory\nonly\n')
})

test('the config: the container\'s command and env, --change on top, -a and -m; -q and --iidfile', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'c2', '-e', 'FOO=bar', '--entrypoint', '["/bin/echo","x"]', 'busybox'])
  const iid = path.join(box.dir, 'iid')
  const r = await ok(box, ['container', 'commit', '-q', '--iidfile', iid, '-a', 'me', '-m', 'msg', '-c', 'ENV B=2', '--change', 'LABEL l=v', '-c', 'EXPOSE 8080', 'c2', 'conf'])
  const id = r.stdout.trim()
  t.regex(id, /^[0-9a-f]{64}$/)
  t.is(r.stderr, '')
  t.is(fs.readFileSync(iid, 'utf8'), id)
  const inspect = JSON.parse((await ok(box, ['image', 'inspect', 'conf'])).stdout)[0]
  t.deepEqual(inspect.Config.Entrypoint, ['/bin/echo', 'x'])
  t.true(inspect.Config.Env.includes('FOO=bar'))
  t.true(inspect.Config.Env.includes('B=2'))
  t.false(inspect.Config.Env.some((e: string) => e.startsWith('HOSTNAME=')))
  t.is(inspect.Config.Labels.l, 'v')
  t.truthy(inspect.Config.ExposedPorts['8080/tcp'])
  t.is(inspect.Author, 'me')
  t.is((await ok(box, ['run', '--rm', 'conf'])).stdout, 'x\n')
})

test('errors: a bad --change or format, a missing container (exit 125, nothing stored)', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['create', '--name', 'c3', 'busybox', 'true'])
  const before = (await ok(box, ['images', '-q'])).stdout
  const bad = await tspod(box, ['commit', '-c', 'BOGUS x', 'c3', 'x'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: invalid change "BOGUS x" - invalid instruction BOGUS\n')
  const format = await tspod(box, ['commit', '-f', 'zip', 'c3'])
  t.is(format.code, 125)
  t.regex(format.stderr, /unrecognized image type "zip"/)
  const missing = await tspod(box, ['commit', 'nonesuch'])
  t.is(missing.code, 125)
  t.is((await ok(box, ['images', '-q'])).stdout, before)
})

test('--pause stops a running container while its layer is read and lets it go on after', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'c4', 'busybox', 'sh', '-c', 'echo running > /tmp/r; sleep 300'])
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'c4']))
  await ok(box, ['commit', '-q', '-p', 'c4', 'paused'])
  t.is((await ok(box, ['exec', 'c4', 'echo', 'alive'])).stdout, 'alive\n')
  t.is((await ok(box, ['run', '--rm', 'paused', 'cat', '/tmp/r'])).stdout, 'running\n')
})

test('commit --squash: the image\'s layers and the changes as one layer, whiteouts applied, owners and modes kept', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '--name', 'c4', 'multi', 'sh', '-c', 'rm /data/keep.txt; echo n > /new'])
  await ok(box, ['commit', '-q', '--squash', 'c4', 'flat'])
  const inspect = JSON.parse((await ok(box, ['image', 'inspect', 'flat'])).stdout)[0]
  t.is(inspect.RootFS.Layers.length, 1)
  t.is(JSON.parse((await ok(box, ['image', 'inspect', '--format', '{{json .History}}', 'flat'])).stdout).length, 1)
  const out = await ok(box, ['run', '--rm', 'flat', 'sh', '-c', 'ls /data /opq; cat /new; stat -c "%u %a" /data/user-owned.txt /data/setuid'])
  t.is(out.stdout, '/data:\nsetuid\nuser-owned.txt\n\n/opq:\nupper.txt\nn\n1234 644\n0 4755\n')
})
