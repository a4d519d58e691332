// --userns=nomap and --userns=auto through the CLI, as the rootless user: the user's own ids are
// not mapped, yet the rootfs (in the user's 0700 store) is mounted, the image's files keep their
// owners (a copy of the layers chowned for the maps), and exec enters the container.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, idMapLines as maps, tspod, tspodOk as ok} from '../helpers/rootless'

function subidStart(box: Sandbox): number {
  const line = fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${box.user.name}:`))!
  return Number(line.split(':')[1])
}

test('nomap: the subordinate ranges only, root on the first subordinate id; the image\'s owners; exec and top see it; bad auto options refused with Podman\'s errors', async (t) => {
  const box = await sandboxWithImages(t)
  // bad options: Podman's errors, nothing created
  const cases: [string, string][] = [
    ['auto:uidmapping=0:1', 'Error: failed to create ParseUIDMap UID=[0:1]: initializing ID mappings: UID setting is malformed expected ["uint32:uint32:uint32"]: ["0:1"]\n'],
    ['auto:foo=1', 'Error: unknown option specified: "foo"\n'],
    ['auto:size=x', 'Error: strconv.ParseUint: parsing "x": invalid syntax\n'],
  ]
  for (const [value, message] of cases) {
    const r = await tspod(box, ['create', `--userns=${value}`, 'localhost/busybox', 'true'])
    t.deepEqual([r.code, r.stderr], [125, message], value)
  }
  const id = (await ok(box, ['run', '-d', '--userns=nomap', 'localhost/multi', 'sleep', '1000'])).trim()
  const out = await ok(box, ['exec', id, 'sh', '-c', 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map; echo; id -u; stat -c "%u:%g %n" /bin/busybox /etc/hostname /home/user; touch /etc/new && echo wrote'])
  const [uidMap, gidMap, rest] = out.split('\n\n')
  // in the ids of the namespace it runs in (0 = the user, 1.. = the ranges), as in Podman
  t.deepEqual(maps(uidMap), [[0, 1, 65536]])
  t.deepEqual(maps(gidMap), [[0, 1, 65536]])
  t.is(rest, '0\n0:0 /bin/busybox\n0:0 /etc/hostname\n1234:1234 /home/user\nwrote\n')
  t.regex(await ok(box, ['top', id, 'huser']), new RegExp(`^HUSER\\s*\\n${subidStart(box)}\\s*\\n`))
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.UsernsMode}}', id]), 'private\n')
  await ok(box, ['rm', '-t', '0', '-f', id])
  t.is(await ok(box, ['ps', '-a', '-q']), '')
})

test('auto (containers.conf userns, --userns=auto:size=,uidmapping=): ranges no other auto container has; the user left out', async (t) => {
  const box = await sandboxWithImages(t)
  const conf = path.join(box.dir, 'userns-auto.conf')
  fs.writeFileSync(conf, '[containers]\nuserns = "auto"\n', {mode: 0o644})
  const id = (await ok(box, ['run', '-d', 'localhost/busybox', 'sleep', '1000'], {env: {CONTAINERS_CONF: conf}})).trim()
  t.is(await ok(box, ['inspect', '--format', '{{.HostConfig.UsernsMode}}', id]), 'private\n')
  // sized from the image: its highest id (1234) + 1, at least containers-storage's minimum of 1024
  const [firstUid, firstGid] = (await ok(box, ['exec', id, 'sh', '-c', 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map'])).split('\n\n').map(maps)
  t.deepEqual(firstUid, [[0, 1, 1235]])
  t.deepEqual(firstGid, [[0, 1, 1235]])
  const second = await ok(box, ['run', '--rm', '--userns=auto:size=500,uidmapping=0:3000:10', 'localhost/busybox', 'sh', '-c', 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map'])
  const [uidMap, gidMap] = second.split('\n\n').map(maps)
  t.deepEqual(uidMap, [
    [10, 1236, 490],
    [0, 3000, 10],
  ])
  t.deepEqual(gidMap, [[0, 1236, 500]])
  await ok(box, ['rm', '-t', '0', '-f', id])
})
