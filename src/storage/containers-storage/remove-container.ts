// Removing a container from containers/storage as its DeleteContainer does, under the store's
// exclusive locks: the container's read-write layer (the graph driver's dirs first, then the
// layer's record and mount record), then the container's record, then its dirs under the graph
// and run roots. Each changed record file's lock gets a new last-writer id so that Podman and
// buildah read the records again.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import type {UserNamespaceMapping} from '../../userns/idmap'
import {removeAsMappedRoot} from '../store/remove-tree'
import {writeRecordFile, readRecordFile, type CsContainer, type CsLayer, type CsMountPoint} from './records'
import {findCsContainer, type ContainersStorage} from './store'
import type {StoreLock} from './store-lock'

export class CsContainerMountedError extends TspodError {}

/** Drop the record with `id` from whichever of `files` holds it; the file written, if any. */
function dropRecord<T extends {id: string}>(files: string[], id: string): string | undefined {
  for (const file of files) {
    const records = readRecordFile<T>(file)
    const kept = records.filter((r) => r.id !== id)
    if (kept.length === records.length) continue
    writeRecordFile(file, kept)
    return file
  }
  return undefined
}

function touch(locks: StoreLock[], lockFile: string): void {
  locks.find((l) => l.file === lockFile)?.recordWrite()
}

/**
 * Remove the container `nameOrId` from the store; its full ID, or undefined when the store has
 * no such container. A mounted container (another tool is using its root) goes only with force.
 */
export async function removeCsContainer(storage: ContainersStorage, nameOrId: string, options: {force?: boolean; mapping: UserNamespaceMapping | undefined}): Promise<string | undefined> {
  if (!storage.exists()) return undefined
  return await storage.locked('exclusive', async (snapshot, locks) => {
    const container: CsContainer | undefined = findCsContainer(snapshot.containers, nameOrId)
    if (!container) return undefined
    const mount = snapshot.mountPoints.find((m) => m.id === container.layer)
    if (mount && (mount.count ?? 0) > 0 && !options.force)
      throw new CsContainerMountedError(`container ${JSON.stringify(container.id)} is mounted and cannot be removed without using force: container state improper`)
    const layersLock = path.join(storage.layersDir, 'layers.lock')
    const mountsLock = path.join(path.dirname(storage.mountPointsFile), 'mountpoints.lock')
    if (snapshot.layers.some((l) => l.id === container.layer)) {
      await removeAsMappedRoot(storage.layerDriverPaths(container.layer), options.mapping)
      fs.rmSync(path.join(storage.layersDir, `${container.layer}.tar-split.gz`), {force: true})
      if (dropRecord<CsLayer>([storage.layersFile, storage.volatileLayersFile], container.layer)) touch(locks, layersLock)
      if (mount && dropRecord<CsMountPoint>([storage.mountPointsFile], container.layer)) touch(locks, mountsLock)
    }
    if (dropRecord<CsContainer>([storage.containersFile, storage.volatileContainersFile], container.id)) touch(locks, path.join(storage.containersDir, 'containers.lock'))
    await removeAsMappedRoot([storage.containerDir(container.id), storage.containerRunDir(container.id)], options.mapping)
    return container.id
  })
}
