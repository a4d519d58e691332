// Podman's runtime-facing run flags through the CLI, as the rootless user: --preserve-fds,
// the global --runtime-flag, --image-volume (and containers.conf's image_volume_mode), and
// -l/--latest on the container verbs.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspod, tspodOk as ok} from '../helpers/rootless'

test('--preserve-fds: the caller\'s fds 3..3+N-1 reach the container, no others; one not passed is refused (125); -d creates nothing', async (t) => {
  const box = await sandboxWithImages(t)
  const file = path.join(box.dir, 'content')
  fs.writeFileSync(file, 'from fd 4\n', {mode: 0o644})
  const fds = [fs.openSync('/dev/null', 'r'), fs.openSync(file, 'r')]
  t.teardown(() => fds.forEach((fd) => fs.closeSync(fd)))
  const script = 'cat <&4; for fd in 3 4 5; do [ -e /proc/self/fd/$fd ] && echo has $fd; done; true'
  const passed = await tspod(box, ['run', '--rm', '--preserve-fds=2', 'busybox', 'sh', '-c', script], {extraFds: fds})
  t.is(passed.code, 0, passed.stderr)
  // fd 5 is the shell's own (the directory [ -e ] reads): only 3 and 4 came from outside
  t.regex(passed.stdout, /^from fd 4\nhas 3\nhas 4\n/)
  // without the flag the same fds stay out
  const closed = await tspod(box, ['run', '--rm', 'busybox', 'sh', '-c', '[ -e /proc/self/fd/4 ] && echo leaked; true'], {extraFds: fds})
  t.is(closed.stdout, '')

  const missing = await tspod(box, ['run', '--rm', '--preserve-fds=1', 'busybox', 'true'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: file descriptor 3 is not available - the preserve-fds option requires that all file descriptors must be passed\n')
  const detached = await tspod(box, ['run', '-d', '--preserve-fds=1', 'busybox', 'true'], {extraFds: fds})
  t.is(detached.code, 125)
  t.regex(detached.stderr, /^Error: --preserve-fds=1: .*foreground/)
  t.is(await ok(box, ['ps', '-aq']), '')
})

test('--runtime-flag: given to crun as --FLAG before its verb; tspod\'s own runtime takes none (126, nothing left)', async (t) => {
  const box = await sandboxWithImages(t)
  t.is(await ok(box, ['--runtime', 'crun', '--runtime-flag', 'debug', 'run', '--rm', 'busybox', 'echo', 'hi']), 'hi\n')
  const unknown = await tspod(box, ['--runtime', 'crun', '--runtime-flag', 'invalidflag', 'run', '--rm', 'busybox', 'true'])
  t.is(unknown.code, 126)
  t.regex(unknown.stderr, /unrecognized option '--invalidflag'/)
  t.regex(unknown.stderr, /Error: OCI runtime error: crun exited with status \d+ before it started the container/)

  const native = await tspod(box, ['--runtime-flag', 'invalidflag', 'run', '--rm', 'busybox', 'true'])
  t.is(native.code, 126)
  t.regex(native.stderr, /^Error: OCI runtime error: tspod: unrecognized runtime option '--invalidflag'/)
  t.is(await ok(box, ['ps', '-aq']), '')
})

test('--image-volume bind|tmpfs|ignore, and containers.conf image_volume_mode as its default', async (t) => {
  const box = await sandboxWithImages(t)
  const context = path.join(box.dir, 'ctx')
  fs.mkdirSync(context)
  fs.writeFileSync(path.join(context, 'Containerfile'), 'FROM localhost/busybox\nVOLUME /data\n')
  fs.chmodSync(context, 0o755)
  await ok(box, ['build', '-q', '-t', 'localhost/withvol', context])
  const fsType = (args: string[], env?: Record<string, string>) => tspod(box, ['run', '--rm', ...args, 'localhost/withvol', 'stat', '-f', '-c', '%T', '/data'], {env})

  const bind = await fsType([])
  t.is(bind.code, 0, bind.stderr)
  t.not(bind.stdout, 'tmpfs\n')
  t.is((await fsType(['--image-volume', 'tmpfs'])).stdout, 'tmpfs\n')
  const ignored = await fsType(['--image-volume', 'ignore'])
  t.is(ignored.code, 1)
  t.regex(ignored.stderr, /No such file or directory/)
  const bad = await fsType(['--image-volume', 'foo'])
  t.is(bad.code, 125)
  t.is(bad.stderr, 'Error: invalid image volume mode "foo" required value: bind, tmpfs, ignore\n')

  const conf = path.join(box.dir, 'tmpfs.conf')
  fs.writeFileSync(conf, '[engine]\nimage_volume_mode="tmpfs"\n', {mode: 0o644})
  t.is((await fsType([], {CONTAINERS_CONF: conf})).stdout, 'tmpfs\n')
  t.not((await fsType(['--image-volume', 'bind'], {CONTAINERS_CONF: conf})).stdout, 'tmpfs\n')
  t.is((await fsType(['--image-volume', 'ignore'], {CONTAINERS_CONF: conf})).code, 1)
})

test('-l/--latest: the container created last, for each verb; none is "no such container"; with names refused', async (t) => {
  const box = await sandboxWithImages(t)
  const none = await tspod(box, ['rm', '-l'])
  t.is(none.code, 1)
  t.is(none.stderr, 'Error: no such container\n')
  t.is((await tspod(box, ['stop', '-l'])).code, 125)

  await ok(box, ['create', '--name', 'older', 'busybox', 'true'])
  const id = (await ok(box, ['run', '-d', '--name', 'newer', '-p', '8080', 'busybox', 'sh', '-c', 'echo out; sleep 100'])).trim()
  t.is(await ok(box, ['exec', '-l', 'echo', 'in']), 'in\n')
  t.regex(await ok(box, ['top', '-l', 'args']), /sleep 100/)
  t.regex(await ok(box, ['port', '-l', '8080']), /^0\.0\.0\.0:\d+\n$/)
  t.is(await ok(box, ['logs', '-l']), 'out\n')
  t.is(await ok(box, ['stop', '-l', '-t', '0']), `${id}\n`)
  t.is(await ok(box, ['wait', '-l']), '137\n')
  t.is(await ok(box, ['container', 'inspect', '-l', '--format', '{{.Name}}']), 'newer\n')
  t.is(await ok(box, ['inspect', '-l', '--format', '{{.Name}}']), 'newer\n')
  const both = await tspod(box, ['rm', '-l', 'older'])
  t.is(both.code, 125)
  t.is(both.stderr, 'Error: --latest and containers cannot be used together\n')
  t.is(await ok(box, ['rm', '-l']), `${id}\n`)
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}']), 'older\n')
})

test('containers.conf [containers] userns is the --userns default; a container of its own namespace inspects as private', async (t) => {
  const box = await sandboxWithImages(t)
  const conf = path.join(box.dir, 'keep-id.conf')
  fs.writeFileSync(conf, '[containers]\nuserns="keep-id"\n', {mode: 0o644})
  const r = await tspod(box, ['run', '--rm', 'busybox', 'id', '-u'], {env: {CONTAINERS_CONF: conf}})
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, `${box.user.uid}\n`)
  await ok(box, ['create', '--name', 'own', '--userns=keep-id', 'busybox', 'true'])
  await ok(box, ['create', '--name', 'shared', 'busybox', 'true'])
  t.is(await ok(box, ['container', 'inspect', '--format', '{{.HostConfig.UsernsMode}}', 'own', 'shared']), 'private\n\n')
})

test('containers.conf [engine] runtime is the default runtime of run, create, build and info; --runtime overrides it; an unknown one is refused (125)', async (t) => {
  const box = await sandboxWithImages(t)
  const conf = (name: string, text: string): {CONTAINERS_CONF: string} => {
    const file = path.join(box.dir, name)
    fs.writeFileSync(file, text, {mode: 0o644})
    return {CONTAINERS_CONF: file}
  }
  const withCrun = conf('crun.conf', '[engine]\nruntime = "crun"\n')
  const run = async (args: string[], env: Record<string, string>) => {
    const r = await tspod(box, args, {env})
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }
  t.is(await run(['info', '--format', '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'], withCrun), 'crun /usr/bin/crun\n')
  t.is(await run(['run', '--name', 'byconf', 'busybox', 'echo', 'hi'], withCrun), 'hi\n')
  t.is(await ok(box, ['inspect', '--format', '{{.OCIRuntime}}', 'byconf']), 'crun\n')
  await run(['--runtime', 'tspod', 'create', '--name', 'native', 'busybox', 'true'], withCrun)
  t.is(await ok(box, ['inspect', '--format', '{{.OCIRuntime}}', 'native']), 'tspod\n')

  // a runtime by path is kept as given; [engine.runtimes] says where a name is
  const copy = path.join(box.dir, 'myruntime')
  fs.copyFileSync('/usr/bin/crun', copy)
  fs.chmodSync(copy, 0o755)
  await run(['--runtime', copy, 'create', '--name', 'bypath', 'busybox', 'true'], withCrun)
  t.is(await ok(box, ['inspect', '--format', '{{.OCIRuntime}}', 'bypath']), `${copy}\n`)
  const listed = conf('listed.conf', `[engine]\nruntime = "mine"\n[engine.runtimes]\nmine = ["${copy}"]\n`)
  t.is(await run(['info', '--format', '{{.Host.OCIRuntime.Path}}'], listed), `${copy}\n`)

  const missing = conf('missing.conf', '[engine]\nruntime = "idonotexist"\n')
  for (const args of [['run', '--rm', 'busybox', 'true'], ['create', 'busybox', 'true'], ['build', '-t', 'never', box.dir]]) {
    const r = await tspod(box, args, {env: missing})
    t.is(r.code, 125, args[0])
    t.is(r.stderr, 'Error: default OCI runtime "idonotexist" not found: invalid argument\n', args[0])
  }
  t.is(await ok(box, ['ps', '-a', '--format', '{{.Names}}', '--sort', 'names']), 'byconf\nbypath\nnative\n')
})

test('-w on a dir a volume or bind mount provides (not in the image) works with crun as natively; one nowhere is refused (126)', async (t) => {
  const box = await sandboxWithImages(t)
  const dir = path.join(box.dir, 'workdir-volume')
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, 'content'), 'in the volume\n', {mode: 0o644})
  fs.chownSync(dir, box.user.uid, box.user.gid)
  fs.chownSync(path.join(dir, 'content'), box.user.uid, box.user.gid)
  for (const runtime of ['crun', 'tspod']) {
    const r = await tspod(box, ['--runtime', runtime, 'run', '--rm', '-w', '/NotOnTheImage', '-v', `${dir}:/NotOnTheImage`, 'busybox', 'cat', 'content'])
    t.deepEqual([r.code, r.stdout], [0, 'in the volume\n'], `${runtime}: ${r.stderr}`)
    const above = await tspod(box, ['--runtime', runtime, 'run', '--rm', '-w', '/NotOnTheImage', '-v', `${path.join(dir, 'content')}:/NotOnTheImage/foo`, 'busybox', 'cat', 'foo'])
    t.deepEqual([above.code, above.stdout], [0, 'in the volume\n'], `${runtime}, a dir above a mount: ${above.stderr}`)
    const missing = await tspod(box, ['--runtime', runtime, 'run', '--rm', '-w', '/i/do/not/exist', 'busybox', 'pwd'])
    t.is(missing.code, 126, runtime)
    t.regex(missing.stderr, /^Error: workdir "\/i\/do\/not\/exist" does not exist on container/, runtime)
  }
})

test('with crun, a program that cannot run is one "Error: crun: …" line, not crun\'s echo of it too (127, 126)', async (t) => {
  const box = await sandboxWithImages(t)
  const missing = await tspod(box, ['--runtime', 'crun', 'run', '--rm', 'busybox', '/no/such/command'])
  t.is(missing.code, 127)
  t.regex(missing.stderr, /^Error: crun: executable file `\/no\/such\/command` not found in \$PATH: No such file or directory: [^\n]*\n$/)
  const dir = await tspod(box, ['--runtime', 'crun', 'run', '--rm', 'busybox', '/etc'])
  t.is(dir.code, 126)
  t.regex(dir.stderr, /^Error: crun: [^\n]*\n$/)
  const echoed = await tspod(box, ['--runtime', 'crun', 'run', '--rm', 'busybox', 'sh', '-c', 'echo "open executable: a line of its own" >&2; exit 3'])
  t.deepEqual([echoed.code, echoed.stderr], [3, 'open executable: a line of its own\n'], 'the same words from the container itself are kept')
})
