// Where things live under the graph root (documented in docs/design/storage-layout.md):
//
//   tspod.db                  metadata (layers, images, names): an index rebuilt from the record files
//   store.json                the driver and volume path the store was made with (store-record.ts)
//   overlay/<layer-id>/diff   a layer's unpacked contents, a lower dir for native overlay (driver/overlay.ts)
//                             (vfs/<layer-id>/dir with the vfs driver: the layer's full tree, driver/vfs.ts)
//   overlay/<layer-id>/blob   the layer blob as it was pulled (for save)
//   overlay/<layer-id>/layer.json              the layer's record (record-files.ts)
//   images/<image-id>/image.json, manifest, config   an image's record, manifest and config
//   tmp/<owner>-<rand>/       downloads in progress (compressed blobs), per writing process
//   staging/<owner>-<rand>/   layers being unpacked; renamed into overlay/ when complete
//   mapped-layers/<top>-<hash>/<n>  layers chowned for another id mapping (mapped-layers.ts)
//   containers/<id>/          a container's upper/, work/, merged/ and userdata/ (logs, /etc files),
//                             its records container.json, runtime-config.json, runtime-state.json
//   volumes/<name>/_data      a named volume's contents, beside its record volume.json (or under --volumepath)
import * as path from 'node:path'

import type {LayerDriver} from './driver/layer-driver'
import {driverNamed} from './driver/select'

export class StoreLayout {
  /** where layer contents and a container's rootfs dirs are, and how a rootfs is mounted */
  readonly driver: LayerDriver
  readonly volumesDir: string

  constructor(
    readonly graphRoot: string,
    options: {driver?: string; volumePath?: string} = {},
  ) {
    this.driver = driverNamed(options.driver ?? 'overlay', graphRoot)
    this.volumesDir = options.volumePath ?? path.join(graphRoot, 'volumes')
  }

  /** the driver's dir of layers (overlay/) */
  get overlayDir(): string {
    return this.driver.layersDir
  }

  layerDir(id: string): string {
    return this.driver.layerDir(id)
  }

  /** a layer's contents (the driver's), a lower dir of a rootfs */
  diffDir(id: string): string {
    return this.driver.contentsDir(id)
  }

  blobFile(id: string): string {
    return path.join(this.layerDir(id), 'blob')
  }

  layerRecord(id: string): string {
    return path.join(this.layerDir(id), 'layer.json')
  }

  get imagesDir(): string {
    return path.join(this.graphRoot, 'images')
  }

  imageDir(id: string): string {
    return path.join(this.imagesDir, id)
  }

  imageRecord(id: string): string {
    return path.join(this.imageDir(id), 'image.json')
  }

  imageManifest(id: string): string {
    return path.join(this.imageDir(id), 'manifest')
  }

  imageConfig(id: string): string {
    return path.join(this.imageDir(id), 'config')
  }

  get tmpDir(): string {
    return path.join(this.graphRoot, 'tmp')
  }

  get stagingDir(): string {
    return path.join(this.graphRoot, 'staging')
  }

  get containersDir(): string {
    return path.join(this.graphRoot, 'containers')
  }

  containerDir(id: string): string {
    return path.join(this.containersDir, id)
  }

  /** storage's record of a container: its name, image and creation time */
  containerRecord(id: string): string {
    return path.join(this.containerDir(id), 'container.json')
  }

  /** the runtime's records of a container (its ContainerConfig and ContainerState) */
  containerRuntimeRecord(id: string, part: 'config' | 'state'): string {
    return path.join(this.containerDir(id), `runtime-${part}.json`)
  }

  volumeRecord(name: string): string {
    return path.join(this.volumesDir, name, 'volume.json')
  }
}
