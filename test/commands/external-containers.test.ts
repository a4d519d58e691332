// @userns
// Containers of containers/storage's store (buildah's working containers) through the CLI, as
// the rootless user with real buildah: ps --external, container exists --external, diff, rm.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {buildah, buildahSandbox, changedBuildahContainer, type BuildahSandbox} from '../helpers/buildah-store'
import {REPO, runAs, tspod, tspodOk as ok} from '../helpers/rootless'

test('ps --external lists buildah containers as Podman does (status Storage, command buildah); plain ps -a does not', async (t) => {
  const box = await buildahSandbox(t)
  const id = await changedBuildahContainer(box, 'bctr')
  t.is(await ok(box, ['ps', '--external', '--format', '{{.ID}} {{.Names}} {{.Command}} {{.Status}}']), `${id.slice(0, 12)} bctr buildah Storage\n`)
  t.is(await ok(box, ['ps', '-a', '--external', '--no-trunc', '--format', '{{.ID}}']), `${id}\n`)
  const [row] = JSON.parse(await ok(box, ['ps', '-a', '--external', '--format', 'json'])) as Record<string, unknown>[]
  t.like(row, {Id: id, Names: ['bctr'], Command: ['buildah'], State: 'storage', Status: 'Storage', Mounts: null, Networks: null})
  t.is(await ok(box, ['ps', '-a', '--format', '{{.ID}}']), '')
})

test('container exists --external finds a buildah container by name, ID and ID prefix; without --external it is not there (1)', async (t) => {
  const box = await buildahSandbox(t)
  const id = await changedBuildahContainer(box, 'bctr')
  t.is((await tspod(box, ['container', 'exists', 'bctr'])).code, 1)
  for (const name of ['bctr', id, id.slice(0, 12)]) t.is((await tspod(box, ['container', 'exists', '--external', name])).code, 0, name)
  t.is((await tspod(box, ['container', 'exists', '--external', 'nosuch'])).code, 1)
})

test('diff of a buildah container: its overlay layer over the image (a deletion by a whiteout, the parent dir changed)', async (t) => {
  const box = await buildahSandbox(t)
  await changedBuildahContainer(box, 'bctr')
  t.deepEqual(JSON.parse(await ok(box, ['diff', '--format', 'json', 'bctr'])), {changed: ['/etc', '/etc/group'], added: ['/added'], deleted: ['/etc/passwd']})
  t.is(await ok(box, ['container', 'diff', 'bctr']), 'A /added\nC /etc\nC /etc/group\nD /etc/passwd\n')
})

test('diff of a buildah container reads a dir that a subordinate id closed to the user (in the user namespace)', async (t) => {
  const box = await buildahSandbox(t)
  await buildah(box, ['from', '--quiet', '--name', 'bctr', box.image])
  await buildah(box, ['unshare', 'sh', '-c', 'set -e; m=$(buildah mount bctr); mkdir "$m/x"; touch "$m/x/f"; chown -R 1000:1000 "$m/x"; chmod 700 "$m/x"; buildah umount bctr'])
  t.is(await ok(box, ['diff', 'bctr']), 'A /x\nA /x/f\n')
})

test('rm of a buildah container removes it from containers/storage: buildah no longer sees it, its layer is gone, the store stays usable', async (t) => {
  const box = await buildahSandbox(t)
  const id = await changedBuildahContainer(box, 'bctr')
  await buildah(box, ['from', '--quiet', '--name', 'other', box.image])
  const layer = (JSON.parse(fs.readFileSync(path.join(box.graphRoot, 'overlay-containers', 'containers.json'), 'utf8')) as {id: string; layer: string}[]).find((c) => c.id === id)!.layer
  const r = await tspod(box, ['rm', 'bctr'])
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout, 'bctr\n')
  t.is(await buildah(box, ['containers', '--format', '{{.ContainerName}}']), 'other')
  t.false(fs.existsSync(path.join(box.graphRoot, 'overlay', layer)))
  t.false(fs.existsSync(path.join(box.graphRoot, 'overlay-containers', id)))
  t.false(fs.readFileSync(path.join(box.graphRoot, 'overlay-layers', 'layers.json'), 'utf8').includes(layer))
  await buildah(box, ['from', '--quiet', '--name', 'bctr', box.image])
  await buildah(box, ['rm', 'bctr', 'other'])
  t.is(await buildah(box, ['containers', '--quiet']), '')
  t.is((await tspod(box, ['rm', 'bctr'])).code, 1)
})

test('rm of a buildah container that is mounted needs --force', async (t) => {
  const box = await buildahSandbox(t)
  await buildah(box, ['from', '--quiet', '--name', 'bctr', box.image])
  await buildah(box, ['unshare', 'buildah', 'mount', 'bctr'])
  const r = await tspod(box, ['rm', 'bctr'])
  t.is(r.code, 125)
  t.regex(r.stderr, /^Error: container "[0-9a-f]{64}" is mounted and cannot be removed without using force: container state improper\n$/)
  t.is(await buildah(box, ['containers', '--format', '{{.ContainerName}}']), 'bctr')
  t.is(await ok(box, ['rm', '-f', 'bctr']), 'bctr\n')
  t.is(await buildah(box, ['containers', '--quiet']), '')
})

test('no containers/storage store: ps --external lists nothing; a damaged containers.json is a one-line error naming it', async (t) => {
  const box = await buildahSandbox(t)
  t.is(await ok(box, ['ps', '-a', '--external', '--format', '{{.ID}}']), '')
  await buildah(box, ['from', '--quiet', '--name', 'bctr', box.image])
  const file = path.join(box.graphRoot, 'overlay-containers', 'containers.json')
  fs.writeFileSync(file, '[{"id": "abc", ')
  const r = await tspod(box, ['ps', '-a', '--external'])
  t.is(r.code, 125)
  t.is(r.stderr.split('\n').length, 2)
  t.true(r.stderr.startsWith(`Error: ${file} is damaged: `), r.stderr)
})

test('rm of a container only tspod\'s store knows (a creation cut short) removes it too; ps --external shows it as storage', async (t) => {
  const box = await buildahSandbox(t)
  await ok(box, ['pull', '-q', box.image])
  const imageId = (await ok(box, ['images', '-q', '--no-trunc'])).trim().replace(/^sha256:/, '')
  const dist = (...parts: string[]) => JSON.stringify(path.join(REPO, 'dist', 'src', ...parts))
  const script = `
    const {Store} = require(${dist('storage', 'store', 'store.js')})
    const {loadStorageConfig} = require(${dist('storage', 'config', 'storage-conf.js')})
    Store.open(loadStorageConfig()).then((store) => {
      store.containers.create({id: '${'c'.repeat(64)}', name: 'cut-short', imageId: '${imageId}', created: new Date().toISOString()})
      store.close()
    })`
  const made = await runAs(box.user, [process.execPath, '-e', script], {env: box.env})
  t.is(made.code, 0, made.stderr)
  t.is(await ok(box, ['ps', '--external', '--format', '{{.Names}} {{.Command}} {{.Status}} {{.ImageID}}']), `cut-short storage Storage ${imageId}\n`)
  t.is((await tspod(box, ['container', 'exists', 'cut-short'])).code, 1)
  t.is(await ok(box, ['rm', 'cut-short']), 'cut-short\n')
  t.is(await ok(box, ['ps', '--external', '--format', '{{.Names}}']), '')
})
