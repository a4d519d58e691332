// @userns
// containers/storage's containers as tspod shows them: Podman's names, image and command for
// each, lookups, and what a container's overlay layer changed over its image's layers.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'

import {externalContainerChanges, listExternalContainers, lookupExternalContainer} from '../../../src/storage/containers-storage/containers'
import {ContainersStorage} from '../../../src/storage/containers-storage/store'
import {native} from '../../../src/native'
import {csStore, markBuildahContainer} from '../../helpers/containers-storage-records'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const C = 'c'.repeat(64)
const IMAGE = 'f'.repeat(64)

test('each container with its first name, its image\'s first name ever given, "buildah" or "storage" as its command', async (t) => {
  const storage = csStore(t, {
    containers: [
      {id: A, names: ['work', 'alias'], image: IMAGE, layer: 'l1', created: '2026-01-02T03:04:05.123456789Z'},
      {id: B, layer: 'l2'},
      {id: C, names: ['s'], layer: 'l3'},
    ],
    layers: [{id: 'l0'}, {id: 'l1', parent: 'l0'}, {id: 'l2'}, {id: 'l3'}],
    images: [{id: IMAGE, names: ['localhost/now:1'], 'names-history': ['localhost/first:1', 'localhost/now:1'], layer: 'l0'}],
  })
  markBuildahContainer(storage, A)
  markBuildahContainer(storage, B)
  t.deepEqual(await listExternalContainers(storage), [
    {id: A, name: 'work', imageId: IMAGE, image: 'localhost/first:1', created: '2026-01-02T03:04:05.123456789Z', command: 'buildah'},
    {id: B, name: 'unknown', imageId: '', image: 'scratch', created: '1970-01-01T00:00:00.000Z', command: 'buildah'},
    {id: C, name: 's', imageId: '', image: '', created: '1970-01-01T00:00:00.000Z', command: 'storage'},
  ])
  t.is(await lookupExternalContainer(storage, 'alias'), A)
  t.is(await lookupExternalContainer(storage, 'ccc'), C)
  t.is(await lookupExternalContainer(storage, 'nosuch'), undefined)
})

test("a container's changes (less the runtime's own paths): its layer's additions, whiteouts (0/0 devices and .wh. files) and changed files over every layer below", async (t) => {
  const storage = csStore(t, {containers: [{id: A, names: ['w'], layer: 'top'}], layers: [{id: 'base'}, {id: 'mid', parent: 'base'}, {id: 'top', parent: 'mid'}]})
  const diff = (layer: string, ...parts: string[]) => path.join(storage.layerFilesDir(layer), ...parts)
  fs.mkdirSync(diff('base', 'etc'))
  fs.writeFileSync(diff('base', 'etc', 'passwd'), 'root\n')
  fs.writeFileSync(diff('base', 'etc', 'group'), 'root\n')
  fs.mkdirSync(diff('mid', 'opt'))
  fs.writeFileSync(diff('mid', 'opt', 'tool'), 'x')
  fs.mkdirSync(diff('top', 'etc'))
  native().mknod(diff('top', 'etc', 'passwd'), fs.constants.S_IFCHR, 0)
  fs.writeFileSync(diff('top', 'etc', 'group'), 'root\nnew\n')
  fs.mkdirSync(diff('top', 'opt'))
  fs.writeFileSync(diff('top', 'opt', '.wh.tool'), '')
  fs.writeFileSync(diff('top', 'added'), '')
  // what the runtime (buildah run) makes for its own mounts is left out, as Podman leaves it out
  fs.writeFileSync(diff('top', 'etc', 'hosts'), '')
  fs.writeFileSync(diff('top', 'etc', 'mtab'), '')
  fs.mkdirSync(diff('top', 'run'))
  const changes = await externalContainerChanges(storage, 'w', undefined)
  t.deepEqual(changes, [
    {kind: 'A', path: '/added'},
    {kind: 'C', path: '/etc'},
    {kind: 'C', path: '/etc/group'},
    {kind: 'D', path: '/etc/passwd'},
    {kind: 'C', path: '/opt'},
    {kind: 'D', path: '/opt/tool'},
  ])
  t.is(await externalContainerChanges(storage, 'nosuch', undefined), undefined)
})

test('no store: no containers, no changes', async (t) => {
  const storage = new ContainersStorage({graphRoot: '/nonexistent/graph', runRoot: '/nonexistent/run', driver: 'overlay'})
  t.deepEqual(await listExternalContainers(storage), [])
  t.is(await externalContainerChanges(storage, 'x', undefined), undefined)
})
