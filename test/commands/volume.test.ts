// `tspod volume …` end to end as the rootless user, with Podman's output and exit codes.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {graphRoot, leftovers, sandboxWithImages} from '../helpers/image-sandbox'
import {TEST_USER, lookupUser, removeTree, runAs, sandbox, tspod} from '../helpers/rootless'

const ATTACH = path.join(__dirname, '..', 'runtime', 'volume', 'fixtures', 'attach-volumes.js')
const user = lookupUser(TEST_USER)

function newBox(t: {teardown(fn: () => unknown): void}) {
  const box = sandbox(user)
  t.teardown(() => removeTree(box.dir))
  return box
}

test('create, ls, inspect, exists and rm, in Podman words', async (t) => {
  const box = newBox(t)
  const empty = await tspod(box, ['volume', 'ls'])
  t.deepEqual([empty.code, empty.stdout, empty.stderr], [0, '', ''])
  t.is((await tspod(box, ['volume', 'ls', '--format', 'json'])).stdout, '[]\n')

  const created = await tspod(box, ['volume', 'create', 'myvol'])
  t.deepEqual([created.code, created.stdout], [0, 'myvol\n'], created.stderr)
  const labelled = await tspod(box, ['volume', 'create', '-l', 'a=b', '--label', 'c', 'other'])
  t.is(labelled.code, 0, labelled.stderr)
  const dup = await tspod(box, ['volume', 'create', 'myvol'])
  t.deepEqual([dup.code, dup.stderr], [125, 'Error: volume with name myvol already exists: volume already exists\n'])
  t.deepEqual(await tspod(box, ['volume', 'create', '--ignore', 'myvol']).then((r) => [r.code, r.stdout]), [0, 'myvol\n'])
  const bad = await tspod(box, ['volume', 'create', 'bad/name'])
  t.deepEqual([bad.code, bad.stderr], [125, 'Error: running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument\n'])
  const opt = await tspod(box, ['volume', 'create', '-o', 'type=nfs', 'x'])
  t.deepEqual([opt.code, opt.stderr], [125, 'Error: volume option "type=nfs" is not supported by tspod (rootless volumes can only mount type=bind and type=tmpfs)\n'])
  const anon = await tspod(box, ['volume', 'create'])
  t.regex(anon.stdout, /^[0-9a-f]{64}\n$/)
  const anonName = anon.stdout.trim()

  const ls = await tspod(box, ['volume', 'ls'])
  t.is(ls.stdout, `DRIVER      VOLUME NAME\nlocal       ${anonName}\nlocal       myvol\nlocal       other\n`)
  t.is((await tspod(box, ['volume', 'list', '-q'])).stdout, `${anonName}\nmyvol\nother\n`)
  t.is((await tspod(box, ['volume', 'ls', '-n', '--filter', 'label=a=b'])).stdout, 'local       other\n')
  t.is((await tspod(box, ['volume', 'ls', '--format', '{{.Name}} {{.Labels}} {{.Anonymous}}', '-f', 'name=er$'])).stdout, 'other map[a:b c:] false\n')
  t.is((await tspod(box, ['volume', 'ls', '--format', 'table {{.Name}} {{.Scope}}', '-f', 'anonymous=true'])).stdout, `${'VOLUME NAME'.padEnd(66)}SCOPE\n${anonName}  local\n`)
  const quietFormat = await tspod(box, ['volume', 'ls', '-q', '--format', '{{.Name}}'])
  t.deepEqual([quietFormat.code, quietFormat.stderr], [125, 'Error: quiet and format flags cannot be used together\n'])
  const badFilter = await tspod(box, ['volume', 'ls', '-f', 'colour=red'])
  t.deepEqual([badFilter.code, badFilter.stderr], [125, 'Error: "colour" is an invalid volume filter\n'])
  const listJson = JSON.parse((await tspod(box, ['volume', 'ls', '--format', 'json'])).stdout)
  t.deepEqual(listJson.map((v: {Name: string}) => v.Name), [anonName, 'myvol', 'other'])
  t.regex((await tspod(box, ['volume', 'ls', '--format', 'json'])).stdout, /^\[\n {2}\{\n {4}"Name"/)

  const data = path.join(graphRoot(box), 'volumes', 'myvol', '_data')
  const inspect = await tspod(box, ['volume', 'inspect', 'myvol'])
  t.is(inspect.code, 0, inspect.stderr)
  t.regex(inspect.stdout, /^\[\n {4}\{\n {8}"Name": "myvol",\n/)
  const [record] = JSON.parse(inspect.stdout)
  t.deepEqual(Object.keys(record), ['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Scope', 'Options', 'MountCount', 'NeedsCopyUp', 'NeedsChown'])
  t.like(record, {Name: 'myvol', Driver: 'local', Mountpoint: data, Labels: {}, Scope: 'local', Options: {}, MountCount: 0, NeedsCopyUp: true, NeedsChown: true})
  t.regex(record.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
  // a fresh volume belongs to the container's root: the user itself
  const st = fs.statSync(data)
  t.deepEqual([st.uid, st.gid, st.mode & 0o777], [user.uid, user.gid, 0o755])
  t.is((await tspod(box, ['volume', 'inspect', '--format', '{{.Driver}} {{.Scope}} {{.Labels.a}}', 'oth'])).stdout, 'local local b\n')
  t.is(JSON.parse((await tspod(box, ['volume', 'inspect', '--all'])).stdout).length, 3)
  t.true(JSON.parse((await tspod(box, ['volume', 'inspect', anonName.slice(0, 10)])).stdout)[0].Anonymous)
  const missing = await tspod(box, ['volume', 'inspect', 'myvol', 'nope1', 'nope2'])
  t.is(missing.code, 125)
  t.is(JSON.parse(missing.stdout).length, 1)
  t.is(missing.stderr, 'no such volume nope2\nError: no such volume nope1\n')
  const noArgs = await tspod(box, ['volume', 'inspect'])
  t.deepEqual([noArgs.code, noArgs.stderr], [125, 'Error: provide one or more volume names or use --all\n'])

  t.is((await tspod(box, ['volume', 'exists', 'myvol'])).code, 0)
  const notThere = await tspod(box, ['volume', 'exists', 'myvo'])
  t.deepEqual([notThere.code, notThere.stdout, notThere.stderr], [1, '', ''])

  const rm = await tspod(box, ['volume', 'rm', 'myvol', 'nope'])
  t.deepEqual([rm.code, rm.stdout, rm.stderr], [1, 'myvol\n', 'Error: no volume with name "nope" found: no such volume\n'])
  t.false(fs.existsSync(path.dirname(data)))
  t.deepEqual(await tspod(box, ['volume', 'rm', '-f', 'nope']).then((r) => [r.code, r.stderr]), [0, ''])
  const choose = await tspod(box, ['volume', 'rm'])
  t.deepEqual([choose.code, choose.stderr], [125, 'Error: choose either one or more volumes or all\n'])
  const all = await tspod(box, ['volume', 'remove', '--all'])
  t.deepEqual([all.code, all.stdout], [0, `${anonName}\nother\n`])
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'volumes')), [])
  t.deepEqual(leftovers(box), [])
})

test('create --uid/--gid and -o o=uid=…: the volume belongs to those ids of the container', async (t) => {
  const box = newBox(t)
  const subuid = Number(fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${user.name}:`))!.split(':')[1])
  const subgid = Number(fs.readFileSync('/etc/subgid', 'utf8').split('\n').find((l) => l.startsWith(`${user.name}:`))!.split(':')[1])
  t.is((await tspod(box, ['volume', 'create', '--uid', '1000', '--gid', '100', 'flags'])).code, 0)
  t.is((await tspod(box, ['volume', 'create', '-o', 'o=uid=33,gid=33', 'opts'])).code, 0)
  const st = (name: string) => fs.statSync(path.join(graphRoot(box), 'volumes', name, '_data'))
  t.deepEqual([st('flags').uid, st('flags').gid], [subuid + 999, subgid + 99])
  t.deepEqual([st('opts').uid, st('opts').gid], [subuid + 32, subgid + 32])
  const [opts] = JSON.parse((await tspod(box, ['volume', 'inspect', 'opts'])).stdout)
  t.deepEqual(opts.Options, {GID: '33', UID: '33', o: 'uid=33,gid=33'})
  t.like(opts, {UID: 33, GID: 33, NeedsCopyUp: true})
  t.false('NeedsChown' in opts)
  const unmapped = await tspod(box, ['volume', 'create', '--uid', '99999999', 'toobig'])
  t.is(unmapped.code, 125)
  t.regex(unmapped.stderr, /^Error: chowning volume directory ".*\/toobig\/_data" to 99999999:0: chown: .*Invalid argument\n$/)
  t.is((await tspod(box, ['volume', 'exists', 'toobig'])).code, 1)
  // files owned by subordinate ids are removed too
  const rm = await tspod(box, ['volume', 'rm', 'flags', 'opts'])
  t.deepEqual([rm.code, rm.stdout], [0, 'flags\nopts\n'], rm.stderr)
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'volumes')), [])
})

test('a volume given to a non-root container user (a subordinate id on the host) is used again, by tspod\'s runtime and by crun', async (t) => {
  const box = await sandboxWithImages(t)
  const first = await tspod(box, ['run', '--rm', '-u', '1000', '-v', 'data:/data', 'busybox', 'sh', '-c', 'stat -c %u:%g /data; echo one > /data/f'])
  t.deepEqual([first.code, first.stdout, first.stderr], [0, '1000:0\n', ''])
  const data = path.join(graphRoot(box), 'volumes', 'data', '_data')
  t.is(fs.statSync(data).uid, 100000 + 999, 'container uid 1000 is subordinate id 100999 (setup-host: 100000:65536)')
  for (const runtime of [[], ['--runtime', 'crun']]) {
    const again = await tspod(box, [...runtime, 'run', '--rm', '-u', '1000', '-v', 'data:/data', 'busybox', 'sh', '-c', 'cat /data/f; echo two >> /data/f'])
    t.deepEqual([again.code, again.stderr], [0, ''], runtime.join(' '))
  }
  t.is((await tspod(box, ['run', '--rm', '-v', 'data:/data', 'busybox', 'cat', '/data/f'])).stdout, 'one\ntwo\ntwo\n')
})

test('prune asks first (EOF is an error, as in Podman), removes every unused volume, named or anonymous, or those the filters take', async (t) => {
  const box = await sandboxWithImages(t)
  for (const args of [['named'], ['-l', 'keep=1', 'kept'], []]) t.is((await tspod(box, ['volume', 'create', ...args])).code, 0)
  const anon = JSON.parse((await tspod(box, ['volume', 'ls', '--format', 'json', '-f', 'anonymous=true'])).stdout)[0].Name as string
  // a container uses "used" and an anonymous volume of its own
  const attached = await runAs(user, [process.execPath, ATTACH, JSON.stringify({image: 'localhost/busybox', volumes: [{name: 'used', destination: '/u', options: []}, {destination: '/a', options: []}]})], {env: box.env})
  const report = JSON.parse(attached.stdout)
  t.is(report.error, undefined, attached.stdout + attached.stderr)
  const usedAnon = path.basename(path.dirname(report.mounts[1].source))

  t.is((await tspod(box, ['volume', 'ls', '-q', '-f', 'dangling=false'])).stdout, [usedAnon, 'used'].sort().join('\n') + '\n')
  const inUse = await tspod(box, ['volume', 'rm', 'used', 'nope'])
  t.is(inUse.code, 2)
  t.is(inUse.stderr, `Error: no volume with name "nope" found: no such volume\nError: volume used is being used by the following container(s): ${report.containerId}: volume is being used\n`)

  const warning = 'WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:'
  const eof = await tspod(box, ['volume', 'prune'])
  t.is(eof.code, 125)
  t.is(eof.stdout, `${warning}\n${[anon, 'kept', 'named'].sort().join('\n')}\nAre you sure you want to continue? [y/N] `)
  t.is(eof.stderr, 'Error: EOF\n')
  const no = await tspod(box, ['volume', 'prune'], {input: 'n\n'})
  t.is(no.code, 0)
  t.is((await tspod(box, ['volume', 'exists', anon])).code, 0)
  const filtered = await tspod(box, ['volume', 'prune', '--filter', 'label=keep'], {input: 'n\n'})
  t.is(filtered.stdout, `${warning}\nkept\nAre you sure you want to continue? [y/N] `)
  const yes = await tspod(box, ['volume', 'prune', '--filter', 'label!=keep'], {input: 'y\n'})
  t.is(yes.code, 0, yes.stderr)
  t.true(yes.stdout.endsWith(`[y/N] ${[anon, 'named'].sort().join('\n')}\n`))
  const pruned = await tspod(box, ['volume', 'prune', '-f'])
  t.deepEqual([pruned.code, pruned.stdout], [0, 'kept\n'])
  const none = await tspod(box, ['volume', 'prune'])
  t.is(none.stdout, `${warning}\nNo dangling volumes found\n`)
  t.is((await tspod(box, ['volume', 'ls', '-q'])).stdout, [usedAnon, 'used'].sort().join('\n') + '\n')
  // Podman 4's volume prune has no --all: it always takes named volumes too
  t.is((await tspod(box, ['volume', 'prune', '--all', '-f'])).code, 125)

  // rm -f removes the container using the volume first; its anonymous volume is then unused
  const time = await tspod(box, ['volume', 'rm', '-t', '3', 'used'])
  t.deepEqual([time.code, time.stderr], [125, 'Error: --force option must be specified to use the --time option\n'])
  const force = await tspod(box, ['volume', 'rm', '-f', 'used'])
  t.deepEqual([force.code, force.stdout], [0, 'used\n'], force.stderr)
  t.is((await tspod(box, ['volume', 'ls', '-q', '-f', 'dangling=true'])).stdout, `${usedAnon}\n`)
  t.is((await tspod(box, ['volume', 'prune', '-f'])).stdout, `${usedAnon}\n`)

  // a container of tspod's own records goes the same way
  const create = await tspod(box, ['create', '--name', 'holder', 'localhost/busybox', 'true'])
  t.is(create.code, 0, create.stderr)
  const holder = create.stdout.trim()
  const held = await runAs(user, [process.execPath, ATTACH, JSON.stringify({image: 'localhost/busybox', containerId: holder, volumes: [{name: 'held', destination: '/h', options: []}]})], {env: box.env})
  t.is(JSON.parse(held.stdout).error, undefined, held.stdout + held.stderr)
  t.is((await tspod(box, ['volume', 'rm', 'held'])).code, 2)
  const forced = await tspod(box, ['volume', 'rm', '--force', 'held'])
  t.deepEqual([forced.code, forced.stdout], [0, 'held\n'], forced.stderr)
  t.is((await tspod(box, ['container', 'exists', 'holder'])).code, 1)
  t.deepEqual(leftovers(box), [])
})

test('export and import a volume as a tar; type=bind and type=tmpfs volumes are mounted in the containers using them', async (t) => {
  const box = await sandboxWithImages(t)
  t.is((await tspod(box, ['run', '--rm', '-v', 'src:/data', 'busybox', 'sh', '-c', 'echo hello > /data/test; mkdir /data/d; chown 1000:1000 /data/d'])).code, 0)
  const tarFile = path.join(box.dir, 'src.tar')
  const exported = await tspod(box, ['volume', 'export', 'src', '--output', tarFile])
  t.deepEqual([exported.code, exported.stderr], [0, ''])
  await tspod(box, ['volume', 'create', 'dst'])
  const imported = await tspod(box, ['volume', 'import', 'dst', '-'], {input: fs.readFileSync(tarFile)})
  t.deepEqual([imported.code, imported.stderr], [0, ''])
  t.is((await tspod(box, ['run', '--rm', '-v', 'dst:/data', 'busybox', 'sh', '-c', 'cat /data/test; stat -c %u:%g /data/d'])).stdout, 'hello\n1000:1000\n')
  const missing = await tspod(box, ['volume', 'import', 'dst', path.join(box.dir, 'nothere.tar')])
  t.deepEqual([missing.code, missing.stderr], [125, `Error: open ${path.join(box.dir, 'nothere.tar')}: no such file or directory\n`])
  const noVolume = await tspod(box, ['volume', 'export', 'nosuch', '--output', tarFile])
  t.deepEqual([noVolume.code, noVolume.stderr], [125, 'Error: no such volume nosuch\n'])

  const bogus = await tspod(box, ['volume', 'create', '-o', 'type=bind', '-o', 'device=/bogus', 'b'])
  t.deepEqual([bogus.code, bogus.stderr], [125, "Error: invalid volume option device for driver 'local': stat /bogus: no such file or directory\n"])
  const dir = path.join(box.dir, 'device')
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, 'myfile'), 'on the host\n')
  fs.chownSync(dir, box.user.uid, box.user.gid)
  fs.chownSync(path.join(dir, 'myfile'), box.user.uid, box.user.gid)
  t.is((await tspod(box, ['volume', 'create', '-o', 'type=bind', '-o', `device=${dir}`, '-o', 'o=bind', 'bound'])).stdout, 'bound\n')
  t.is((await tspod(box, ['run', '--rm', '-v', 'bound:/vol', 'busybox', 'sh', '-c', 'stat -c %u /vol/myfile; cat /vol/myfile; echo back > /vol/new'])).stdout, '0\non the host\n')
  t.is(fs.readFileSync(path.join(dir, 'new'), 'utf8'), 'back\n')
  t.is((await tspod(box, ['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'tv'])).stdout, 'tv\n')
  t.is((await tspod(box, ['run', '--rm', '-v', 'tv:/vol', 'busybox', 'stat', '-f', '-c', '%T', '/vol'])).stdout, 'tmpfs\n')
})

test('volume mount needs tspod unshare for a rootless user, as Podman; unmount names the volume', async (t) => {
  const box = newBox(t)
  await tspod(box, ['volume', 'create', 'mv'])
  const mount = await tspod(box, ['volume', 'mount', 'mv'])
  t.deepEqual([mount.code, mount.stderr], [125, 'Error: cannot run command "podman volume mount" in rootless mode, must execute `podman unshare` first\n'])
  t.deepEqual(await tspod(box, ['volume', 'unmount', 'mv']).then((r) => [r.code, r.stdout]), [0, 'mv\n'])
  t.is((await tspod(box, ['volume', 'unmount', 'nosuch'])).code, 125)
})

test('-v SRC:DST:U gives the source to the container user (its subordinate ids on the host), at each start', async (t) => {
  const box = await sandboxWithImages(t)
  const src = path.join(box.dir, 'u-src')
  fs.mkdirSync(path.join(src, 'sub'), {recursive: true})
  fs.writeFileSync(path.join(src, 'sub', 'f'), '')
  fs.chownSync(src, user.uid, user.gid)
  fs.chownSync(path.join(src, 'sub'), user.uid, user.gid)
  fs.chownSync(path.join(src, 'sub', 'f'), user.uid, user.gid)
  const run = await tspod(box, ['run', '--rm', '--user', '1000:2000', '-v', `${src}:/data:U`, 'localhost/busybox', 'stat', '-c', '%u:%g', '/data', '/data/sub/f'])
  t.deepEqual([run.code, run.stdout], [0, '1000:2000\n1000:2000\n'], run.stderr)
  const [subuid] = fs.readFileSync('/etc/subuid', 'utf8').split('\n').filter((l) => l.startsWith(`${TEST_USER}:`)).map((l) => Number(l.split(':')[1]))
  t.is(fs.statSync(path.join(src, 'sub', 'f')).uid, subuid + 1000 - 1)
  const twice = await tspod(box, ['run', '--rm', '-v', `${src}:/data:U,U`, 'localhost/busybox', 'true'])
  t.deepEqual([twice.code, twice.stderr], [125, 'Error: invalid options "U, U", can only specify 1 \'U\' option\n'])
})

test('run/create --volumes-from: the donor\'s volumes and binds, in its mode or as ro/rw says; --rm keeps the shared volumes; an unknown donor is 125', async (t) => {
  const box = await sandboxWithImages(t)
  const host = path.join(box.dir, 'shared-host')
  fs.mkdirSync(host)
  fs.chmodSync(host, 0o777)
  const run = async (args: string[]) => {
    const r = await tspod(box, args)
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }
  await run(['run', '--name', 'donor', '-v', 'named:/named', '-v', '/anon', '-v', `${host}:/host:ro`, 'busybox', 'sh', '-c', 'echo n > /named/f; echo a > /anon/f'])
  const script = 'cat /named/f /anon/f; touch /host/x 2>/dev/null && echo host writable || echo host read-only'
  t.is(await run(['run', '--rm', '--volumes-from', 'donor', 'busybox', 'sh', '-c', script]), 'n\na\nhost read-only\n')
  t.is(await run(['run', '--rm', '--volumes-from', 'donor:rw', 'busybox', 'sh', '-c', script]), 'n\na\nhost writable\n')
  t.is((await run(['volume', 'ls', '-q'])).split('\n').filter(Boolean).length, 2, 'the --rm containers took no volume with them')

  await run(['create', '--name', 'reader', '--volumes-from', 'donor:ro', '-v', `${host}:/named`, 'busybox', 'true'])
  t.is(await run(['inspect', '--format', '{{.HostConfig.VolumesFrom}} {{len .Mounts}}', 'reader']), '[donor:ro] 2\n')
  t.is(await run(['inspect', '--format', '{{.HostConfig.VolumesFrom}}', 'donor']), '[]\n')

  const unknown = await tspod(box, ['run', '--rm', '--volumes-from', 'nosuch', 'busybox', 'true'])
  t.deepEqual([unknown.code, unknown.stderr], [125, 'Error: looking up container "nosuch" for volumes-from: no container with name or ID "nosuch" found: no such container\n'])
  const badOption = await tspod(box, ['create', '--volumes-from', 'donor:rw,ro', 'busybox', 'true'])
  t.deepEqual([badOption.code, badOption.stderr], [125, 'Error: cannot set ro or rw options more than once\n'])
  t.is(await run(['ps', '-a', '--format', '{{.Names}}', '--sort', 'names']), 'donor\nreader\n')
})

test('a tmpfs mount starts with what the container has at its destination (tmpcopyup, Podman\'s default), with either runtime; notmpcopyup leaves it empty', async (t) => {
  const box = await sandboxWithImages(t)
  const run = async (args: string[]) => {
    const r = await tspod(box, args)
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }
  const script = 'grep -c "^root:" /etc/passwd; grep " /etc " /proc/mounts | cut -d" " -f3; stat -c "%u %a" /etc /etc/passwd'
  // the tmpfs root keeps its own mode, as crun leaves it; the files keep theirs
  const passwd = (await run(['run', '--rm', 'busybox', 'stat', '-c', '%u %a', '/etc/passwd'])).trim()
  t.is(await run(['run', '--rm', '--tmpfs', '/etc', 'busybox', 'sh', '-c', script]), `1\ntmpfs\n0 1777\n${passwd}\n`)
  t.is(await run(['--runtime', 'crun', 'run', '--rm', '--mount', 'type=tmpfs,dst=/etc', 'busybox', 'sh', '-c', script]), `1\ntmpfs\n0 1777\n${passwd}\n`)
  t.is(await run(['run', '--rm', '--tmpfs', '/etc:notmpcopyup', 'busybox', 'sh', '-c', 'test -e /etc/passwd && echo copied || echo empty']), 'empty\n')

  // what cp puts into a created container's dir is there once a tmpfs is mounted over it
  await run(['create', '--name', 'scratch', '--mount', 'type=tmpfs,dst=/tmp', 'busybox', 'sleep', '1000'])
  const file = path.join(box.dir, 'copied')
  fs.writeFileSync(file, 'from the host\n', {mode: 0o644})
  await run(['cp', file, 'scratch:/tmp'])
  await run(['start', 'scratch'])
  t.is(await run(['exec', 'scratch', 'cat', '/tmp/copied']), 'from the host\n')
  const twice = await tspod(box, ['run', '--rm', '--tmpfs', '/x:tmpcopyup,notmpcopyup', 'busybox', 'true'])
  t.deepEqual([twice.code, twice.stderr], [125, "Error: the 'tmpcopyup' or 'notmpcopyup' option can only be set once: duplicate mount option passed\n"])
})
