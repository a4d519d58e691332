// `mount`/`unmount` of a container: its root (the overlay of its image's layers under its own
// read-write layer, as `run` mounts it, or the vfs driver's full copy bound) on its merged dir,
// in the caller's mount namespace, with a counter per session (mount-records.ts).
import * as fs from 'node:fs'

import {TspodError} from '../../errors'
import type {Store} from '../../storage/store/store'
import type {Container} from '../container/config'
import {containerLayout} from '../container/launch'
import {rootfsSteps} from '../plan'
import {isMountPoint, layersWrittenRootless, runMountSteps, unmountPoint} from './mount-points'
import {MountRecords} from './mount-records'
import {MountSession, currentMountSession, sameSession} from './mount-session'

/** Mount the container's root (or count one more mount); returns the mount point. */
export async function mountContainerRoot(store: Store, c: Container, records: MountRecords, session: MountSession): Promise<string> {
  const id = c.config.id
  const entry = records.entry('container', id, session)
  if (entry && isMountPoint(entry.mountpoint)) {
    records.set('container', id, {...entry, count: entry.count + 1})
    return entry.mountpoint
  }
  const layout = {...containerLayout(store, c), rootless: layersWrittenRootless(store)}
  if (layout.mountedBy) throw new TspodError(`cannot mount container ${c.config.name}: its storage uses fuse-overlayfs (storage.conf's mount_program), which tspod only runs for a container's own start`)
  fs.mkdirSync(layout.mergedDir, {recursive: true, mode: 0o700})
  await runMountSteps(rootfsSteps(layout))
  records.set('container', id, {session, count: 1, mountpoint: layout.mergedDir})
  return layout.mergedDir
}

/**
 * Count one mount down (all of them with `force`); unmounted at zero. Not mounted in this
 * session is no error, as Podman's unmount of a container that is not mounted.
 */
export async function unmountContainerRoot(id: string, records: MountRecords, session: MountSession, force: boolean): Promise<void> {
  const entry = records.entry('container', id, session)
  if (!entry) return
  const count = force ? 0 : entry.count - 1
  if (count === 0) await unmountPoint(entry.mountpoint)
  records.set('container', id, {...entry, count})
}

/**
 * A container being removed: its mounts are forgotten, and the one of this session undone
 * (Podman's rm of a mounted container unmounts it). A mount in another session that still
 * exists keeps the removed dirs' inodes until that session ends.
 */
export async function releaseContainerMounts(store: Store, id: string): Promise<void> {
  const session = currentMountSession()
  await MountRecords.update(store.config.graphRoot, async (records) => {
    for (const entry of records.take('container', id)) {
      if (sameSession(entry.session, session)) await unmountPoint(entry.mountpoint)
    }
  })
}
