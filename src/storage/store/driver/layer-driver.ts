// The seam between the store and the way a layer sits on disk and is mounted (containers/storage's
// graph driver). The store keeps its records, blobs and DB; a driver owns the layout of layer
// contents, a container's read-write dirs, the mount of a rootfs and how the image format's
// whiteouts are written. overlay.ts stacks layers in a mount; vfs.ts keeps full copies and
// mounts nothing but a bind of the container's own copy.
import type {UserNamespaceMapping} from '../../../userns/idmap'

/** The dirs an overlay-style rootfs is made of. */
export interface RootfsDirs {
  /** the image's layer dirs, top layer first */
  lowerDirs: string[]
  upperDir: string
  workDir: string
}

/** A container's own dirs, beside its userdata under containers/<id>/. */
export interface ContainerLayerDirs {
  /** its read-write layer */
  upper: string
  /** the driver's scratch dir */
  work: string
  /** the container's root, where the rootfs is mounted */
  merged: string
}

export interface MountProbeResult {
  native: boolean
  /** the failing step and errno when native is false */
  error?: string
}

export interface LayerDriver {
  /** the driver's name, as storage.conf, info and inspect say it ("overlay") */
  readonly name: string
  /**
   * vfs's way: a layer's contents are its parent's tree with its diff applied (whiteouts remove
   * what they name), and a container's upper dir is a full copy of its image's top layer, its
   * whole root, bind-mounted (a RootfsLayout without lower dirs). Else layers hold their diff
   * only (whiteouts kept as the driver's markers) and a rootfs stacks them in a mount.
   */
  readonly fullCopies: boolean
  /** the dir holding every layer's dir */
  readonly layersDir: string
  /** everything of one layer: its contents, and the store's blob and record beside them */
  layerDir(id: string): string
  /** a layer's unpacked contents: a lower dir of the rootfs of every container that uses it */
  contentsDir(id: string): string
  /** where an unpack into the staging dir `staging` writes the contents, moved to contentsDir once complete */
  stagedContentsDir(staging: string): string
  /** a container's upper, work and merged dirs under its own dir */
  containerDirs(containerDir: string): ContainerLayerDirs
  /**
   * The mount options of a rootfs made of `dirs`. rootless: mounted inside a user namespace.
   * dirOf turns each dir into the path written (absolute, or relative to a dir changed into first).
   */
  mountOptions(dirs: RootfsDirs, options: {rootless: boolean; dirOf?: (dir: string) => string}): string
  /** inspect's GraphDriver.Data for an image with these layers, bottom first */
  inspectData(layerIds: string[]): Record<string, string | undefined>
  /** The xattr marking a dir opaque (a whiteout of everything below it), as written by real root or rootless. */
  opaqueXattr(rootless: boolean): string
  /** Does the driver's mount work in a user namespace on the filesystem of `parent`? (a real mount) */
  probe(parent: string, mapping: UserNamespaceMapping): Promise<MountProbeResult>
}
