// skopeo (containers/image) as the judge: layouts written by tspod are read by skopeo, and layouts
// written by skopeo are read by tspod.
import {readFileSync} from 'node:fs'
import * as path from 'node:path'

import test from 'ava'

import {MEDIA_TYPE_OCI_INDEX} from '../../../../../src/storage/image/manifest/media-types'
import {parseImageName} from '../../../../../src/storage/image/transports/registry'
import {OciLayoutSource} from '../../../../../src/storage/image/transports/oci-layout/source'
import {buildImage, buildIndex, hostArchitecture} from '../../../../helpers/oci-image'
import {diffIds, putBuiltImage, putBuiltIndex, readImage, skopeo, tempDir} from './image-io'

function twoLayerImage() {
  return buildImage({
    layers: [
      [{path: 'etc/', type: 'dir'}, {path: 'etc/greeting', content: 'hello\n'}],
      [{path: 'usr/', type: 'dir'}, {path: 'usr/share/', type: 'dir'}, {path: 'usr/share/x', content: 'x\n'}],
    ],
    config: {Env: ['PATH=/bin'], Cmd: ['/bin/true'], Labels: {'org.example': 'yes'}},
  })
}

test('skopeo inspects an image tspod wrote to oci:DIR:REF, and copies it back into a layout tspod reads', async (t) => {
  const dir = tempDir(t)
  const layout = path.join(dir, 'layout')
  const image = await twoLayerImage()
  await putBuiltImage(await parseImageName(`oci:${layout}:app:1.0`).newDestination({}), image)

  const inspected = JSON.parse(await skopeo(['inspect', `oci:${layout}:app:1.0`]))
  t.is(inspected.Digest, image.manifestDigest)
  t.deepEqual(inspected.Layers, image.layers.map((l) => l.digest))
  t.deepEqual(inspected.Labels, {'org.example': 'yes'})
  const raw = await skopeo(['inspect', '--raw', `oci:${layout}:app:1.0`])
  t.deepEqual(Buffer.from(raw), image.manifest)

  // skopeo adds a second image to the same layout; tspod finds both by name
  await skopeo(['copy', '-q', `oci:${layout}:app:1.0`, `oci:${layout}:copy`])
  const source = await parseImageName(`oci:${layout}:copy`).newSource({})
  t.teardown(() => source.close())
  const read = await readImage(source)
  t.deepEqual(read.config, image.config)
  t.deepEqual(read.layers, image.layers.map((l) => l.data))
  t.deepEqual(diffIds(read.config), image.layers.map((l) => l.diffID))
})

test('an image index tspod wrote is resolved by skopeo for a platform', async (t) => {
  const dir = tempDir(t)
  const layout = path.join(dir, 'layout')
  const amd = await buildImage({layers: [[{path: 'which', content: 'amd64\n'}]], architecture: 'amd64'})
  const arm = await buildImage({layers: [[{path: 'which', content: 'arm64\n'}]], architecture: 'arm64', variant: 'v8'})
  const index = buildIndex([amd, arm])
  await putBuiltIndex(await parseImageName(`oci:${layout}:multi`).newDestination({}), index)
  const inspected = JSON.parse(await skopeo(['--override-arch', 'arm64', '--override-variant', 'v8', 'inspect', `oci:${layout}:multi`]))
  t.is(inspected.Digest, index.manifestDigest)
  t.is(inspected.Architecture, 'arm64')
  t.deepEqual(inspected.Layers, arm.layers.map((l) => l.digest))

  // skopeo copies the whole index into a new layout; tspod sees the index entry and its instances
  const copy = path.join(dir, 'copy')
  await skopeo(['copy', '-q', '--all', `oci:${layout}:multi`, `oci:${copy}:again`])
  const source = (await parseImageName(`oci:${copy}:again`).newSource({})) as OciLayoutSource
  t.teardown(() => source.close())
  t.is(source.entry.mediaType, MEDIA_TYPE_OCI_INDEX)
  t.is(source.entry.digest, index.manifestDigest)
  if (hostArchitecture() === 'amd64' || hostArchitecture() === 'arm64') {
    const read = await readImage(source)
    t.deepEqual(read.layers, (hostArchitecture() === 'amd64' ? amd : arm).layers.map((l) => l.data))
  }
  const written = JSON.parse(readFileSync(path.join(copy, 'index.json'), 'utf8'))
  t.is(written.manifests.length, 1)
})
