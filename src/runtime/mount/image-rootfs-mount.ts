// `image mount`/`image unmount`: an image's root, read-only — the overlay of its layers with no
// upper dir (a single layer, or the vfs driver's full copy of the top one, bound read-only) — on
// a dir of the graph root, in the caller's mount namespace, with a counter per session.
import * as fs from 'node:fs'
import * as path from 'node:path'

import {TspodError} from '../../errors'
import type {ChildStep} from '../../native'
import type {Image} from '../../storage/store/images/images'
import {escapeOverlayPath} from '../../storage/store/driver/overlay'
import type {Store} from '../../storage/store/store'
import {MOUNT_DATA_LIMIT} from '../plan'
import {MS, stepName} from '../rootfs-mount'
import {isMountPoint, layersWrittenRootless, runMountSteps, unmountPoint} from './mount-points'
import {MountRecords} from './mount-records'
import {MountSession, sameSession} from './mount-session'

export function imageMountpoint(store: Store, imageId: string): string {
  return path.join(store.config.graphRoot, 'image-mounts', imageId)
}

function readOnlyBind(source: string, target: string): ChildStep[] {
  return [
    {kind: 'mount', name: stepName(`bind \`${source}\` to \`${target}\``), source, path: target, flags: MS.BIND | MS.REC},
    {kind: 'mount', name: stepName(`make \`${target}\` read-only`), source: 'none', path: target, flags: MS.BIND | MS.REMOUNT | MS.RDONLY},
  ]
}

/** The steps that mount the image's layers read-only on `target`. */
export function imageRootSteps(store: Store, image: Image, target: string, rootless: boolean): ChildStep[] {
  if (image.layers.length === 0) throw new TspodError(`image ${image.id} has no layers to mount`)
  const dirs = image.layers.map((layer) => store.layout.diffDir(layer)).reverse()
  if (store.layout.driver.fullCopies || dirs.length === 1) return readOnlyBind(dirs[0], target)
  const data = [`lowerdir=${dirs.map(escapeOverlayPath).join(':')}`, ...(rootless ? ['userxattr'] : [])].join(',')
  if (data.length > MOUNT_DATA_LIMIT) throw new TspodError(`cannot mount image ${image.id}: mount label too large ${data.length} > page size ${MOUNT_DATA_LIMIT + 1}`)
  return [{kind: 'mount', name: stepName(`mount overlay to \`${target}\``), source: 'overlay', fstype: 'overlay', path: target, flags: MS.RDONLY | MS.NODEV, data}]
}

/** Mount the image's root (or count one more mount); returns the mount point. */
export async function mountImageRoot(store: Store, image: Image, records: MountRecords, session: MountSession): Promise<string> {
  const entry = records.entry('image', image.id, session)
  if (entry && isMountPoint(entry.mountpoint)) {
    records.set('image', image.id, {...entry, count: entry.count + 1})
    return entry.mountpoint
  }
  const target = imageMountpoint(store, image.id)
  fs.mkdirSync(target, {recursive: true, mode: 0o700})
  await runMountSteps(imageRootSteps(store, image, target, layersWrittenRootless(store)))
  records.set('image', image.id, {session, count: 1, mountpoint: target})
  return target
}

/** Count one mount down (all of them with `force`); unmounted at zero. */
export async function unmountImageRoot(id: string, records: MountRecords, session: MountSession, force: boolean): Promise<boolean> {
  const entry = records.entry('image', id, session)
  if (!entry) return false
  const count = force ? 0 : entry.count - 1
  if (count === 0) {
    await unmountPoint(entry.mountpoint)
    fs.rmSync(entry.mountpoint, {recursive: true, force: true})
  }
  records.set('image', id, {...entry, count})
  return true
}

/** Forget the mounts of removed images, unmounting those of this session. */
export async function releaseRemovedImageMounts(store: Store, records: MountRecords, session: MountSession): Promise<void> {
  for (const id of records.ids('image')) {
    if (store.images.get(id)) continue
    for (const entry of records.take('image', id)) {
      if (sameSession(entry.session, session)) await unmountPoint(entry.mountpoint)
    }
  }
}
