// Images end to end, as the rootless user, against Debian's real registry on 127.0.0.1.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {getxattr} from '../helpers/xattr'
import {graphRoot, leftovers, registrySandbox} from '../helpers/image-sandbox'
import {busyboxImage, multiLayerImage, multiPlatformIndex} from '../helpers/oci-image'
import {Registry, freePort, startRegistry} from '../helpers/registry'
import {removeTree, tspod} from '../helpers/rootless'

let registry: Registry
const configId = (digest: string) => digest.slice('sha256:'.length)
let busyboxId: string
let multiId: string

test.before(async () => {
  registry = await startRegistry()
  const busybox = await busyboxImage()
  busyboxId = configId(busybox.configDigest)
  await registry.push('testbox', 'latest', busybox)
  const multi = await multiLayerImage()
  multiId = configId(multi.configDigest)
  await registry.push('test/multi', '1', multi)
  await registry.pushIndex('test/multiarch', 'latest', await multiPlatformIndex())
})
test.after.always(() => registry?.stop())

function subuidStart(): number {
  const line = fs.readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith('tspoduser:'))!
  return Number(line.split(':')[1])
}

test('pull by short name through registries.conf, then images, inspect, exists', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  const pull = await tspod(box, ['pull', 'testbox'])
  t.is(pull.code, 0, pull.stderr)
  t.is(pull.stdout, `${busyboxId}\n`)
  t.regex(pull.stderr, new RegExp(`Trying to pull ${registry.host}/testbox:latest\\.\\.\\.`))
  t.regex(pull.stderr, /Writing manifest to image destination/)

  const images = await tspod(box, ['images'])
  t.regex(images.stdout, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n/)
  t.regex(images.stdout, new RegExp(`${registry.host}/testbox\\s+latest\\s+${busyboxId.slice(0, 12)}\\s+`))
  const q = await tspod(box, ['images', '-q'])
  t.is(q.stdout, `${busyboxId.slice(0, 12)}\n`)
  const formatted = await tspod(box, ['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])
  t.is(formatted.stdout, `${registry.host}/testbox:latest ${busyboxId.slice(0, 12)}\n`)
  const json = JSON.parse((await tspod(box, ['images', '--format', 'json'])).stdout)
  t.is(json[0].Id, busyboxId)
  t.deepEqual(json[0].RepoTags, [`${registry.host}/testbox:latest`])

  const inspect = JSON.parse((await tspod(box, ['image', 'inspect', 'testbox'])).stdout)
  t.is(inspect[0].Id, busyboxId)
  t.deepEqual(inspect[0].Config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=oci'])
  t.deepEqual(inspect[0].Config.Cmd, ['/bin/sh'])
  t.is(inspect[0].RootFS.Layers.length, 1)
  t.true(inspect[0].RepoDigests[0].startsWith(`${registry.host}/testbox@sha256:`))
  const arch = await tspod(box, ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', 'testbox'])
  t.regex(arch.stdout, /^linux\/(amd64|arm64)\n$/)

  t.is((await tspod(box, ['image', 'exists', 'testbox'])).code, 0)
  t.is((await tspod(box, ['image', 'exists', 'nosuchimage'])).code, 1)
  t.deepEqual(leftovers(box), [])
})

test('layers unpack as the mapped ids, with whiteouts and opaque dirs in overlay form', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  const pull = await tspod(box, ['pull', '-q', `${registry.host}/test/multi:1`])
  t.is(pull.code, 0, pull.stderr)
  t.is(pull.stdout, `${multiId}\n`)
  t.is(pull.stderr, '')
  const inspect = JSON.parse((await tspod(box, ['image', 'inspect', multiId])).stdout)[0]
  const top = inspect.GraphDriver.Data.UpperDir as string
  t.true(top.startsWith(path.join(graphRoot(box), 'overlay')))
  const owned = fs.statSync(path.join(top, 'data/user-owned.txt'))
  t.is(owned.uid, subuidStart() + 1233)
  t.is(owned.gid, subuidStart() + 1233)
  t.is(fs.statSync(path.join(top, 'data/setuid')).mode & 0o7777, 0o4755)
  const whiteout = fs.lstatSync(path.join(top, 'data/gone.txt'))
  t.true(whiteout.isCharacterDevice())
  t.is(whiteout.rdev, 0)
  t.is(getxattr(path.join(top, 'opq'), 'user.overlay.opaque'), 'y')
  t.is(fs.statSync(path.join(top, '..')).uid, box.user.uid)
})

test('tag, untag and rmi keep Podman semantics; removing the last image removes its layers', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  t.is((await tspod(box, ['pull', '-q', 'testbox'])).code, 0)
  t.is((await tspod(box, ['tag', 'testbox', 'mybox', 'other/box:v2'])).code, 0)
  const names = JSON.parse((await tspod(box, ['image', 'inspect', 'testbox'])).stdout)[0].RepoTags
  t.deepEqual([...names].sort(), [`${registry.host}/testbox:latest`, 'localhost/mybox:latest', 'localhost/other/box:v2'].sort())

  const rmName = await tspod(box, ['rmi', 'mybox'])
  t.is(rmName.stdout, 'Untagged: localhost/mybox:latest\n')
  const byId = await tspod(box, ['rmi', busyboxId.slice(0, 12)])
  t.is(byId.code, 125)
  t.regex(byId.stderr, /^Error: unable to delete image ".*" by ID with more than one tag \(\[.* .*\]\): please force removal\n$/)
  t.is((await tspod(box, ['untag', busyboxId, 'other/box:v2'])).code, 0)

  const rm = await tspod(box, ['rmi', 'testbox'])
  t.is(rm.code, 0, rm.stderr)
  t.is(rm.stdout, `Untagged: ${registry.host}/testbox:latest\nDeleted: ${busyboxId}\n`)
  t.deepEqual(fs.readdirSync(path.join(graphRoot(box), 'overlay')), [])
  const missing = await tspod(box, ['rmi', 'testbox'])
  t.is(missing.code, 1)
  t.is(missing.stderr, 'Error: testbox: image not known\n')
  const forced = await tspod(box, ['rmi', '-f', 'testbox'])
  t.is(forced.code, 0)
  t.is(forced.stdout + forced.stderr, '')

  // rmi -a: in the order the images came into the store, as Podman (containers-storage's order)
  for (const ref of ['testbox', 'test/multi:1']) t.is((await tspod(box, ['pull', '-q', ref])).code, 0)
  const all = await tspod(box, ['rmi', '-a'])
  t.is(all.stdout, `Untagged: ${registry.host}/testbox:latest\nUntagged: ${registry.host}/test/multi:1\nDeleted: ${busyboxId}\nDeleted: ${multiId}\n`, all.stderr)
})

test('a pull by tag@digest names the image repo@digest, which untag takes off again', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  const ref = `${registry.host}/testbox:latest`
  t.is((await tspod(box, ['pull', '-q', ref])).code, 0)
  const digest = (await tspod(box, ['image', 'inspect', '--format', '{{.Digest}}', ref])).stdout.trim()
  t.is((await tspod(box, ['pull', '-q', `${ref}@${digest}`])).code, 0)
  const names = JSON.parse((await tspod(box, ['image', 'inspect', ref])).stdout)[0].NamesHistory
  t.true(names.includes(`${registry.host}/testbox@${digest}`))
  const untag = await tspod(box, ['untag', ref, `${ref}@${digest}`])
  t.is(untag.code, 0, untag.stderr)
  t.is((await tspod(box, ['image', 'exists', ref])).code, 0)
  const again = await tspod(box, ['untag', ref, `${ref}@${digest}`])
  t.is(again.code, 125)
  t.is(again.stderr, `Error: ${registry.host}/testbox@${digest}: tag not known\n`)
})

test('a manifest list resolves to the host platform, or to --arch/--platform', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  t.is((await tspod(box, ['pull', '-q', '--arch', 'arm64', `${registry.host}/test/multiarch`])).code, 0)
  const arm = await tspod(box, ['image', 'inspect', '--format', '{{.Architecture}} {{.Variant}}', `${registry.host}/test/multiarch`])
  t.is(arm.stdout, 'arm64 v8\n')
  t.is((await tspod(box, ['pull', '-q', '--platform', 'linux/arm/v7', `${registry.host}/test/multiarch`])).code, 0)
  const v7 = await tspod(box, ['image', 'inspect', '--format', '{{.Architecture}}/{{.Variant}}', `${registry.host}/test/multiarch`])
  t.is(v7.stdout, 'arm/v7\n')
  const dangling = await tspod(box, ['images', '--filter', 'dangling=true', '-q'])
  t.is(dangling.stdout.trim().split('\n').length, 1)
  t.is((await tspod(box, ['image', 'prune', '-f'])).code, 0)
  t.is((await tspod(box, ['images', '-q', '--filter', 'dangling=true'])).stdout, '')
})

test('pull errors: one line, exit 125, and the store is unchanged', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  t.is((await tspod(box, ['pull', '-q', 'testbox'])).code, 0)
  const before = (await tspod(box, ['images', '--format', 'json'])).stdout

  const unknown = await tspod(box, ['pull', `${registry.host}/no/such:tag`])
  t.is(unknown.code, 125)
  t.regex(unknown.stderr, new RegExp(`\nError: initializing source docker://${registry.host}/no/such:tag: reading manifest tag in ${registry.host}/no/such: manifest unknown: manifest unknown\n$`))
  // Nothing listens on 127.0.0.2 (the test registries bind 127.0.0.1), so this cannot race.
  const refused = await tspod(box, ['pull', `127.0.0.2:${await freePort()}/x`])
  t.is(refused.code, 125)
  t.regex(refused.stderr, /\nError: [^\n]*connect: connection refused\n$/)
  const bad = await tspod(box, ['pull', 'UPPER/Case'])
  t.is(bad.code, 125)
  t.regex(bad.stderr, /^Error: [^\n]*repository name must be lowercase\n$/)

  t.is((await tspod(box, ['images', '--format', 'json'])).stdout, before)
  t.deepEqual(leftovers(box), [])
})

test('system df counts images and their shared layers', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  t.is((await tspod(box, ['pull', '-q', 'testbox'])).code, 0)
  const df = await tspod(box, ['system', 'df', '--format', '{{.Type}} {{.Total}}'])
  t.is(df.stdout, 'Images 1\nContainers 0\nLocal Volumes 0\n')
})

test('image diff lists the top layer over the ones below; diff of an unknown name fails as Podman does', async (t) => {
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))
  t.is((await tspod(box, ['pull', '-q', 'testbox'])).code, 0)
  const diff = await tspod(box, ['image', 'diff', 'testbox'])
  t.is(diff.code, 0, diff.stderr)
  const lines = diff.stdout.split('\n')
  t.is(lines[0], 'A /bin')
  t.true(lines.includes('A /bin/busybox'))
  const json = JSON.parse((await tspod(box, ['diff', '--format', 'json', 'testbox'])).stdout)
  t.true(json.added.includes('/bin/busybox'))
  const missing = await tspod(box, ['diff', 'nosuch'])
  t.is(missing.code, 125)
  t.is(missing.stderr, 'Error: nosuch not found: layer not known\n')
  const badFormat = await tspod(box, ['diff', '--format', 'table', 'testbox'])
  t.is(badFormat.stderr, "Error: only supported value for '--format' is 'json'\n")
})
