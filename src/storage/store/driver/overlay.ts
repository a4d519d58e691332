// The overlay driver: the only place that knows overlayfs's layout and options.
//
//   overlay/<layer-id>/diff            a layer's contents, a lower dir (staging/<…>/diff while unpacked)
//   containers/<id>/{upper,work,merged}  a container's read-write layer, overlay's work dir, its root
//
// A rootfs is mounted with lowerdir (top layer first), upperdir and workdir; rootless mounts add
// `userxattr`, which makes overlay read its markers as user.overlay.* xattrs (trusted.overlay.*
// as real root). Whiteouts are written as overlay reads them: a char 0/0 node for a removed
// entry, the opaque xattr on a dir that hides everything below it.
import * as path from 'node:path'

import {TspodError} from '../../../errors'
import type {UserNamespaceMapping} from '../../../userns/idmap'
import type {ContainerLayerDirs, LayerDriver, MountProbeResult, RootfsDirs} from './layer-driver'

/** The opaque marker overlay reads in a mount with (`user`) or without (`trusted`) userxattr. */
export function overlayOpaqueXattr(namespace: 'user' | 'trusted'): string {
  return `${namespace}.overlay.opaque`
}

/** A dir in overlay's mount data: `\\`, `:` and `,` escaped. */
export function escapeOverlayPath(dir: string): string {
  return dir.replace(/[\\:,]/g, (c) => `\\${c}`)
}

/** The data of the kernel's overlay mount: lowerdir, upperdir, workdir (and userxattr rootless). */
export function overlayMountOptions(dirs: RootfsDirs, options: {rootless: boolean; dirOf?: (dir: string) => string}): string {
  const dirOf = options.dirOf ?? ((d: string) => path.resolve(d))
  const list = [
    `lowerdir=${dirs.lowerDirs.map((d) => escapeOverlayPath(dirOf(d))).join(':')}`,
    `upperdir=${escapeOverlayPath(dirOf(dirs.upperDir))}`,
    `workdir=${escapeOverlayPath(dirOf(dirs.workDir))}`,
  ]
  if (options.rootless) list.push('userxattr')
  return list.join(',')
}

function escapeOption(value: string): string {
  return value.replace(/[\\,]/g, (c) => `\\${c}`)
}

/** fuse-overlayfs splits lowerdir (and upperdir) at every `:`, with no escape. */
function checkLayerDir(dir: string, role: string): string {
  const resolved = path.resolve(dir)
  if (resolved.includes(':')) throw new TspodError(`fuse-overlayfs cannot use the ${role} \`${resolved}\`: its path contains ":"`, {path: resolved})
  return resolved
}

/** The `-o` of fuse-overlayfs (storage.conf's mount_program): the layers, then storage.conf's mountopt. */
export function fuseOverlayOptions(layout: RootfsDirs, mountOptions?: string): string {
  if (layout.lowerDirs.length === 0) throw new TspodError('an overlay rootfs needs at least one lower dir')
  const lower = layout.lowerDirs.map((d) => checkLayerDir(d, 'layer dir'))
  const options = [
    `lowerdir=${escapeOption(lower.join(':'))}`,
    `upperdir=${escapeOption(checkLayerDir(layout.upperDir, 'upper dir'))}`,
    `workdir=${escapeOption(path.resolve(layout.workDir))}`,
  ]
  const extra = (mountOptions ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '' && o !== 'metacopy=on')
  return [...options, ...extra].join(',')
}

export class OverlayDriver implements LayerDriver {
  readonly name = 'overlay'
  readonly fullCopies = false

  constructor(readonly graphRoot: string) {}

  get layersDir(): string {
    return path.join(this.graphRoot, 'overlay')
  }

  layerDir(id: string): string {
    return path.join(this.layersDir, id)
  }

  contentsDir(id: string): string {
    return path.join(this.layerDir(id), 'diff')
  }

  stagedContentsDir(staging: string): string {
    return path.join(staging, 'diff')
  }

  containerDirs(containerDir: string): ContainerLayerDirs {
    return {upper: path.join(containerDir, 'upper'), work: path.join(containerDir, 'work'), merged: path.join(containerDir, 'merged')}
  }

  mountOptions(dirs: RootfsDirs, options: {rootless: boolean; dirOf?: (dir: string) => string}): string {
    return overlayMountOptions(dirs, options)
  }

  /** Podman's: the top layer as UpperDir, the others top first as LowerDir. */
  inspectData(layerIds: string[]): Record<string, string | undefined> {
    if (layerIds.length === 0) return {}
    const top = layerIds[layerIds.length - 1]
    return {
      UpperDir: this.contentsDir(top),
      LowerDir: layerIds.slice(0, -1).reverse().map((l) => this.contentsDir(l)).join(':') || undefined,
    }
  }

  opaqueXattr(rootless: boolean): string {
    return overlayOpaqueXattr(rootless ? 'user' : 'trusted')
  }

  /** loaded when asked: the probe spawns a child in namespaces, which the unpack worker never does */
  async probe(parent: string, mapping: UserNamespaceMapping): Promise<MountProbeResult> {
    const {probeNativeOverlay} = await import('./overlay-probe')
    return probeNativeOverlay(parent, mapping)
  }
}
