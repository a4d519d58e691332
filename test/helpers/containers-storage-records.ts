// A containers/storage store on a temp dir, written record by record as containers/storage lays
// it out (overlay driver): for unit tests of tspod's reader that need no buildah.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import type {CsContainer, CsImage, CsLayer, CsMountPoint} from '../../src/storage/containers-storage/records'
import {ContainersStorage} from '../../src/storage/containers-storage/store'

export interface CsFixture {
  containers?: CsContainer[]
  layers?: CsLayer[]
  images?: CsImage[]
  mountPoints?: CsMountPoint[]
}

function write(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), {recursive: true})
  fs.writeFileSync(file, JSON.stringify(value))
}

/** The store with the records given, each layer with its overlay dir (diff/, link) and short link, each container with its dirs. */
export function csStore(t: {teardown(fn: () => void): void}, fixture: CsFixture): ContainersStorage {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-csstore-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const storage = new ContainersStorage({graphRoot: path.join(dir, 'graph'), runRoot: path.join(dir, 'run'), driver: 'overlay'})
  const graph = storage.location.graphRoot
  write(storage.containersFile, fixture.containers ?? [])
  write(storage.layersFile, fixture.layers ?? [])
  write(path.join(storage.imagesDir, 'images.json'), fixture.images ?? [])
  write(storage.mountPointsFile, fixture.mountPoints ?? [])
  for (const layer of fixture.layers ?? []) {
    const link = `L${layer.id.toUpperCase()}`
    fs.mkdirSync(path.join(graph, 'overlay', layer.id, 'diff'), {recursive: true})
    fs.writeFileSync(path.join(graph, 'overlay', layer.id, 'link'), link)
    fs.mkdirSync(path.join(graph, 'overlay', 'l'), {recursive: true})
    fs.symlinkSync(`../${layer.id}/diff`, path.join(graph, 'overlay', 'l', link))
  }
  for (const c of fixture.containers ?? []) {
    fs.mkdirSync(path.join(storage.containerDir(c.id), 'userdata'), {recursive: true})
    fs.mkdirSync(storage.containerRunDir(c.id), {recursive: true})
  }
  return storage
}

/** buildah's state file in a container's userdata, as buildah writes it (type "buildah 0.0.1"). */
export function markBuildahContainer(storage: ContainersStorage, id: string): void {
  fs.writeFileSync(path.join(storage.containerDir(id), 'userdata', 'buildah.json'), JSON.stringify({type: 'buildah 0.0.1', 'container-name': 'x'}))
}
