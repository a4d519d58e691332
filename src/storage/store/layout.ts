// Where things live under the graph root (documented in docs/design/storage-layout.md):
//
//   tspod.db                  metadata (layers, images, names)
//   overlay/<layer-id>/diff   a layer's unpacked contents, a lower dir for native overlay
//   overlay/<layer-id>/blob   the layer blob as it was pulled (for save)
//   tmp/<owner>-<rand>/       downloads in progress (compressed blobs), per writing process
//   staging/<owner>-<rand>/   layers being unpacked; renamed into overlay/ when complete
//   mapped-layers/<top>-<hash>/<n>  layers chowned for another id mapping (mapped-layers.ts)
//   containers/<id>/          a container's upper/, work/, merged/ and userdata/ (logs, /etc files)
//   volumes/<name>/_data      a named volume's contents
import * as path from 'node:path'

export class StoreLayout {
  constructor(readonly graphRoot: string) {}

  get overlayDir(): string {
    return path.join(this.graphRoot, 'overlay')
  }

  layerDir(id: string): string {
    return path.join(this.overlayDir, id)
  }

  diffDir(id: string): string {
    return path.join(this.layerDir(id), 'diff')
  }

  blobFile(id: string): string {
    return path.join(this.layerDir(id), 'blob')
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

  get volumesDir(): string {
    return path.join(this.graphRoot, 'volumes')
  }
}
