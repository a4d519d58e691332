// `tspod build` end to end as the rootless user: the steps as Podman prints them, RUN as a
// rootless container, COPY with --chown and ignore files, the layer cache (hits, a changed file
// reruns from its COPY down), multi-stage with --target, a failing RUN's exit code.
import test from 'ava'
import {execFileSync, spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type {AddressInfo} from 'node:net'
import * as path from 'node:path'

import {leftovers, sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, tspod, tspodOkResult as ok} from '../helpers/rootless'

function context(box: Sandbox, files: Record<string, string>): string {
  const dir = path.join(box.dir, `ctx-${Math.random().toString(36).slice(2)}`)
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    fs.writeFileSync(path.join(dir, name), text)
  }
  fs.chmodSync(dir, 0o755)
  for (const f of fs.readdirSync(dir, {recursive: true}) as string[]) fs.chmodSync(path.join(dir, f), fs.statSync(path.join(dir, f)).isDirectory() ? 0o755 : 0o644)
  return dir
}

test('steps, RUN, COPY --chown, ENV/WORKDIR/CMD; a rebuild takes every step from the cache; a changed file reruns from its COPY', async (t) => {
  const box = await sandboxWithImages(t)
  const ctx = context(box, {
    Containerfile: 'FROM busybox\nARG WHO=world\nRUN echo hello $WHO > /greeting && rm /etc/group\nWORKDIR /app\nCOPY --chown=1234:1234 *.txt ./\nENV K=v\nCMD ["cat", "/greeting", "/app/a.txt"]\n',
    'a.txt': 'A\n',
    'skip.txt': 'S\n',
    '.containerignore': 'skip.txt\n',
  })
  const first = await ok(box, ['build', '-t', 'b1', '--build-arg', 'WHO=you', ctx])
  t.regex(first.stdout, /^STEP 1\/7: FROM busybox\nSTEP 2\/7: ARG WHO=world\n--> [0-9a-f]{11}\nSTEP 3\/7: RUN echo hello \$WHO > \/greeting && rm \/etc\/group\n--> [0-9a-f]{11}\n/)
  t.regex(first.stdout, /COMMIT b1\n--> [0-9a-f]{11}\nSuccessfully tagged localhost\/b1:latest\n[0-9a-f]{64}\n$/)
  t.is((await ok(box, ['run', '--rm', 'b1'])).stdout, 'hello you\nA\n')
  t.is((await ok(box, ['run', '--rm', 'b1', 'sh', '-c', 'stat -c %u:%g /app/a.txt; ls /app; pwd; echo $K; ls /etc/group 2>&1 || true'])).stdout, '1234:1234\na.txt\n/app\nv\nls: /etc/group: No such file or directory\n')

  // a boolean flag's value as Go's ParseBool reads it
  const again = await ok(box, ['build', '--layers=T', '-t', 'b1', '--build-arg', 'WHO=you', ctx])
  t.is(again.stdout.match(/--> Using cache/g)?.length, 6)
  t.is(again.stdout.trim().split('\n').at(-1), first.stdout.trim().split('\n').at(-1))

  fs.writeFileSync(path.join(ctx, 'a.txt'), 'changed\n')
  const changed = await ok(box, ['build', '-q', '-t', 'b1', '--build-arg', 'WHO=you', ctx])
  t.regex(changed.stdout, /^[0-9a-f]{64}\n$/)
  t.is((await ok(box, ['run', '--rm', 'b1'])).stdout, 'hello you\nchanged\n')

  // the steps' images: intermediate ones (unnamed, with images made from them) only with -a; the
  // first b1, untagged by the rebuild, is dangling and shown
  const listed = async (...args: string[]) => (await ok(box, ['images', ...args, '--format', '{{.Repository}}:{{.Tag}}'])).stdout.trim().split('\n').sort()
  t.deepEqual(await listed(), ['<none>:<none>', 'localhost/b1:latest', 'localhost/busybox:latest', 'localhost/multi:latest'])
  t.is((await listed('-a')).length, 4 + 7)
  t.is((await listed('-a', '--filter', 'intermediate=true')).length, 7)
  // rmi takes the parents only the new b1 needed (its COPY and ENV steps), then stops at one the first b1 still needs
  const rmi = await ok(box, ['rmi', 'b1'])
  t.regex(rmi.stdout, /^Untagged: localhost\/b1:latest\n(Deleted: [0-9a-f]{64}\n){3}$/)
  t.is((await listed('-a')).length, 4 + 7 - 3)
  // prune: the dangling first b1, then each parent it leaves dangling, down to busybox
  await ok(box, ['image', 'prune', '-f'])
  t.deepEqual(await listed('-a'), ['localhost/busybox:latest', 'localhost/multi:latest'])
})

test('multi-stage with COPY --from and --target; RUN --mount from= and cache options; --ulimit, --security-opt; --iidfile, --label, -f', async (t) => {
  const box = await sandboxWithImages(t)
  const ctx = context(box, {
    'build.df': [
      'FROM busybox AS one',
      'RUN echo built > /out',
      'FROM busybox AS two',
      'COPY --from=one /out /copied',
      // RUN --mount from a stage and from an image; a new cache dir's owner and mode, locked
      'RUN --mount=type=bind,from=one,source=/out,target=/m/out --mount=type=bind,from=busybox,source=/etc,target=/be --mount=type=cache,target=/c,uid=1000,gid=1001,mode=0750,sharing=locked cat /m/out > /fromone && ls /be/passwd >> /fromone && stat -c %u:%g:%a /c >> /fromone && echo $(ulimit -n):$(ulimit -Hn) >> /fromone && grep -c "^Seccomp:.0" /proc/self/status >> /fromone',
      'FROM two',
      'RUN cat /copied',
      '',
    ].join('\n'),
  })
  const iid = path.join(box.dir, 'iid')
  await ok(box, ['build', '--ulimit', 'nofile=101:102', '--security-opt', 'seccomp=unconfined', '-f', path.join(ctx, 'build.df'), '--target', 'two', '--label', 'x=y', '--iidfile', iid, '-t', 'ms', ctx])
  t.regex(fs.readFileSync(iid, 'utf8'), /^sha256:[0-9a-f]{64}$/)
  t.is((await ok(box, ['run', '--rm', 'ms', 'sh', '-c', 'cat /copied /fromone; ls -d /m /be /c 2>&1 | wc -l'])).stdout, 'built\nbuilt\n/be/passwd\n1000:1001:750\n101:102\n1\n3\n')
  const inspect = JSON.parse((await ok(box, ['image', 'inspect', 'ms'])).stdout)[0]
  t.is(inspect.Config.Labels.x, 'y')
  t.deepEqual(leftovers(box), [])
})

test('a failing RUN exits with the command\'s code and tags nothing; bad inputs; a git repository as the context', async (t) => {
  const box = await sandboxWithImages(t)
  const ctx = context(box, {Containerfile: 'FROM busybox\nRUN exit 3\n'})
  const r = await tspod(box, ['build', '-t', 'fails', ctx])
  t.is(r.code, 3)
  t.regex(r.stderr, /Error: building at STEP "RUN exit 3": while running runtime: exit status 3/)
  t.is((await tspod(box, ['image', 'exists', 'fails'])).code, 1)
  t.is((await ok(box, ['ps', '-aq'])).stdout, '')
  const bad = await tspod(box, ['build', context(box, {Containerfile: 'FROM busybox\nBOGUS\n'})])
  t.is(bad.code, 125)
  // --ignorefile's patterns instead of the context's (a source it leaves out is missing); --pull-never
  const ignoring = context(box, {Containerfile: 'FROM busybox\nCOPY a.txt /\n', 'a.txt': 'A', '.containerignore': 'other\n', 'mine': 'a.txt\n'})
  const ignored = await tspod(box, ['build', '--pull-never', '--ignorefile', path.join(ignoring, 'mine'), ignoring])
  t.is(ignored.code, 125)
  t.regex(ignored.stderr, /Error: building at STEP "COPY a.txt \/": .*"\/a.txt": no such file or directory/)
  const both = await tspod(box, ['build', '--pull', 'never', '--pull-never', ignoring])
  t.is(both.code, 125)
  t.regex(both.stderr, /Error: can only set one of 'pull' or 'pull-always' or 'pull-never'/)
  const missing = await tspod(box, ['build', '--pull-never', context(box, {Containerfile: 'FROM localhost/nosuchimage:nosuchtag\n'})])
  t.is(missing.code, 125)
  t.regex(missing.stderr, /^Error: creating build container: localhost\/nosuchimage:nosuchtag: image not known$/m)
  const noAuth = await tspod(box, ['build', '--authfile', '/nonexistent/auth.json', ignoring])
  t.is(noAuth.code, 125)
  t.regex(noAuth.stderr, /^Error: checking authfile: stat \/nonexistent\/auth.json: no such file or directory$/m)
  const noFile = await tspod(box, ['build', context(box, {other: ''})])
  t.regex(noFile.stderr, /^Error: stat \/.*\/Dockerfile: no such file or directory$/m)

  // git://HOST/REPO#REF:SUBDIR, fetched from a local git daemon
  const repos = path.join(box.dir, 'repos')
  const repo = context(box, {'sub/Containerfile': 'FROM busybox\nCOPY hello /hello\n', 'sub/hello': 'from-git\n'})
  fs.mkdirSync(repos, {mode: 0o755})
  const git = (args: string[], cwd: string) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], {cwd, stdio: 'ignore'})
  git(['init', '-q', '-b', 'main', '.'], repo)
  git(['add', '.'], repo)
  git(['commit', '-qm', 'one'], repo)
  fs.renameSync(path.join(repo, '.git'), path.join(repos, 'r.git'))
  const port = 20000 + Math.floor(Math.random() * 20000)
  const daemon = spawn('git', ['daemon', `--base-path=${repos}`, '--export-all', '--listen=127.0.0.1', `--port=${port}`, '--reuseaddr'], {stdio: 'ignore'})
  t.teardown(() => daemon.kill())
  let built = await tspod(box, ['build', '-q', '-t', 'fromgit', `git://127.0.0.1:${port}/r.git#main:sub`])
  for (let i = 0; i < 20 && built.code !== 0 && /Connection refused|unable to connect/.test(built.stderr); i++) {
    await new Promise((r) => setTimeout(r, 100))
    built = await tspod(box, ['build', '-q', '-t', 'fromgit', `git://127.0.0.1:${port}/r.git#main:sub`])
  }
  t.is(built.code, 0, built.stderr)
  t.is((await ok(box, ['run', '--rm', 'fromgit', 'cat', '/hello'])).stdout, 'from-git\n')
  const noRepo = await tspod(box, ['build', `git://127.0.0.1:${port}/nope.git`])
  t.is(noRepo.code, 125)
  t.regex(noRepo.stderr, /^Error: cloning "git:\/\/127.0.0.1:\d+\/nope.git": failed while performing `git fetch`: .*not exported/m)
  t.deepEqual(leftovers(box), [])
})

test('a tar context on stdin; heredocs; RUN --mount bind, cache, tmpfs, secret and build --volume, none left in the layer', async (t) => {
  const box = await sandboxWithImages(t)
  const ctx = context(box, {
    Containerfile: [
      '# syntax=docker/dockerfile:1',
      'FROM busybox',
      'ARG WHO=you',
      'COPY <<EOF /greet',
      'hi $WHO',
      'EOF',
      'RUN --mount=type=bind,source=data,target=/data --mount=type=cache,target=/cache --mount=type=tmpfs,target=/tmpx --mount=type=secret,id=tok <<EOF',
      'cat /data/f /run/secrets/tok /vol/v > /out',
      'echo run >> /cache/c; wc -l < /cache/c',
      'touch /tmpx/t',
      'EOF',
    ].join('\n'),
    'data/f': 'from-context\n',
  })
  const vol = context(box, {v: 'from-volume\n'})
  fs.writeFileSync(path.join(box.dir, 'tok'), 'the-secret\n')
  fs.chmodSync(path.join(box.dir, 'tok'), 0o644)
  const archive = execFileSync('tar', ['-C', ctx, '-czf', '-', '.'])
  const args = ['build', '-t', 'mounts', '--secret', `id=tok,src=${path.join(box.dir, 'tok')}`, '-v', `${vol}:/vol:ro`, '-']
  const first = await ok(box, args, {input: archive, timeoutMs: 240_000})
  t.regex(first.stdout, /STEP 4\/4: RUN --mount=type=bind,source=data,target=\/data .* <<EOF\n1\n/)
  const again = await ok(box, ['build', '--no-cache', ...args.slice(1)], {input: archive, timeoutMs: 240_000})
  t.regex(again.stdout, /<<EOF\n2\n/)
  const r = await ok(box, ['run', '--rm', 'mounts', 'sh', '-c', 'cat /greet /out; ls -a / /run'])
  t.regex(r.stdout, /^hi you\nfrom-context\nthe-secret\nfrom-volume\n/)
  t.notRegex(r.stdout, /\b(data|cache|tmpx|vol|secrets)\b/)
  t.deepEqual(leftovers(box), [])
})

test('--squash keeps the base\'s layers and makes one of the build\'s; --squash-all one in all; --platform; --cache-ttl', async (t) => {
  const box = await sandboxWithImages(t)
  const ctx = context(box, {Containerfile: 'FROM multi\nCOPY a /a\nRUN echo b > /b && rm /a /data/keep.txt\nLABEL x=y\n', a: 'a\n'})
  const layers = async (name: string) => JSON.parse((await ok(box, ['image', 'inspect', name])).stdout)[0].RootFS.Layers.length as number
  const history = async (name: string) => JSON.parse((await ok(box, ['image', 'inspect', '--format', '{{json .History}}', name])).stdout) as {empty_layer?: boolean}[]
  const squashed = await ok(box, ['build', '--squash', '-t', 'sq', ctx], {timeoutMs: 240_000})
  t.notRegex(squashed.stdout, /--> Using cache|--> [0-9a-f]{11}\nSTEP/)
  t.is(await layers('sq'), (await layers('multi')) + 1)
  const h = await history('sq')
  t.is(h.length, (await history('multi')).length + 3)
  t.deepEqual(h.slice(-3).map((e) => e.empty_layer ?? false), [true, true, false])
  await ok(box, ['build', '--squash-all', '-t', 'sqa', ctx], {timeoutMs: 240_000})
  t.is(await layers('sqa'), 1)
  t.is((await history('sqa')).length, 3)
  t.is((await ok(box, ['run', '--rm', 'sqa', 'sh', '-c', 'ls /a 2>&1; cat /b; ls /data /opq'])).stdout, 'ls: /a: No such file or directory\nb\n/data:\nsetuid\nuser-owned.txt\n\n/opq:\nupper.txt\n')
  t.deepEqual((await ok(box, ['images', '-a', '-q'])).stdout.trim().split('\n').length, 4)

  const plain = context(box, {Containerfile: 'FROM busybox\nARG TARGETARCH\nARG TARGETPLATFORM\nLABEL arch=$TARGETARCH platform=$TARGETPLATFORM\n'})
  await ok(box, ['build', '--platform', 'linux/arm64/v8', '-t', 'arm', plain])
  const arm = JSON.parse((await ok(box, ['image', 'inspect', 'arm'])).stdout)[0]
  t.is(arm.Architecture, 'arm64')
  t.deepEqual(arm.Config.Labels, {arch: 'arm64', platform: 'linux/arm64/v8'})
  t.is((await ok(box, ['build', '--platform', 'linux/arm64/v8', plain])).stdout.match(/Using cache/g)?.length, 3)
  t.is((await ok(box, ['build', '--platform', 'linux/arm64/v8', '--cache-ttl', '0', plain])).stdout.match(/Using cache/g), null)
  t.is((await ok(box, ['build', '--platform', 'linux/arm64/v8', '--cache-ttl', '1h', plain])).stdout.match(/Using cache/g)?.length, 3)
  for (const [args, message] of [
    [['--squash', '--squash-all'], /cannot specify --squash with --layers and --squash-all with --squash/],
    [['--cache-ttl', 'soon'], /unable to parse value provided "soon" as --cache-ttl/],
    [['--platform', 'bogus'], /invalid platform syntax for "bogus"/],
    [['--isolation', 'vm'], /unrecognized isolation type "vm"/],
    [['--secret', 'src=/x'], /incorrect secret flag format/],
    [['--network', 'bogus'], /unable to find network with name or ID bogus: network not found/],
    [['-f', path.join(context(box, {Containerfile: 'FROM busybox\nRUN --network=bridge true\n'}), 'Containerfile')], /RUN --network=bridge: must be default, none or host/],
  ] as [string[], RegExp][]) {
    const r = await tspod(box, ['build', ...args, plain])
    t.is(r.code, 125, args.join(' '))
    t.regex(r.stderr, message)
  }
})

test('ONBUILD triggers run in the child and are not passed on; HEALTHCHECK options; SHELL; ADD of a URL (kept, 0600) and of a local tar (unpacked); COPY --link --chmod', async (t) => {
  const box = await sandboxWithImages(t)
  const archive = execFileSync('tar', ['-C', context(box, {'in-tar': 'unpacked\n'}), '-cf', '-', 'in-tar'])
  const server = http.createServer((_req, res) => res.end(archive))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/remote.tar`
  const base = context(box, {Containerfile: 'FROM busybox\nONBUILD RUN echo triggered > /trig\nONBUILD LABEL from=onbuild\nHEALTHCHECK --interval=5s --retries=2 CMD ["true"]\nSHELL ["/bin/sh", "-ec"]\n'})
  await ok(box, ['build', '-q', '--format', 'docker', '-t', 'obbase', base])
  const child = context(box, {Containerfile: `FROM obbase\nADD ${url} /r/\nADD local.tar /x/\nCOPY --link --chmod=0700 a /d/a\nRUN cat /trig; stat -c "%a %s" /r/remote.tar; cat /x/in-tar; stat -c %a /d/a\n`, a: 'a\n'})
  fs.writeFileSync(path.join(child, 'local.tar'), archive, {mode: 0o644})
  // two RUN steps and a download: more than the default minute on a loaded machine
  const built = await ok(box, ['build', '--format', 'docker', '-t', 'obchild', child], {timeoutMs: 240_000})
  t.regex(built.stdout, /^STEP 1\/5: FROM obbase\nSTEP 2\/7: RUN echo triggered > \/trig\n/)
  t.regex(built.stdout, new RegExp(`\\ntriggered\\n600 ${archive.length}\\nunpacked\\n700\\n`))
  const inspect = JSON.parse((await ok(box, ['image', 'inspect', 'obchild'])).stdout)[0]
  t.is(inspect.Config.Labels.from, 'onbuild')
  t.is(inspect.Config.OnBuild ?? null, null)
  t.deepEqual(inspect.Healthcheck, {Test: ['CMD', 'true'], Interval: 5e9, Retries: 2})
  t.true(inspect.History.some((h: {created_by?: string}) => h.created_by === '/bin/sh -c #(nop) SHELL ["/bin/sh","-ec"]'))
  const bad = await tspod(box, ['build', context(box, {Containerfile: 'FROM busybox\nCOPY --bogus=1 a /a\n', a: ''})])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /COPY only supports the --chmod=<permissions> --chown=<uid:gid> --link and the --from=<image\|stage> flags/)
})

test('--dns, --dns-search and --dns-option: every RUN step\'s resolv.conf, as run\'s flags', async (t) => {
  const box = await sandboxWithImages(t)
  const dir = context(box, {Containerfile: 'FROM busybox\nRUN cat /etc/resolv.conf\n'})
  const {stdout} = await ok(box, ['build', '--dns-search', 'nx.example', '--dns', '10.9.9.9', '--dns-option', 'ndots:3', '-t', 'dnsbuilt', dir])
  t.regex(stdout, /STEP 2\/2: RUN cat \/etc\/resolv.conf\nsearch nx.example\nnameserver 10.9.9.9\noptions ndots:3\n/)
})
