// run/create flags for scripts and systemd units, as the rootless user: --cidfile,
// --conmon-pidfile, --env-file through the installed command.
import test from 'ava'
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {TEST_USER, TSPOD_BIN, lookupUser, runAs, tspod} from '../helpers/rootless'

test('--cidfile: the id written without a newline; an existing file refused, 125; a failed create leaves none', async (t) => {
  const box = await sandboxWithImages(t)
  const cidFile = path.join(box.dir, 'cid')
  const r = await tspod(box, ['run', '-d', '--cidfile', cidFile, 'busybox', 'sleep', '100'])
  t.is(r.code, 0, r.stderr)
  t.is(fs.readFileSync(cidFile, 'utf8'), r.stdout.trim())
  t.is((await tspod(box, ['rm', '-f', '-t', '0', r.stdout.trim()])).code, 0)
  // the file stays after rm, and no second container may take it
  const again = await tspod(box, ['run', '--rm', '--cidfile', cidFile, 'busybox', 'true'])
  t.is(again.code, 125)
  t.is(again.stderr, `Error: container id file exists. Ensure another container is not using it or delete ${cidFile}\n`)
  const created = await tspod(box, ['create', '--cidfile', cidFile, 'busybox', 'true'])
  t.is(created.code, 125)
  t.regex(created.stderr, /^Error: container id file exists/)
  t.is((await tspod(box, ['ps', '-aq'])).stdout, '')

  const noDir = path.join(box.dir, 'nodir', 'cid')
  const bad = await tspod(box, ['create', '--cidfile', noDir, 'busybox', 'true'])
  t.is(bad.code, 125)
  t.is(bad.stderr, `Error: opening cidfile ${noDir}: no such file or directory\n`)

  const failed = path.join(box.dir, 'cid-failed')
  const badName = await tspod(box, ['create', '--cidfile', failed, '--name', 'no/slash', 'busybox', 'true'])
  t.is(badName.code, 125)
  t.false(fs.existsSync(failed))

  const fromCreate = path.join(box.dir, 'cid-create')
  const c = await tspod(box, ['create', '--cidfile', fromCreate, 'busybox', 'true'])
  t.is(c.code, 0, c.stderr)
  t.is(fs.readFileSync(fromCreate, 'utf8'), c.stdout.trim())
})

test('--conmon-pidfile: the monitor of a detached container (its ConmonPid), the waiting tspod of a foreground run', async (t) => {
  const box = await sandboxWithImages(t)
  const pidFile = path.join(box.dir, 'pid')
  const r = await tspod(box, ['run', '-d', '--name', 'bg', '--conmon-pidfile', pidFile, 'busybox', 'sleep', '100'])
  t.is(r.code, 0, r.stderr)
  const pid = fs.readFileSync(pidFile, 'utf8')
  t.regex(pid, /^\d+$/)
  const inspect = await tspod(box, ['inspect', '--format', '{{.State.ConmonPid}} {{.ConmonPidFile}}', 'bg'])
  t.is(inspect.stdout, `${pid} ${pidFile}\n`)
  t.regex(fs.readlinkSync(`/proc/${pid}/exe`), /\/conmon$/)
  t.is((await tspod(box, ['rm', '-f', '-t', '0', 'bg'])).code, 0)

  // a foreground run: the pid is the tspod process that waits (the container's parent's parent at most)
  const fg = path.join(box.dir, 'pid-fg')
  const run = await tspod(box, ['run', '--rm', '--conmon-pidfile', fg, 'busybox', 'true'])
  t.is(run.code, 0, run.stderr)
  t.regex(fs.readFileSync(fg, 'utf8'), /^\d+$/)
  t.false(fs.existsSync(`/proc/${fs.readFileSync(fg, 'utf8')}`))

  // a directory that is not there: the container cannot run (126, as Podman)
  const noDir = path.join(box.dir, 'nodir', 'pid')
  const bad = await tspod(box, ['run', '--rm', '--conmon-pidfile', noDir, 'busybox', 'true'])
  t.is(bad.code, 126)
  t.regex(bad.stderr, /^Error: writing the monitor's pid file .*nodir\/pid: .*--conmon-pidfile/)
  t.is((await tspod(box, ['ps', '-aq'])).stdout, '')
})

test('--rmi: the image removed after the run, unless a container still uses it (an error line, the exit code the container\'s)', async (t) => {
  const box = await sandboxWithImages(t)
  const ok = async (args: string[]) => {
    const r = await tspod(box, args)
    t.is(r.code, 0, r.stderr)
    return r.stdout
  }
  // an image with one name: removing it deletes it
  await ok(['run', '--name', 'keep', 'localhost/multi', 'true'])
  const inUse = await tspod(box, ['run', '--rmi', '--rm', 'localhost/multi', 'sh', '-c', 'exit 3'])
  t.is(inUse.code, 3)
  t.regex(inUse.stderr, /^ERRO\[0000\] image used by [0-9a-f]{64}: image is in use by a container: consider listing external containers and force-removing image\n$/)
  t.is((await tspod(box, ['image', 'exists', 'localhost/multi'])).code, 0)
  await ok(['rm', 'keep'])
  // without --rm the container stays, so the image does too (Podman 4.3)
  const kept = await tspod(box, ['run', '--rmi', '--name', 'stays', 'localhost/multi', 'true'])
  t.is(kept.code, 0)
  t.regex(kept.stderr, /image is in use by a container/)
  await ok(['rm', 'stays'])
  // -d: ignored
  const id = (await ok(['run', '--rmi', '--rm', '-d', 'localhost/multi', 'true'])).trim()
  await tspod(box, ['wait', id])
  t.is((await tspod(box, ['image', 'exists', 'localhost/multi'])).code, 0)
  const last = await tspod(box, ['run', '--rmi', '--rm', 'localhost/multi', 'true'])
  t.is(last.code, 0, last.stderr)
  t.is(last.stderr, '')
  t.is((await tspod(box, ['image', 'exists', 'localhost/multi'])).code, 1)
  t.is((await tspod(box, ['ps', '-aq'])).stdout, '')
})

test('run -d that cannot start (its port taken): 126; the container stays without --rm, is gone with it', async (t) => {
  const box = await sandboxWithImages(t)
  const port = String(20000 + Math.floor(Math.random() * 20000))
  const first = await tspod(box, ['run', '-p', `${port}:80`, '--rm', '-d', '--name', 'holds', 'busybox', 'sleep', '100'])
  t.is(first.code, 0, first.stderr)
  const noRm = await tspod(box, ['run', '-p', `${port}:80`, '-d', '--name', 'failed-kept', 'busybox', 'sleep', '100'])
  t.is(noRm.code, 126, noRm.stderr)
  t.regex(noRm.stderr, /^Error: .*\n$/)
  const withRm = await tspod(box, ['run', '-p', `${port}:80`, '--rm', '-d', '--name', 'failed-gone', 'busybox', 'sleep', '100'])
  t.is(withRm.code, 126, withRm.stderr)
  const foreground = await tspod(box, ['run', '-p', `${port}:80`, '--rm', '--name', 'failed-fg', 'busybox', 'true'])
  t.is(foreground.code, 126, foreground.stderr)
  const ps = await tspod(box, ['ps', '-a', '--format', '{{.Names}} {{.Status}}'])
  t.regex(ps.stdout.split('\n').sort().join('\n'), /^\nfailed-kept Created\nholds Up .*$/, ps.stderr)
  const rm = await tspod(box, ['rm', '-f', '-t', '0', 'holds', 'failed-kept'])
  t.is(rm.code, 0, rm.stderr)
  t.is(rm.stdout, 'holds\nfailed-kept\n')
})

test('--tz: the zone file (or the host\'s /etc/localtime for local) bound at /etc/localtime, TZ unset; the last --tz wins; a zone not there is 125', async (t) => {
  const box = await sandboxWithImages(t)
  const at = '@1600000000'
  const date = async (args: string[]) => {
    const r = await tspod(box, ['run', '--rm', ...args, 'busybox', 'sh', '-c', `echo "TZ=$TZ"; date -d ${at}`])
    t.is(r.code, 0, r.stderr)
    return r.stdout
  }
  t.is(await date([]), 'TZ=\nSun Sep 13 12:26:40 UTC 2020\n')
  t.is(await date(['--tz', 'Iceland', '--tz', 'MST7MDT']), 'TZ=\nSun Sep 13 06:26:40 MDT 2020\n')
  t.is(await date(['--tz', 'Asia/Kolkata']), 'TZ=\nSun Sep 13 17:56:40 IST 2020\n')
  const local = await tspod(box, ['run', '--rm', '--tz', 'local', 'busybox', 'md5sum', '/etc/localtime'])
  t.is(local.code, 0, local.stderr)
  t.is(local.stdout, `${crypto.createHash('md5').update(fs.readFileSync('/etc/localtime')).digest('hex')}  /etc/localtime\n`)

  const missing = await tspod(box, ['run', '--rm', '--tz', 'Nope/Zone', 'busybox', 'true'])
  t.is(missing.code, 125)
  t.regex(missing.stderr, /^Error: running container create option: stat \/usr\/share\/zoneinfo\/Nope\/Zone: no such file or directory: --tz takes [^\n]*\n$/)
  const outside = await tspod(box, ['create', '--tz', '../../../etc/passwd', 'busybox', 'true'])
  t.is(outside.code, 125)
  t.regex(outside.stderr, /^Error: --tz \.\.\/\.\.\/\.\.\/etc\/passwd: a zone is a name under \/usr\/share\/zoneinfo/)
  t.is((await tspod(box, ['ps', '-aq'])).stdout, '')
})

test('--timeout: the container killed once its seconds have passed, exit code -1 (255 from run), foreground and detached', async (t) => {
  const box = await sandboxWithImages(t)
  const fg = await tspod(box, ['run', '--name', 'fg', '--timeout', '1', 'busybox', 'sleep', '60'])
  t.is(fg.code, 255, fg.stderr)
  t.is((await tspod(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'fg'])).stdout, 'exited -1\n')
  const quick = await tspod(box, ['run', '--rm', '--timeout', '5', 'busybox', 'echo', 'done'])
  t.is(quick.code, 0, quick.stderr)
  t.is(quick.stdout, 'done\n')

  const bg = await tspod(box, ['run', '-d', '--name', 'bg', '--timeout', '1', 'busybox', 'sleep', '60'])
  t.is(bg.code, 0, bg.stderr)
  const waited = await tspod(box, ['wait', 'bg'])
  t.is(waited.stdout, '-1\n', waited.stderr)
  t.is((await tspod(box, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'bg'])).stdout, 'exited -1\n')

  const bad = await tspod(box, ['run', '--rm', '--timeout', '-1', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: .*--timeout/)
  t.is((await tspod(box, ['rm', 'fg', 'bg'])).code, 0)
})

test('--noout: tspod\'s own output gone, a container\'s output kept; stop -t warns when its signal was not enough', async (t) => {
  const box = await sandboxWithImages(t)
  const quiet = async (args: string[], stdout = '') => {
    const r = await tspod(box, ['--noout', ...args])
    t.is(r.code, 0, r.stderr)
    t.is(r.stdout, stdout, args.join(' '))
  }
  await quiet(['create', '--name', 'c', 'busybox', 'echo', 'hi'])
  await quiet(['run', '-d', '--name', 'd', 'busybox', 'echo', 'hi'])
  await quiet(['images'])
  await quiet(['run', '--rm', 'busybox', 'echo', 'from the container'], 'from the container\n')
  await quiet(['run', '--name', 'logged', 'busybox', 'echo', 'logged too'], 'logged too\n')
  await quiet(['wait', 'd'])
  await quiet(['rm', 'c', 'd', 'logged'])

  // sh as pid 1 ignores SIGTERM: after 1 s, SIGKILL and Podman's warning
  const id = (await tspod(box, ['run', '-d', '--name', 'stubborn', 'busybox', 'sleep', '100'])).stdout.trim()
  t.regex(id, /^[0-9a-f]{64}$/)
  const stop = await tspod(box, ['stop', '-t', '1', 'stubborn'])
  t.is(stop.code, 0, stop.stderr)
  t.is(stop.stdout, 'stubborn\n')
  t.is(stop.stderr, 'WARN[0000] StopSignal SIGTERM failed to stop container stubborn in 1 seconds, resorting to SIGKILL\n')
  await tspod(box, ['start', 'stubborn'])
  const all = await tspod(box, ['--noout', 'stop', '--all', '-t', '0'])
  t.is(all.code, 0, all.stderr)
  t.is(all.stdout, '')
  t.is(all.stderr, '')
  t.is((await tspod(box, ['ps', '-q'])).stdout, '')
})

test('--env-file through the tspod command itself (its #! line): the file is tspod\'s to read, a missing one is 125', async (t) => {
  const box = await sandboxWithImages(t)
  const asInstalled = (args: string[]) => runAs(box.user, [TSPOD_BIN, ...args], {env: box.env})
  const envFile = path.join(box.dir, 'vars')
  fs.writeFileSync(envFile, 'FROM_FILE=yes\n', {mode: 0o644})
  const r = await asInstalled(['run', '--rm', '--env-file', envFile, 'busybox', 'sh', '-c', 'echo $FROM_FILE'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'yes\n')
  const missing = path.join(box.dir, 'no-such-vars')
  const bad = await asInstalled(['create', '--env-file', missing, 'busybox'])
  t.is(bad.code, 125)
  t.is(bad.stderr, `Error: parsing file "${missing}": open ${missing}: no such file or directory\n`)
})

test('--attach stdin: no output shown, the container ID printed, the output still logged; a bad stream is 125', async (t) => {
  const box = await sandboxWithImages(t)
  const r = await tspod(box, ['run', '--name', 'att', '--attach', 'stdin', 'busybox', 'echo', 'hello'])
  t.is(r.code, 0, r.stderr)
  const id = (await tspod(box, ['inspect', '--format', '{{.Id}}', 'att'])).stdout
  t.is(r.stdout, id)
  t.is((await tspod(box, ['logs', 'att'])).stdout, 'hello\n')
  const errOnly = await tspod(box, ['run', '--rm', '-a', 'stderr', 'busybox', 'sh', '-c', 'echo out; echo err >&2'])
  t.is(errOnly.stdout, '')
  t.is(errOnly.stderr, 'err\n')
  const bad = await tspod(box, ['run', '--rm', '-a', 'stdfoo', 'busybox', 'true'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: invalid stream "stdfoo" for --attach - must be one of stdin, stdout, or stderr: invalid argument\n')
})

test('--hostuser: the host user (by name or uid) in /etc/passwd; an unknown one fails the run with 126', async (t) => {
  const box = await sandboxWithImages(t)
  const me = lookupUser(TEST_USER)
  for (const who of [TEST_USER, String(me.uid)]) {
    const r = await tspod(box, ['run', '--rm', '--hostuser', who, 'busybox', 'grep', `^${TEST_USER}:`, '/etc/passwd'])
    t.is(r.code, 0, r.stderr)
    t.is(r.stdout, `${TEST_USER}:*:${me.uid}:${me.gid}::/:/bin/sh\n`)
  }
  t.is((await tspod(box, ['run', '--rm', 'busybox', 'grep', TEST_USER, '/etc/passwd'])).code, 1)
  const bogus = await tspod(box, ['run', '--rm', '--hostuser', 'bogus', 'busybox', 'true'])
  t.is(bogus.code, 126)
  t.is(bogus.stderr, 'Error: creating temporary passwd file: user: unknown user bogus\n')
})

test('--kernel-memory is a warned no-op; -p with --net=host is discarded with Podman\'s warning', async (t) => {
  const box = await sandboxWithImages(t)
  const km = await tspod(box, ['run', '--rm', '--kernel-memory', '100', 'busybox', 'echo', 'hi'])
  t.is(km.code, 0, km.stderr)
  t.is(km.stdout, 'hi\n')
  t.regex(km.stderr, /The --kernel-memory flag is no longer supported\. This flag is a noop\.\n$/)
  const host = await tspod(box, ['run', '--rm', '-p', '8080', '--net=host', 'busybox', 'echo', 'hi'])
  t.is(host.code, 0, host.stderr)
  t.is(host.stdout, 'hi\n')
  t.is(host.stderr, 'Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use\n')
})

test('--mount type=tmpfs and type=bind,ro; --privileged: all the user\'s capabilities, no seccomp, /run/.containerenv names the container', async (t) => {
  const box = await sandboxWithImages(t)
  const m = await tspod(box, ['run', '--rm', '--mount', 'type=tmpfs,dst=/scratch', '--mount', 'type=bind,src=/etc,dst=/hostetc,ro', 'busybox', 'sh', '-c', 'grep -c " /scratch tmpfs " /proc/mounts; touch /hostetc/x'])
  t.is(m.code, 1)
  t.is(m.stdout, '1\n')
  t.regex(m.stderr, /Read-only file system/)
  const p = await tspod(box, ['run', '--rm', '--privileged', '--name', 'priv', 'busybox', 'sh', '-c', '. /run/.containerenv; echo $name $image $rootless; grep Seccomp: /proc/self/status'])
  t.is(p.code, 0, p.stderr)
  t.is(p.stdout, 'priv localhost/busybox:latest 1\nSeccomp:\t0\n')
  const plain = await tspod(box, ['run', '--rm', 'busybox', 'sh', '-c', 'stat -c %s /run/.containerenv; grep Seccomp: /proc/self/status'])
  t.is(plain.stdout, '0\nSeccomp:\t2\n')
})
