// `tspod cp` end to end as the rootless user: host ↔ container for stopped and running
// containers, tar streams on stdin/stdout, ownership with --archive, Podman's errors, and a
// hostile container whose symlinks and `..` must never lead a copy to the host.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tar from 'tar-stream'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {Sandbox, runAs, tspod, tspodOk as ok} from '../helpers/rootless'

/** A dir of the sandbox's user for host files of one test. */
function hostDir(box: Sandbox, name: string): string {
  const dir = path.join(box.dir, name)
  fs.mkdirSync(dir, {recursive: true})
  fs.chownSync(dir, box.user.uid, box.user.gid)
  return dir
}

function writeAsUser(box: Sandbox, file: string, content: string): void {
  fs.writeFileSync(file, content)
  fs.chownSync(file, box.user.uid, box.user.gid)
}

async function tarOf(entries: {name: string; body?: string; uid?: number; gid?: number; type?: 'directory' | 'file' | 'symlink'; linkname?: string; mode?: number}[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  pack.on('data', (c) => void chunks.push(c as Buffer))
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()))
  for (const e of entries) pack.entry({name: e.name, type: e.type ?? 'file', uid: e.uid ?? 0, gid: e.gid ?? 0, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644), linkname: e.linkname}, e.body ?? '')
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

async function tarNames(data: Buffer): Promise<Map<string, string>> {
  const extract = tar.extract()
  const names = new Map<string, string>()
  extract.on('entry', (header, stream, next) => {
    let body = ''
    stream.on('data', (d) => void (body += String(d)))
    stream.on('end', () => {
      names.set(header.name, header.type === 'file' ? body : header.type)
      next()
    })
  })
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()))
  extract.end(data)
  await done
  return names
}

for (const state of ['stopped', 'running'] as const) {
  async function container(box: Sandbox, name: string, extra: string[] = []): Promise<void> {
    if (state === 'stopped') await ok(box, ['create', '--name', name, ...extra, 'busybox', 'sleep', '300'])
    else await ok(box, ['run', '-d', '--name', name, ...extra, 'busybox', 'sleep', '300'])
  }
  const cleanup = (box: Sandbox, name: string) => tspod(box, ['rm', '-f', '-t', '0', name])

  test(`${state}: a file and a dir into the container and back, by Podman's path rules`, async (t) => {
    const box = await sandboxWithImages(t)
    await container(box, 'c1')
    t.teardown(() => cleanup(box, 'c1'))
    const src = hostDir(box, 'src')
    writeAsUser(box, path.join(src, 'hostfile'), 'file content\n')
    hostDir(box, 'src/tree/sub')
    writeAsUser(box, path.join(src, 'tree', 'sub', 'leaf'), 'leaf\n')

    await ok(box, ['cp', path.join(src, 'hostfile'), 'c1:/tmp'])
    await ok(box, ['cp', path.join(src, 'hostfile'), 'c1:/tmp/renamed'])
    await ok(box, ['container', 'cp', path.join(src, 'tree'), 'c1:/tmp/'])
    await ok(box, ['cp', path.join(src, 'tree') + '/.', 'c1:/etc'])
    if (state === 'stopped') await ok(box, ['start', 'c1'])
    t.is(await ok(box, ['exec', 'c1', 'cat', '/tmp/hostfile', '/tmp/renamed', '/tmp/tree/sub/leaf', '/etc/sub/leaf']), 'file content\nfile content\nleaf\nleaf\n')
    if (state === 'stopped') await ok(box, ['stop', '-t', '0', 'c1'])

    const dest = hostDir(box, 'dest')
    await ok(box, ['cp', 'c1:/tmp/renamed', dest])
    await ok(box, ['cp', 'c1:/tmp/tree', path.join(dest, 'newtree')])
    await ok(box, ['cp', 'c1:/tmp/tree/.', dest])
    // a hard link in the container comes out as a copy of its file
    if (state === 'running') {
      await ok(box, ['exec', 'c1', 'sh', '-c', 'mkdir /tmp/hl && echo linked > /tmp/hl/a && ln /tmp/hl/a /tmp/hl/b'])
      await ok(box, ['cp', 'c1:/tmp/hl', path.join(dest, 'hl')])
      t.is(fs.readFileSync(path.join(dest, 'hl', 'b'), 'utf8'), 'linked\n')
    }
    t.is(fs.readFileSync(path.join(dest, 'renamed'), 'utf8'), 'file content\n')
    t.is(fs.readFileSync(path.join(dest, 'newtree', 'sub', 'leaf'), 'utf8'), 'leaf\n')
    t.is(fs.readFileSync(path.join(dest, 'sub', 'leaf'), 'utf8'), 'leaf\n')
    t.is(fs.statSync(path.join(dest, 'renamed')).uid, box.user.uid)

    const missingHost = await tspod(box, ['cp', path.join(src, 'nothere'), 'c1:/tmp'])
    t.deepEqual([missingHost.code, missingHost.stderr], [125, `Error: ${JSON.stringify(path.join(src, 'nothere'))} could not be found on the host: no such file or directory\n`])
    const missingParent = await tspod(box, ['cp', path.join(src, 'hostfile'), 'c1:/nothere/'])
    t.deepEqual([missingParent.code, missingParent.stderr], [125, 'Error: "/nothere/" could not be found on container c1: no such file or directory\n'])
    const dirOntoFile = await tspod(box, ['cp', path.join(src, 'tree'), 'c1:/etc/passwd'])
    t.deepEqual([dirOntoFile.code, dirOntoFile.stderr], [125, 'Error: destination must be a directory when copying a directory\n'])
    const missingInContainer = await tspod(box, ['cp', 'c1:/no/such', dest])
    t.deepEqual([missingInContainer.code, missingInContainer.stderr], [125, 'Error: "/no/such" could not be found on container c1: no such file or directory\n'])
  })

  test(`${state}: tar streams on stdin and stdout, and owners with --archive`, async (t) => {
    const box = await sandboxWithImages(t)
    await container(box, 'c2', ['--user', '1234:1234'])
    t.teardown(() => cleanup(box, 'c2'))
    const archive = await tarOf([{name: 'd/', type: 'directory'}, {name: 'd/kept', body: 'kept\n', uid: 1042, gid: 1043}])
    await ok(box, ['cp', '-a=false', '-', 'c2:/tmp'], {input: archive})
    await ok(box, ['cp', '-', 'c2:/'], {input: await tarOf([{name: 'chowned', body: 'x', uid: 7, gid: 8}])})
    const src = hostDir(box, 'src')
    writeAsUser(box, path.join(src, 'mine'), 'mine\n')
    await ok(box, ['cp', path.join(src, 'mine'), 'c2:/'])
    await ok(box, ['cp', '--archive=false', path.join(src, 'mine'), 'c2:/tmp/mine-root'])
    if (state === 'stopped') await ok(box, ['start', 'c2'])
    t.is(await ok(box, ['exec', 'c2', 'stat', '-c', '%n %u:%g', '/tmp/d/kept', '/chowned', '/mine', '/tmp/mine-root']), '/tmp/d/kept 1042:1043\n/chowned 1234:1234\n/mine 1234:1234\n/tmp/mine-root 0:0\n')
    if (state === 'stopped') await ok(box, ['stop', '-t', '0', 'c2'])

    const out = await runAs(box.user, ['sh', '-c', `node ${JSON.stringify(path.resolve(__dirname, '..', '..', '..', 'bin', 'run.js'))} cp c2:/tmp/d - | base64 -w0`], {env: box.env})
    t.is(out.code, 0, out.stderr)
    const names = await tarNames(Buffer.from(out.stdout, 'base64'))
    t.is(names.get('d/kept'), 'kept\n')
    t.true([...names.keys()].every((n) => n === 'd/' || n === 'd' || n.startsWith('d/')))

    const notTar = await tspod(box, ['cp', '-', 'c2:/tmp'], {input: 'not a tar archive at all'})
    t.deepEqual([notTar.code, notTar.stderr], [125, 'Error: source must be a (compressed) tar archive when copying from stdin\n'])
    const ontoFile = await tspod(box, ['cp', '-', 'c2:/etc/passwd'], {input: archive})
    t.deepEqual([ontoFile.code, ontoFile.stderr], [125, 'Error: destination must be a directory when copying from stdin\n'])
    const outOfTar = await tspod(box, ['cp', '-', 'c2:/tmp'], {input: await tarOf([{name: '../../escape', body: 'x'}])})
    t.is(outOfTar.code, 125)
    t.regex(outOfTar.stderr, /^Error: refusing the entry "..\/..\/escape"/)
  })

  test(`${state}: a hostile container's symlinks and \`..\` stay inside its root`, async (t) => {
    const box = await sandboxWithImages(t)
    const hostSecret = hostDir(box, 'secret')
    writeAsUser(box, path.join(hostSecret, 'data'), 'host secret\n')
    const target = hostDir(box, 'target')
    await container(box, 'evil')
    t.teardown(() => cleanup(box, 'evil'))
    // the same links, in the container under test
    const plantIn = await tspod(box, ['cp', '-', 'evil:/'], {
      input: await tarOf([
        {name: 'rootlink', type: 'symlink', linkname: '/'},
        {name: 'hostlink', type: 'symlink', linkname: hostSecret},
        {name: 'into-host', type: 'symlink', linkname: target},
        {name: 'up', type: 'symlink', linkname: '../../../../../../..'},
        {name: hostSecret.slice(1) + '/data', body: 'container\n'},
      ]),
    })
    t.is(plantIn.code, 0, plantIn.stderr)

    const dest = hostDir(box, 'dest')
    // reading through the links reads the container's files
    await ok(box, ['cp', 'evil:/hostlink/data', path.join(dest, 'via-hostlink')])
    t.is(fs.readFileSync(path.join(dest, 'via-hostlink'), 'utf8'), 'container\n')
    await ok(box, ['cp', 'evil:/up/../../rootlink/' + hostSecret.slice(1) + '/data', path.join(dest, 'via-up')])
    t.is(fs.readFileSync(path.join(dest, 'via-up'), 'utf8'), 'container\n')
    const hostOnly = await tspod(box, ['cp', `evil:/rootlink${path.join(box.dir, 'dest')}`, path.join(dest, 'x')])
    t.is(hostOnly.code, 125, 'the host dir is not in the container')

    // writing through the links writes into the container, never the host
    const src = hostDir(box, 'src')
    writeAsUser(box, path.join(src, 'payload'), 'payload\n')
    await ok(box, ['cp', path.join(src, 'payload'), 'evil:/into-host'])
    await ok(box, ['cp', path.join(src, 'payload'), 'evil:/up/../rootlink/hostlink/'])
    t.deepEqual(fs.readdirSync(target), [])
    t.is(fs.readFileSync(path.join(hostSecret, 'data'), 'utf8'), 'host secret\n')
    t.false(fs.existsSync(path.join(hostSecret, 'payload')))

    // a symlink to a dir, as the source, is followed inside the container
    await ok(box, ['cp', '-', 'evil:/tmp'], {input: await tarOf([{name: 'sub/f', body: 'in sub\n'}, {name: 'sub/up', type: 'symlink', linkname: '..'}])})
    await ok(box, ['cp', 'evil:/tmp/sub/up', path.join(dest, 'followed')])
    t.is(fs.readFileSync(path.join(dest, 'followed', 'sub', 'f'), 'utf8'), 'in sub\n')
    t.true(fs.lstatSync(path.join(dest, 'followed', 'sub', 'up')).isSymbolicLink())

    // the container's own tar is replaced by one that writes a symlink to the host and a file
    // through it, and an entry with `..`: the host side refuses both
    const evilTar = await tarOf([
      {name: 'x', type: 'symlink', linkname: target},
      {name: 'x/pwned', body: 'pwned\n'},
    ])
    const dotdotTar = await tarOf([{name: '../../pwned', body: 'pwned\n'}])
    // packing /tmp/NAME sends /evil-NAME.tar; the rest is busybox's sh. The shell is replaced, not
    // tar: busybox's sh runs its tar applet through /proc/self/exe where a /proc shows it.
    await ok(box, ['cp', '-', 'evil:/'], {input: await tarOf([
      {name: 'evil-some.tar', body: evilTar.toString('latin1')},
      {name: 'evil-other.tar', body: dotdotTar.toString('latin1')},
      {name: 'bin/sh', body: '#!/bin/busybox sh\ncase "$4" in pack) exec /bin/busybox cat "/evil-${5##*/}.tar" ;; esac\nexec /bin/busybox sh "$@"\n', mode: 0o755},
      {name: 'tmp/some', type: 'directory'},
      {name: 'tmp/other', type: 'directory'},
    ])})
    const throughLink = await tspod(box, ['cp', 'evil:/tmp/some', path.join(dest, 'got')])
    t.is(throughLink.code, 125)
    t.regex(throughLink.stderr, /^Error: refusing to write "got\/x\/pwned" through the symlink/)
    const dotdot = await tspod(box, ['cp', 'evil:/tmp/other', path.join(dest, 'got2')])
    t.is(dotdot.code, 125)
    t.regex(dotdot.stderr, /^Error: refusing the entry "..\/..\/pwned"/)
    t.deepEqual(fs.readdirSync(target), [])
    t.false(fs.existsSync(path.join(box.dir, 'pwned')))
  })
}

test('from a running container to a stopped one, and back', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'up', 'busybox', 'sh', '-c', 'mkdir -p /srv/d && echo one > /srv/d/f && echo two > /srv/file && sleep 300'])
  await ok(box, ['create', '--name', 'down', '--user', '1234:1234', 'busybox', 'sleep', '300'])
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'up', 'down']))
  await ok(box, ['cp', 'up:/srv/d', 'down:/tmp'])
  await ok(box, ['cp', 'up:/srv/file', 'down:/tmp/renamed'])
  await ok(box, ['cp', 'down:/tmp/renamed', 'up:/srv/back'])
  await ok(box, ['start', 'down'])
  t.is(await ok(box, ['exec', 'down', 'sh', '-c', 'cat /tmp/d/f /tmp/renamed; stat -c %u:%g /tmp/d/f']), 'one\ntwo\n1234:1234\n')
  t.is(await ok(box, ['exec', 'up', 'cat', '/srv/back']), 'two\n')
  const missing = await tspod(box, ['cp', 'up:/nothing', 'down:/tmp'])
  t.deepEqual([missing.code, missing.stderr], [125, 'Error: "/nothing" could not be found on container up: no such file or directory\n'])
  const hostToHost = await tspod(box, ['cp', '/etc/hostname', '/tmp/x'])
  t.deepEqual([hostToHost.code, hostToHost.stderr], [125, 'Error: name or ID cannot be empty: one of SRC and DEST must be CONTAINER:PATH\n'])
})

test('a dir never replaces a file (nor a file a dir) without --overwrite; destination symlinks and globs as Podman', async (t) => {
  const box = await sandboxWithImages(t)
  await ok(box, ['run', '-d', '--name', 'ow', 'busybox', 'sh', '-c', 'mkdir /tmp/dir /tmp/d1 /tmp/d2 && echo f > /tmp/file && ln -s /tmp/nonesuch1 /tmp/d1/x && ln -s /tmp/nonesuch2 /tmp/d2/x && ln -s /nowhere "/tmp/*" && sleep 300'])
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'ow']))
  const src = hostDir(box, 'src')
  writeAsUser(box, path.join(src, 'dir'), 'now a file\n')
  hostDir(box, 'src/file')
  writeAsUser(box, path.join(src, 'file', 'inner'), 'inner\n')

  const fileOverDir = await tspod(box, ['cp', path.join(src, 'dir'), 'ow:/tmp'])
  t.deepEqual([fileOverDir.code, fileOverDir.stderr], [125, 'Error: copying to container: copier: put: error creating "/tmp/dir": open /tmp/dir: file exists\n'])
  const dirOverFile = await tspod(box, ['cp', path.join(src, 'file'), 'ow:/tmp'])
  t.deepEqual([dirOverFile.code, dirOverFile.stderr], [125, 'Error: copying to container: copier: put: error creating "/tmp/file": mkdir /tmp/file: file exists\n'])
  await ok(box, ['cp', '--overwrite', path.join(src, 'dir'), 'ow:/tmp'])
  await ok(box, ['cp', '--overwrite', path.join(src, 'file'), 'ow:/tmp'])
  t.is(await ok(box, ['exec', 'ow', 'cat', '/tmp/dir', '/tmp/file/inner']), 'now a file\ninner\n')

  const dest = hostDir(box, 'dest')
  hostDir(box, 'dest/dir')
  const toHost = await tspod(box, ['cp', 'ow:/tmp/dir', dest])
  t.deepEqual([toHost.code, toHost.stderr], [125, 'Error: copying to host: copier: put: error creating "/dir": open /dir: file exists\n'])

  // a dangling symlink is written through; with a trailing slash it must be a dir
  await ok(box, ['cp', path.join(src, 'dir'), 'ow:/tmp/d1/x'])
  t.is(await ok(box, ['exec', 'ow', 'cat', '/tmp/nonesuch1']), 'now a file\n')
  const slash = await tspod(box, ['cp', path.join(src, 'dir'), 'ow:/tmp/d2/x/'])
  t.deepEqual([slash.code, slash.stderr], [125, 'Error: "/tmp/d2/x/" could not be found on container ow: no such file or directory\n'])
  t.is((await tspod(box, ['exec', 'ow', 'test', '-e', '/tmp/nonesuch2'])).code, 1)
  // no glob expansion, and a dangling source is not found
  const glob = await tspod(box, ['cp', 'ow:/tmp/*', dest])
  t.deepEqual([glob.code, glob.stderr], [125, 'Error: "/tmp/*" could not be found on container ow: no such file or directory\n'])
})

test('into a stopped container: through its volume and the bind mount inside it; --userns=keep-id with -a=false keeps the tar owners', async (t) => {
  const box = await sandboxWithImages(t)
  const bind = hostDir(box, 'bind')
  await ok(box, ['volume', 'create', 'outer'])
  await ok(box, ['volume', 'create', 'inner'])
  await ok(box, ['create', '--name', 'vc', '-v', 'outer:/tmp/volume', '-v', 'inner:/tmp/volume/sub', '-v', `${bind}:/tmp/volume/bind`, 'busybox', 'true'])
  t.teardown(() => tspod(box, ['rm', '-f', '-t', '0', 'vc', 'kc']))
  const src = hostDir(box, 'src')
  writeAsUser(box, path.join(src, 'hostfile'), 'in the mount\n')
  await ok(box, ['cp', path.join(src, 'hostfile'), 'vc:/tmp/volume/sub'])
  await ok(box, ['cp', path.join(src, 'hostfile'), 'vc:/tmp/volume/bind/'])
  const mountpoint = async (name: string) => (await ok(box, ['volume', 'inspect', name, '--format', '{{.Mountpoint}}'])).trim()
  t.is(fs.readFileSync(path.join(await mountpoint('inner'), 'hostfile'), 'utf8'), 'in the mount\n')
  t.is(fs.readFileSync(path.join(bind, 'hostfile'), 'utf8'), 'in the mount\n')
  t.deepEqual(fs.readdirSync(await mountpoint('outer')), [])

  await ok(box, ['run', '-d', '--name', 'kc', '--user', String(box.user.uid), '--userns=keep-id', 'busybox', 'sleep', '300'])
  await ok(box, ['cp', '-a=false', '-', 'kc:/tmp/'], {input: await tarOf([{name: 'a.txt', body: 'a', uid: 1042, gid: 1043}])})
  t.is(await ok(box, ['exec', 'kc', 'stat', '-c', '%u:%g', '/tmp/a.txt']), '1042:1043\n')
})

test('cp into a running --userns=keep-id container, by crun (its user namespace nested below the others) and natively: the file is the container user\'s', async (t) => {
  const box = await sandboxWithImages(t)
  const dir = hostDir(box, 'keep-id-src')
  writeAsUser(box, path.join(dir, 'hostfile'), 'content\n')
  for (const runtime of ['crun', 'tspod']) {
    const name = `keep-${runtime}`
    const started = await tspod(box, ['--runtime', runtime, 'run', `--user=${box.user.uid}`, '--userns=keep-id', '-d', '--name', name, 'busybox', 'sleep', '1000'])
    t.is(started.code, 0, started.stderr)
    const copied = await tspod(box, ['cp', path.join(dir, 'hostfile'), `${name}:/tmp/hostfile`])
    t.is(copied.code, 0, `${runtime}: ${copied.stderr}`)
    const owner = await tspod(box, ['exec', name, 'stat', '-c', '%u', '/tmp/hostfile'])
    t.is(owner.stdout, `${box.user.uid}\n`, runtime)
    await tspod(box, ['rm', '-f', '-t', '0', name])
  }
})
