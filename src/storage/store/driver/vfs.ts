// The vfs driver, containers-storage's fallback where overlay cannot mount: every layer is a
// complete tree, and a container's root is a complete copy of its image's top layer. Nothing is
// stacked, so there are no whiteout markers on disk and no overlay mount; the cost is space and
// the time of a copy per layer and per container.
//
//   vfs/<layer-id>/dir            a layer's full tree: its parent's copied, then its diff applied
//   containers/<id>/rootfs        a container's root: a copy of the top layer, bind-mounted
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import type {ContainerLayerDirs, LayerDriver, MountProbeResult} from './layer-driver'
import {overlayOpaqueXattr} from './overlay'

export class VfsDriver implements LayerDriver {
  readonly name = 'vfs'
  readonly fullCopies = true

  constructor(readonly graphRoot: string) {}

  get layersDir(): string {
    return path.join(this.graphRoot, 'vfs')
  }

  layerDir(id: string): string {
    return path.join(this.layersDir, id)
  }

  contentsDir(id: string): string {
    return path.join(this.layerDir(id), 'dir')
  }

  stagedContentsDir(staging: string): string {
    return path.join(staging, 'dir')
  }

  /** `work` is kept for the shape of the interface; nothing mounts with it */
  containerDirs(containerDir: string): ContainerLayerDirs {
    return {upper: path.join(containerDir, 'rootfs'), work: path.join(containerDir, 'work'), merged: path.join(containerDir, 'merged')}
  }

  mountOptions(): string {
    throw new TspodError('the vfs driver mounts no overlay: a container root is a bind mount of its own copy')
  }

  /** containers-storage's vfs reports no driver data */
  inspectData(): Record<string, string | undefined> {
    return {}
  }

  /** never written by vfs (opaque dirs are emptied when applied); the name checks look for */
  opaqueXattr(rootless: boolean): string {
    return overlayOpaqueXattr(rootless ? 'user' : 'trusted')
  }

  /** a bind mount works wherever the store's files can be read */
  async probe(): Promise<MountProbeResult> {
    return {native: true}
  }
}

