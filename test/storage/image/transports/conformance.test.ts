// @userns
// One round trip every transport passes: a generated image (OCI and Docker schema2) goes in, through
// the transport's own destination and the real copy pipeline (for docker://, tspod does not push:
// the registry helper uploads it), comes out through the transport's own source, and must keep its
// config, its layers' contents (DiffIDs and every file of every layer) and, where the transport
// stores manifests as given, its manifest byte for byte. As real root: the local store writes
// directly.
import test, {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'
import * as zlib from 'node:zlib'

import {loadRegistriesConf} from '../../../../src/storage/image/config/registries-conf'
import {loadStorageConfig} from '../../../../src/storage/config/storage-conf'
import {copyImage} from '../../../../src/storage/image/copy/copy'
import {sha256Digest} from '../../../../src/storage/digest'
import {parseImageConfig} from '../../../../src/storage/image/manifest/image-config'
import {parseImageManifest} from '../../../../src/storage/image/manifest/manifest'
import {IMAGE_MANIFEST_TYPES} from '../../../../src/storage/image/manifest/media-types'
import {Store} from '../../../../src/storage/store/store'
import {StoreImageReference} from '../../../../src/storage/image/transports/containers-storage/transport'
import {parseImageName} from '../../../../src/storage/image/transports/registry'
import {BlobInfo, ImageContext, ImageDestination, ImageReference, ImageSource, ManifestBlob} from '../../../../src/storage/image/transports/types'
import {BuiltImage, ListedEntry, ManifestFormat, layerTar, listTar, multiLayerImage, toDockerSchema2} from '../../../helpers/oci-image'
import {withRegistry} from '../../../helpers/registry'

const registry = withRegistry(test)

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-conformance-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const memoryTransport = {
  name: 'memory',
  parseReference(): ImageReference {
    throw new Error('memory references are made by the test')
  },
}

function memoryReference(name: string): ImageReference {
  return {
    transport: memoryTransport,
    toString: () => name,
    dockerReference: () => undefined,
    newSource: () => Promise.reject(new Error('unused')),
    newDestination: () => Promise.reject(new Error('unused')),
  }
}

/** The generated image as a source: where every round trip starts. */
class BuiltImageSource implements ImageSource {
  readonly reference = memoryReference('generated')
  constructor(private readonly image: BuiltImage) {}

  async getManifest(): Promise<ManifestBlob> {
    return {bytes: this.image.manifest, mediaType: this.image.mediaType}
  }

  async getBlob(info: BlobInfo): Promise<{stream: Readable; size: number}> {
    const data = info.digest === this.image.configDigest ? this.image.config : this.image.layers.find((l) => l.digest === info.digest)?.data
    if (!data) throw new Error(`no blob ${info.digest}`)
    return {stream: Readable.from([data]), size: data.length}
  }

  async close(): Promise<void> {}
}

/** Where every round trip ends: what the source gave, kept in memory, in the manifest type it had. */
class RecordingDestination implements ImageDestination {
  readonly reference = memoryReference('out')
  readonly supportedManifestTypes = [...IMAGE_MANIFEST_TYPES]
  readonly blobs = new Map<string, Buffer>()
  manifest?: ManifestBlob
  committed = false

  async tryReusingBlob(): Promise<BlobInfo | undefined> {
    return undefined
  }

  async putBlob(stream: Readable, info: BlobInfo): Promise<BlobInfo> {
    const data = await readAll(stream)
    this.blobs.set(info.digest, data)
    return {...info, size: data.length}
  }

  async putManifest(manifest: ManifestBlob): Promise<void> {
    this.manifest = manifest
  }

  async commit(): Promise<void> {
    this.committed = true
  }

  async close(): Promise<void> {}
}

interface Written {
  reference: ImageReference
  ctx: ImageContext
}

interface TransportCase {
  name: string
  /** Puts the generated image into the transport and names it there for reading back. */
  writeIn(t: ExecutionContext, image: BuiltImage, format: ManifestFormat): Promise<Written>
  /** Whether a manifest of this format comes back byte for byte (else it is converted or rebuilt). */
  keepsManifest(format: ManifestFormat): boolean
}

/** Copies the generated image into `reference` through its destination. */
async function copyIn(image: BuiltImage, reference: ImageReference, ctx: ImageContext): Promise<void> {
  const dest = await reference.newDestination(ctx)
  try {
    await copyImage(new BuiltImageSource(image), dest)
  } finally {
    await dest.close()
  }
}

/** A file transport: the same name is written, then parsed again and read. */
function fileTransport(name: string, reference: (dir: string) => string, keepsManifest: TransportCase['keepsManifest']): TransportCase {
  return {
    name,
    async writeIn(t, image) {
      const dir = tempDir(t)
      const ctx: ImageContext = {tmpDir: dir}
      const text = reference(dir)
      await copyIn(image, parseImageName(text, {tmpDir: dir}), ctx)
      return {reference: parseImageName(text, {tmpDir: dir}), ctx}
    },
    keepsManifest,
  }
}

const TRANSPORTS: TransportCase[] = [
  {
    name: 'docker',
    async writeIn(t, image, format) {
      const repository = `conformance/${format}`
      await registry().push(repository, 'latest', image)
      const dir = tempDir(t)
      const conf = path.join(dir, 'registries.conf')
      fs.writeFileSync(conf, `[[registry]]\nlocation = "${registry().host}"\ninsecure = true\n`)
      const env = {HOME: dir, CONTAINERS_REGISTRIES_CONF: conf}
      const ctx: ImageContext = {registries: loadRegistriesConf({env}), env, tmpDir: dir}
      return {reference: parseImageName(`docker://${registry().host}/${repository}:latest`), ctx}
    },
    keepsManifest: () => true,
  },
  fileTransport('docker-archive', (dir) => `docker-archive:${dir}/image.tar:localhost/conformance:latest`, () => false),
  fileTransport('oci', (dir) => `oci:${dir}/layout:conformance`, (format) => format === 'oci'),
  fileTransport('oci-archive', (dir) => `oci-archive:${dir}/image.tar:conformance`, (format) => format === 'oci'),
  {
    name: 'containers-storage',
    async writeIn(t, image) {
      const dir = tempDir(t)
      const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
      t.teardown(() => store.close())
      // in through the store's own destination, as every other transport's
      await copyIn(image, StoreImageReference.named(store, ['localhost/conformance:latest']), {})
      const stored = store.images.byName('localhost/conformance:latest')
      if (!stored) throw new Error('the store did not register the image')
      return {reference: StoreImageReference.ofImage(store, stored), ctx: {}}
    },
    keepsManifest: () => true,
  },
]

function uncompressed(blob: Buffer): Buffer {
  return blob[0] === 0x1f && blob[1] === 0x8b ? zlib.gunzipSync(blob) : blob
}

/** A layer's files as comparable text: path, type, mode, owner, link target, content digest. */
function files(entries: ListedEntry[]): string[] {
  return entries.map((e) => `${e.path} ${e.type} ${e.mode.toString(8)} ${e.uid}:${e.gid} ${e.linkname ?? ''} ${sha256Digest(e.content)}`)
}

for (const format of ['oci', 'docker'] as const) {
  for (const transport of TRANSPORTS) {
    test(`${transport.name}: ${format === 'oci' ? 'an OCI' : 'a Docker schema2'} image goes in and comes out with the same config, layers and files`, async (t) => {
      const built = await multiLayerImage()
      const image = format === 'docker' ? toDockerSchema2(built) : built
      const {reference, ctx} = await transport.writeIn(t, image, format)

      const source = await reference.newSource(ctx)
      const out = new RecordingDestination()
      let result
      try {
        result = await copyImage(source, out)
      } finally {
        await source.close()
      }
      t.true(out.committed)

      t.is(result.configDigest, image.configDigest)
      t.true(out.blobs.get(image.configDigest)!.equals(image.config))
      const manifest = parseImageManifest(out.manifest!.bytes, out.manifest!.mediaType)
      if (transport.keepsManifest(format)) {
        t.is(result.manifestDigest, image.manifestDigest)
        t.true(out.manifest!.bytes.equals(image.manifest))
        t.is(out.manifest!.mediaType, image.mediaType)
      }

      const diffIDs = parseImageConfig(out.blobs.get(manifest.config.digest)!).rootfs.diff_ids
      t.deepEqual(diffIDs, image.layers.map((l) => l.diffID))
      t.is(manifest.layers.length, image.layers.length)
      for (const [i, descriptor] of manifest.layers.entries()) {
        const blob = out.blobs.get(descriptor.digest)!
        t.is(sha256Digest(blob), descriptor.digest, `layer ${i} is the blob its manifest names`)
        const tarData = uncompressed(blob)
        t.is(sha256Digest(tarData), image.layers[i].diffID, `layer ${i} unpacks to its DiffID`)
        t.deepEqual(files(await listTar(tarData)), files(await listTar(layerTar(image.layers[i]))), `layer ${i}'s files`)
      }
    })
  }
}
