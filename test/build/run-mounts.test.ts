// RUN --mount and build --secret parsing: each type to its bind or tmpfs mount, with the checks
// and messages for what is wrong or not supported.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {MountContext, parseBuildSecret, stepMounts} from '../../src/build/run-mounts'
import {UsageError} from '../../src/errors'

function setup(t: {teardown(fn: () => void): void}): MountContext {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-mounts-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const contextDir = path.join(dir, 'ctx')
  fs.mkdirSync(path.join(contextDir, 'data'), {recursive: true})
  fs.writeFileSync(path.join(contextDir, 'data', 'f'), 'x')
  fs.symlinkSync('/etc', path.join(contextDir, 'out'))
  fs.writeFileSync(path.join(dir, 'tok'), 'secret')
  fs.mkdirSync(path.join(dir, 'work'))
  return {contextDir, cacheRoot: path.join(dir, 'cache'), work: path.join(dir, 'work'), secrets: new Map([['tok', parseBuildSecret(`id=tok,src=${path.join(dir, 'tok')}`)]]), workdir: '/app'}
}

test('bind (ro by default, rw a copy), cache (kept by id), tmpfs, secret (0400 at /run/secrets/ID)', (t) => {
  const ctx = setup(t)
  const m = stepMounts(['type=bind,source=data,target=/d', 'source=data,target=rel,rw', 'type=cache,target=/c,id=one', 'type=cache,target=/c2,id=one', 'type=tmpfs,target=/t,size=1m', 'type=secret,id=tok'], ctx)
  t.is(m.volumes[0], `${fs.realpathSync(ctx.contextDir)}/data:/d:ro`)
  t.regex(m.volumes[1], /\/work\/bind-[0-9a-f]+:\/app\/rel$/)
  t.is(m.volumes[2].split(':')[0], m.volumes[3].split(':')[0])
  t.true(fs.statSync(m.volumes[2].split(':')[0]).isDirectory())
  t.deepEqual(m.tmpfs, ['/t:size=1m'])
  const [secret, target] = m.volumes[4].split(':')
  t.is(target, '/run/secrets/tok')
  t.is(fs.statSync(secret).mode & 0o777, 0o400)
  t.is(fs.readFileSync(secret, 'utf8'), 'secret')
  t.deepEqual(m.targets, ['/d', '/app/rel', '/c', '/c2', '/t', '/run/secrets/tok'])
  t.deepEqual(stepMounts(['type=secret,id=missing'], ctx).volumes, [])
  t.deepEqual(m.chowns, [])
  t.deepEqual(m.locks, [])
})

test('cache: mode, uid and gid of a new dir (an existing one kept), sharing=locked names its lock; from= a given source', (t) => {
  const ctx = setup(t)
  const m = stepMounts(['type=cache,target=/c,id=new,mode=0700,uid=1000,gid=1001,sharing=locked'], ctx)
  const dir = m.volumes[0].split(':')[0]
  t.is(fs.statSync(dir).mode & 0o777, 0o700)
  t.deepEqual(m.chowns, [{dir, uid: 1000, gid: 1001}])
  t.deepEqual(m.locks, [`${dir}.lock`])
  const again = stepMounts(['type=cache,target=/c,id=new,mode=0777,uid=5'], ctx)
  t.deepEqual(again.chowns, [])
  t.is(fs.statSync(dir).mode & 0o777, 0o700)
  const value = 'type=bind,from=base,source=/etc,target=/e'
  const from = stepMounts([value, `${value},rw`], {...ctx, fromSources: new Map([[value, '/copy'], [`${value},rw`, '/copy2']])})
  t.deepEqual(from.volumes, ['/copy:/e:ro', '/copy2:/e'])
})

test('bad mounts and secrets are one-line usage errors', (t) => {
  const ctx = setup(t)
  const bad: [string, RegExp][] = [
    ['type=bind,source=out/passwd,target=/p', /leads out of the build context/],
    ['type=bind,source=../x,target=/p', /no such file or directory in the build context/],
    ['type=nfs,target=/x', /unsupported mount type "nfs"/],
    ['type=bind,target=/x,bogus=1', /unexpected key "bogus"/],
    ['type=bind,from=stage,target=/x', /no stage or image "stage" to mount from/],
    ['type=cache,target=/x,sharing=private', /unrecognized value "private" for field `sharing`/],
    ['type=cache,target=/x,uid=me', /unable to parse cache uid/],
    ['type=cache,target=/x,mode=999', /unable to parse cache mode/],
    ['type=secret,id=missing,required', /secret "missing" is required/],
    ['type=cache', /a target is required/],
  ]
  for (const [value, message] of bad) t.throws(() => stepMounts([value], ctx), {instanceOf: UsageError, message}, value)
  t.throws(() => parseBuildSecret('src=/etc/hostname'), {message: /incorrect secret flag format/})
  t.throws(() => parseBuildSecret('id=x,src=/nonexistent/file'), {message: 'creating build executor: could not parse secrets: stat /nonexistent/file: no such file or directory'})
  t.deepEqual(parseBuildSecret('id=e,env=HOME'), {id: 'e', env: 'HOME'})
})
