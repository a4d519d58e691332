// tspod run, as the rootless user, from images built locally and loaded into the sandbox.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {graphRoot, leftovers, sandboxWithImages} from '../helpers/image-sandbox'
import {busyboxImage, writeOciArchive} from '../helpers/oci-image'
import {SUPP_GROUP, TEST_USER, TSPOD_BIN, groupId, lookupUser, removeTree, runAs, sandbox, tspod} from '../helpers/rootless'

const withImages = sandboxWithImages

function subRange(name: string): string {
  const line = fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))!
  const [, start, count] = line.split(':')
  return `1 ${start} ${count}`
}

test('run: root in the container, the subuid range mapped, setgroups allow, nothing left behind', async (t) => {
  const box = await withImages(t)
  const r = await tspod(box, ['run', '--rm', 'busybox', 'sh', '-c', 'id; cat /proc/self/uid_map; cat /proc/self/setgroups; echo $container'])
  t.is(r.code, 0, r.stderr)
  const lines = r.stdout.trim().split('\n')
  t.is(lines[0], 'uid=0(root) gid=0(root)')
  t.is(lines[1].trim().split(/\s+/).join(' '), `0 ${box.user.uid} 1`)
  t.is(lines[2].trim().split(/\s+/).join(' '), subRange(TEST_USER))
  t.is(lines[3], 'allow')
  t.is(lines[4], 'oci')
  t.deepEqual(leftovers(box), [])
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'overlay')).length, 3)
})

test('run: --user 1234 keeps -e TEST=here and the image env (field note 4)', async (t) => {
  const box = await withImages(t)
  const r = await tspod(box, ['run', '--user', '1234', '-e', 'TEST=here', 'busybox', 'sh', '-c', 'id -u; id -g; echo $TEST $container $PATH'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, '1234\n1234\nhere oci /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n')
})

test('run: exit codes are the container\'s, 127 not found, 126 cannot run, 125 tspod', async (t) => {
  const box = await withImages(t)
  t.is((await tspod(box, ['run', 'busybox', 'sh', '-c', 'exit 32'])).code, 32)
  const missing = await tspod(box, ['run', 'busybox', '/no/such/command'])
  t.is(missing.code, 127)
  t.regex(missing.stderr, /^Error: .*\/no\/such\/command.*[Nn]o such file or directory\n$/)
  const dir = await tspod(box, ['run', 'busybox', '/etc'])
  t.is(dir.code, 126)
  t.is(dir.stderr, 'Error: exec `/etc`: permission denied\n')
  // The container's command is pid 1, which its own SIGKILL does not end (as with crun); a
  // child killed by a signal gives its shell 128+9.
  const workdir = await tspod(box, ['run', '--workdir', '/i/do/not/exist', 'busybox', 'true'])
  t.is(workdir.code, 126)
  t.is(workdir.stderr, 'Error: workdir "/i/do/not/exist" does not exist on container\n')
  const killed = await tspod(box, ['run', 'busybox', 'sh', '-c', 'sh -c "kill -9 \\$\\$"; exit $?'])
  t.is(killed.code, 137)
  const bad = await tspod(box, ['run', '--cap-add', 'CAP_NOPE', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: [^\n]*unknown capability[^\n]*\n$/)
  const noimage = await tspod(box, ['run', 'localhost/nothere', 'true'])
  t.is(noimage.code, 125)
  t.deepEqual(leftovers(box), [])
})

test('run: whiteouts and opaque dirs are honoured through the merged rootfs', async (t) => {
  const box = await withImages(t)
  const r = await tspod(box, ['run', 'multi', 'sh', '-c', 'ls /data; echo --; ls /opq; stat -c %u:%g /data/user-owned.txt'])
  t.is(r.code, 0, r.stderr)
  const [data, opq] = r.stdout.split('--\n')
  t.false(data.split('\n').includes('gone.txt'))
  t.true(data.split('\n').includes('keep.txt'))
  t.deepEqual(opq.trim().split('\n').slice(0, -1), ['upper.txt'])
  t.is(opq.trim().split('\n').at(-1), '1234:1234')
})

test('run: a root:group 0640 file in a volume is readable with keep-groups only', async (t) => {
  const box = await withImages(t)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-vol-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  fs.chmodSync(dir, 0o755)
  fs.writeFileSync(path.join(dir, 'secret'), 'group data\n')
  fs.chownSync(path.join(dir, 'secret'), 0, groupId(SUPP_GROUP))
  fs.chmodSync(path.join(dir, 'secret'), 0o640)
  const kept = await tspod(box, ['run', '--group-add', 'keep-groups', '-v', `${dir}:/data:ro`, 'busybox', 'cat', '/data/secret'])
  t.is(kept.code, 0, kept.stderr)
  t.is(kept.stdout, 'group data\n')
  const dropped = await tspod(box, ['run', '-v', `${dir}:/data:ro`, 'busybox', 'cat', '/data/secret'])
  t.is(dropped.code, 1)
  t.regex(dropped.stderr, /Permission denied/)
  const mixed = await tspod(box, ['run', '--group-add', 'keep-groups', '--group-add', '10', 'busybox', 'true'])
  t.is(mixed.code, 125)
  t.regex(mixed.stderr, /keep-groups/)
})

test('run: a store under a root:group 0750 dir held only as a supplementary group works without keep-groups (field note 1)', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  const parent = fs.mkdtempSync(path.join('/var/tmp', 'tspod-sg-'))
  t.teardown(() => {
    removeTree(parent)
    removeTree(box.dir)
  })
  fs.chownSync(parent, 0, groupId(SUPP_GROUP))
  fs.chmodSync(parent, 0o750)
  const store = path.join(parent, 'store')
  fs.mkdirSync(store, {mode: 0o700})
  fs.chownSync(store, box.user.uid, box.user.gid)
  const archive = path.join(box.dir, 'busybox.tar')
  await writeOciArchive(archive, [{image: await busyboxImage(), ref: 'localhost/busybox:latest'}])
  fs.chmodSync(archive, 0o644)
  const root = ['--root', path.join(store, 'graph'), '--runroot', path.join(store, 'run')]
  t.is((await tspod(box, [...root, 'load', '-q', '-i', archive])).code, 0)
  const r = await tspod(box, [...root, 'run', 'busybox', 'sh', '-c', 'id -G; echo ok'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, '0\nok\n')
  // run says so, names the dir and its group, and gives both fixes
  t.regex(r.stderr, new RegExp(`WARN\\[0000\\] .*${parent}.*${SUPP_GROUP}.*this run works.*--group-add=keep-groups`))
  const doctor = await tspod(box, [...root, 'doctor', '--check', 'store-paths'])
  t.regex(doctor.stdout, new RegExp(`WARN .*${parent}.*${SUPP_GROUP}`))
})

test('run -t gives the container a terminal of its own, sized like ours; -i feeds it our input', async (t) => {
  const box = await withImages(t)
  const tspodCmd = `${process.execPath} ${TSPOD_BIN}`
  const sized = await runAs(box.user, ['script', '-qec', `stty rows 33 cols 101; ${tspodCmd} run -t busybox sh -c 'tty; stty size; exit 5'`, '/dev/null'], {env: box.env})
  t.is(sized.code, 5, sized.stderr)
  t.deepEqual(sized.stdout.replace(/\r/g, '').trim().split('\n'), ['/dev/pts/0', '33 101'])
  const interactive = await runAs(box.user, ['script', '-qec', `${tspodCmd} run -it busybox sh`, '/dev/null'], {env: box.env, input: 'echo hello-in\nexit 7\n'})
  t.is(interactive.code, 7, interactive.stderr)
  t.regex(interactive.stdout.replace(/\r/g, ''), /\nhello-in\n/)
})

test('rmi refuses an image a container uses (exit 2), even a stopped one; rmi -f removes the container first', async (t) => {
  const box = await withImages(t)
  const run = await tspod(box, ['run', '--name', 'user1', 'busybox', 'true'])
  t.is(run.code, 0, run.stderr)
  const refused = await tspod(box, ['rmi', 'busybox'])
  t.is(refused.code, 2)
  t.regex(refused.stderr, /^Error: image used by [0-9a-f]{64}: image is in use by a container/)
  const forced = await tspod(box, ['rmi', '-f', 'busybox'])
  t.is(forced.code, 0, forced.stderr)
  t.is((await tspod(box, ['container', 'exists', 'user1'])).code, 1)
  t.deepEqual(leftovers(box), [])
})

test('run: a piped stdin goes to the container, never into the arguments', async (t) => {
  const box = await withImages(t)
  // no command: the image's shell reads the script from stdin
  const script = await tspod(box, ['run', '--rm', '-i', 'busybox'], {input: 'echo hi\n'})
  t.is(script.code, 0, script.stderr)
  t.is(script.stdout, 'hi\n')
  // a missing image argument is an error, not the first line of stdin
  const missing = await tspod(box, ['run', '--rm'], {input: 'busybox\n'})
  t.is(missing.code, 125)
  t.regex(missing.stderr, /^Error: /)
  t.notRegex(missing.stderr, /busybox/)
})

test('run: the command keeps every argument in its place, one equal to the image name too', async (t) => {
  const box = await withImages(t)
  const r = await tspod(box, ['run', '--rm', 'busybox', 'echo', 'x', 'busybox', 'y', 'busybox'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'x busybox y busybox\n')
})

test('run: /run/.containerenv is there and empty, TERM=xterm by default; --unsetenv and --unsetenv-all leave defaults out', async (t) => {
  const box = await withImages(t)
  const r = await tspod(box, ['run', '--rm', 'busybox', 'sh', '-c', "stat -c '%s %a %u' /run/.containerenv; echo $TERM"])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, '0 644 0\nxterm\n')
  const readOnly = await tspod(box, ['run', '--rm', '--read-only', 'busybox', 'stat', '-c', '%s', '/run/.containerenv'])
  t.is(readOnly.stdout, '0\n', readOnly.stderr)
  const unset = await tspod(box, ['run', '--rm', '--unsetenv', 'TERM', '--unsetenv', 'container', 'busybox', 'sh', '-c', 'echo "${TERM-none} ${container-none}"'])
  t.is(unset.stdout, 'none none\n', unset.stderr)
  const all = await tspod(box, ['run', '--rm', '--unsetenv-all', '-e', 'TERM=abc', '-e', 'PATH=/bin', 'busybox', 'sh', '-c', 'echo "$TERM ${container-none}"'])
  t.is(all.stdout, 'abc none\n', all.stderr)
})
