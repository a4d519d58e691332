// skopeo (containers/image) as the judge of the docker-archive format in both directions.
import * as path from 'node:path'

import test from 'ava'

import {parseImageName} from '../../../../../src/storage/image/transports/registry'
import {DockerArchiveSource} from '../../../../../src/storage/image/transports/docker-archive/source'
import {buildImage, layerTar, toDockerSchema2} from '../../../../helpers/oci-image'
import {copyImage, diffIds, putBuiltImage, readImage, skopeo, tempDir} from '../oci-layout/image-io'

function image() {
  return buildImage({
    layers: [
      [{path: 'etc/', type: 'dir'}, {path: 'etc/os-release', content: 'ID=tspod\n'}],
      [{path: 'bin/', type: 'dir'}, {path: 'bin/tool', content: '#!/bin/sh\necho tool\n', mode: 0o755}],
    ],
    config: {Env: ['A=1'], Entrypoint: ['/bin/tool'], Labels: {from: 'tspod'}},
  })
}

test('skopeo reads a docker-archive tspod wrote, and converts it to OCI with the same diffIDs', async (t) => {
  const dir = tempDir(t)
  const built = await image()
  const file = path.join(dir, 'tspod.tar')
  await putBuiltImage(await parseImageName(`docker-archive:${file}:localhost/app:1`).newDestination({}), built)

  const inspected = JSON.parse(await skopeo(['inspect', `docker-archive:${file}`]))
  t.deepEqual(inspected.Labels, {from: 'tspod'})
  t.deepEqual(inspected.Layers, built.layers.map((l) => l.diffID))
  const byTag = JSON.parse(await skopeo(['inspect', `docker-archive:${file}:localhost/app:1`]))
  t.is(byTag.Digest, inspected.Digest)

  const layout = path.join(dir, 'layout')
  await skopeo(['copy', '-q', `docker-archive:${file}`, `oci:${layout}:converted`])
  const source = await parseImageName(`oci:${layout}:converted`).newSource({})
  t.teardown(() => source.close())
  const read = await readImage(source)
  t.deepEqual(diffIds(read.config), built.layers.map((l) => l.diffID))
})

test('a docker-archive skopeo wrote from an OCI layout is read by tspod: diffIDs match the config and the layer tars', async (t) => {
  const dir = tempDir(t)
  const built = await image()
  const layout = path.join(dir, 'layout')
  await putBuiltImage(await parseImageName(`oci:${layout}:app`).newDestination({}), built)
  const file = path.join(dir, 'skopeo.tar')
  await skopeo(['copy', '-q', `oci:${layout}:app`, `docker-archive:${file}:example.com/app:2`])

  const source = (await parseImageName(`docker-archive:${file}:example.com/app:2`).newSource({})) as DockerArchiveSource
  t.teardown(() => source.close())
  t.deepEqual(source.repoTags, ['example.com/app:2'])
  const read = await readImage(source)
  t.deepEqual(read.manifest.layers.map((l) => l.digest), diffIds(read.config))
  t.deepEqual(diffIds(read.config), built.layers.map((l) => l.diffID))
  t.deepEqual(read.layers, built.layers.map(layerTar))

  // and tspod's own copy of it, from docker-archive to oci-archive, is accepted by skopeo
  const archive = path.join(dir, 'again.tar')
  await copyImage(
    await parseImageName(`docker-archive:${file}`).newSource({}),
    await parseImageName(`oci-archive:${archive}:app`, {tmpDir: dir}).newDestination({}),
  )
  const inspected = JSON.parse(await skopeo(['inspect', `oci-archive:${archive}:app`]))
  t.deepEqual(inspected.Layers, built.layers.map((l) => l.diffID), 'uncompressed layers keep their diffIDs as digests')
})

test('the Docker schema2 form converted by tspod into an oci: layout is accepted by skopeo', async (t) => {
  const dir = tempDir(t)
  const built = toDockerSchema2(await image())
  const file = path.join(dir, 'docker.tar')
  await putBuiltImage(await parseImageName(`docker-archive:${file}:app`).newDestination({}), built)
  const layout = path.join(dir, 'layout')
  await copyImage(await parseImageName(`docker-archive:${file}`).newSource({}), await parseImageName(`oci:${layout}:x`).newDestination({}))
  const inspected = JSON.parse(await skopeo(['inspect', `oci:${layout}:x`]))
  t.deepEqual(inspected.Layers, built.layers.map((l) => l.diffID))
  t.deepEqual(inspected.Labels, {from: 'tspod'})
})
