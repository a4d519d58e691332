// @userns
// mounts.conf through the CLI as the rootless user, as Podman 4.3 behaves: --default-mounts-file
// (a global flag, before or after the verb) on run and on build's RUN steps, the user's own
// ~/.config/containers/mounts.conf, a missing host path, a file the user cannot read, a named file
// that does not exist, an empty flag, and a hostile image whose mount point is a symlink.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {sandboxWithImages} from '../../helpers/image-sandbox'
import {Sandbox, tspod} from '../../helpers/rootless'

/** `name` in the sandbox, owned by its user. */
function write(box: Sandbox, name: string, text: string, mode = 0o644): string {
  const file = path.join(box.dir, name)
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, text, {mode})
  for (let p = file; p !== box.dir; p = path.dirname(p)) fs.chownSync(p, box.user.uid, box.user.gid)
  return file
}

test('run: a dir and a file from --default-mounts-file, copies the container may change; a missing host path is a warning; a user mount wins', async (t) => {
  const box = await sandboxWithImages(t)
  write(box, 'secrets/token', 'abc\n', 0o640)
  write(box, 'secrets/sub/inner', 'in\n')
  write(box, 'single', 'one\n')
  const conf = write(box, 'mounts.conf', `${box.dir}/secrets:/run/secrets\n${box.dir}/single:/etc/single.conf\n${box.dir}/missing:/missing\n`)
  const script = 'cat /run/secrets/token /run/secrets/sub/inner /etc/single.conf; stat -c %a /run/secrets/token; echo changed > /run/secrets/token && cat /run/secrets/token'
  const r = await tspod(box, [`--default-mounts-file=${conf}`, 'run', '--rm', 'busybox', 'sh', '-c', script])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'abc\nin\none\n640\nchanged\n')
  t.is(r.stderr, `WARN[0000] Path ${JSON.stringify(`${box.dir}/missing`)} from ${JSON.stringify(conf)} doesn't exist, skipping\n`)
  t.is(fs.readFileSync(path.join(box.dir, 'secrets/token'), 'utf8'), 'abc\n', 'the host\'s file is untouched')

  // the flag after the verb, as Podman's persistent flags; the user's own mount at the same place wins
  const own = await tspod(box, ['run', `--default-mounts-file=${conf}`, '--rm', '-v', `${box.dir}/single:/run/secrets/token:ro`, 'busybox', 'cat', '/run/secrets/token'])
  t.is(own.code, 0, own.stderr)
  t.is(own.stdout, 'one\n')

  // in a user namespace of its own the copies are its root's, and reachable
  const auto = await tspod(box, [`--default-mounts-file=${conf}`, 'run', '--rm', '--userns=auto', 'busybox', 'sh', '-c', 'stat -c %u:%g /run/secrets/token /etc/single.conf; cat /run/secrets/token'])
  t.is(auto.code, 0, auto.stderr)
  t.is(auto.stdout, '0:0\n0:0\nabc\n')
})

test('no flag: the rootless user\'s ~/.config/containers/mounts.conf; a named file that does not exist gives no mounts', async (t) => {
  const box = await sandboxWithImages(t)
  write(box, 'single', 'mine\n')
  write(box, 'home/.config/containers/mounts.conf', `${box.dir}/single:/run/mine\n`)
  const home = {HOME: path.join(box.dir, 'home')}
  const r = await tspod(box, ['run', '--rm', 'busybox', 'cat', '/run/mine'], {env: home})
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'mine\n')
  const none = await tspod(box, ['--default-mounts-file', path.join(box.dir, 'nonexistent.conf'), 'run', '--rm', 'busybox', 'sh', '-c', 'ls /run/mine 2>&1; true'], {env: home})
  t.is(none.code, 0, none.stderr)
  t.is(none.stdout, 'ls: /run/mine: No such file or directory\n')
  t.is(none.stderr, '')
})

test('a file the user cannot read drops every mount of the mounts.conf, with one warning; an empty --default-mounts-file is refused (125)', async (t) => {
  const box = await sandboxWithImages(t)
  const unreadable = path.join(box.dir, 'unreadable')
  fs.writeFileSync(unreadable, 'root only\n', {mode: 0o600}) // root's
  write(box, 'single', 'one\n')
  const conf = write(box, 'mounts.conf', `${box.dir}/single:/run/one\n${unreadable}:/run/two\n`)
  const r = await tspod(box, [`--default-mounts-file=${conf}`, 'run', '--rm', 'busybox', 'sh', '-c', 'ls /run'])
  t.is(r.code, 0, r.stderr)
  t.notRegex(r.stdout, /one|two/)
  t.is(r.stderr, `WARN[0000] Failed to mount subscriptions, skipping entry in ${conf}: open ${unreadable}: permission denied\n`)

  // one unreadable file inside a dir: Podman's words name the dir being read
  write(box, 'dir/ok', 'ok\n')
  fs.writeFileSync(path.join(box.dir, 'dir/locked'), 'root only\n', {mode: 0o600})
  fs.chownSync(path.join(box.dir, 'dir/locked'), 0, 0)
  const dirConf = write(box, 'dir-mounts.conf', `${box.dir}/dir:/run/dir\n`)
  const inDir = await tspod(box, [`--default-mounts-file=${dirConf}`, 'run', '--rm', 'busybox', 'sh', '-c', 'ls /run/dir 2>&1; true'])
  t.is(inDir.stdout, 'ls: /run/dir: No such file or directory\n')
  t.is(inDir.stderr, `WARN[0000] Failed to mount subscriptions, skipping entry in ${dirConf}: getting host subscription data: failed to read subscriptions from ${JSON.stringify(`${box.dir}/dir`)}: open ${box.dir}/dir/locked: permission denied\n`)

  const empty = await tspod(box, ['--default-mounts-file=', 'ps'])
  t.is(empty.code, 125)
  t.is(empty.stderr, 'Error: configuring runtime: invalid argument\n')
})

test('build: every RUN step gets its own fresh copy; the mount points stay out of the image', async (t) => {
  const box = await sandboxWithImages(t)
  write(box, 'secrets/token', 'abc\n')
  const conf = write(box, 'mounts.conf', `${box.dir}/secrets:/run/secrets\n`)
  write(box, 'ctx/Containerfile', 'FROM busybox\nRUN cat /run/secrets/token && echo changed > /run/secrets/token && touch /run/secrets/new\nRUN cat /run/secrets/token; ls /run/secrets\n')
  const built = await tspod(box, [`--default-mounts-file=${conf}`, 'build', '-t', 'withsecrets', path.join(box.dir, 'ctx')])
  t.is(built.code, 0, built.stderr)
  t.regex(built.stdout, /STEP 2\/3: RUN cat[^\n]*\nabc\n/)
  t.regex(built.stdout, /STEP 3\/3: RUN cat[^\n]*\nabc\ntoken\n/)
  t.is(fs.readFileSync(path.join(box.dir, 'secrets/token'), 'utf8'), 'abc\n')
  const image = await tspod(box, ['run', '--rm', 'withsecrets', 'sh', '-c', 'ls /run/secrets 2>&1; true'])
  t.is(image.stdout, 'ls: /run/secrets: No such file or directory\n')
})

test('a hostile image whose mount point is a symlink out of its root: the copy is bound inside the root, nothing written outside', async (t) => {
  const box = await sandboxWithImages(t)
  const outside = path.join(box.dir, 'outside')
  fs.mkdirSync(outside, {mode: 0o777})
  write(box, 'secrets/token', 'abc\n')
  const conf = write(box, 'mounts.conf', `${box.dir}/secrets:/run/secrets\n${box.dir}/secrets/token:/run/dangling/token\n`)
  // /run/secrets leads to the host's path (which the image has too); /run/dangling to one the image lacks
  write(box, 'ctx/Containerfile', `FROM busybox\nRUN mkdir -p /run ${outside} && ln -s ${outside} /run/secrets && ln -s ${outside}/nothing /run/dangling\n`)
  const built = await tspod(box, ['build', '-t', 'hostile', path.join(box.dir, 'ctx')])
  t.is(built.code, 0, built.stderr)
  const r = await tspod(box, [`--default-mounts-file=${conf}`, 'run', '--rm', 'hostile', 'sh', '-c', `cat ${outside}/token && echo pwn > ${outside}/token`])
  t.deepEqual(fs.readdirSync(outside), [])
  // the native runtime refuses a mount point under a dangling link rather than create it
  t.is(r.code, 125)
  t.regex(r.stderr, /create `\/run\/dangling`: No such file or directory/)
  const conf2 = write(box, 'mounts2.conf', `${box.dir}/secrets:/run/secrets\n`)
  const inside = await tspod(box, [`--default-mounts-file=${conf2}`, 'run', '--rm', 'hostile', 'sh', '-c', `cat ${outside}/token && echo pwn > ${outside}/token`])
  t.is(inside.code, 0, inside.stderr)
  t.is(inside.stdout, 'abc\n')
  t.deepEqual(fs.readdirSync(outside), [])
  t.is(fs.readFileSync(path.join(box.dir, 'secrets/token'), 'utf8'), 'abc\n')
})
