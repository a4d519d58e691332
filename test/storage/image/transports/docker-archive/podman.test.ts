// @userns
// Podman as the judge of `save` / `load -i`: archives tspod writes load in Podman, and archives
// Podman saves are read by tspod. Podman runs as root on a private vfs store in a temp dir.
import {execFile} from 'node:child_process'
import * as path from 'node:path'
import {promisify} from 'node:util'

import test, {type ExecutionContext} from 'ava'

import {parseImageName} from '../../../../../src/storage/image/transports/registry'
import {DockerArchiveSource} from '../../../../../src/storage/image/transports/docker-archive/source'
import {OciLayoutSource} from '../../../../../src/storage/image/transports/oci-layout/source'
import {buildImage, layerTar} from '../../../../helpers/oci-image'
import {diffIds, putBuiltImage, readImage, tempDir} from '../oci-layout/image-io'

const execFileAsync = promisify(execFile)

function podmanIn(t: ExecutionContext) {
  const dir = tempDir(t, 'tspod-podman-')
  const global = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'runroot'), '--storage-driver', 'vfs', '--events-backend', 'none']
  return async (...args: string[]): Promise<string> => {
    try {
      return (await execFileAsync('podman', [...global, ...args], {timeout: 60_000})).stdout
    } catch (err) {
      const e = err as {stderr?: string; message: string}
      throw new Error(`podman ${args.join(' ')}: ${e.stderr || e.message}`)
    }
  }
}

function image() {
  return buildImage({
    layers: [[{path: 'etc/', type: 'dir'}, {path: 'etc/motd', content: 'saved by tspod\n'}], [{path: 'extra', content: 'extra\n'}]],
    config: {Cmd: ['/bin/sh'], Labels: {saved: 'tspod'}},
  })
}

test('podman load takes the docker-archive and oci-archive tspod saves, with their names', async (t) => {
  const podman = podmanIn(t)
  const dir = tempDir(t)
  const built = await image()
  const docker = path.join(dir, 'docker.tar')
  const oci = path.join(dir, 'oci.tar')
  await putBuiltImage(await parseImageName(`docker-archive:${docker}:localhost/app:docker`).newDestination({}), built)
  await putBuiltImage(await parseImageName(`oci-archive:${oci}:localhost/app:oci`, {tmpDir: dir}).newDestination({}), built)

  t.regex(await podman('load', '-q', '-i', docker), /Loaded image: localhost\/app:docker/)
  t.regex(await podman('load', '-q', '-i', oci), /Loaded image: localhost\/app:oci/)
  const inspected = JSON.parse(await podman('image', 'inspect', 'localhost/app:docker', 'localhost/app:oci'))
  t.is(inspected.length, 2)
  for (const one of inspected) {
    t.is(one.Id, built.configDigest.slice('sha256:'.length), 'the image ID is the config digest')
    t.deepEqual(one.RootFS.Layers, built.layers.map((l) => l.diffID))
    t.deepEqual(one.Labels, {saved: 'tspod'})
  }
})

test('tspod reads what podman save writes in every format', async (t) => {
  const podman = podmanIn(t)
  const dir = tempDir(t)
  const built = await image()
  const input = path.join(dir, 'input.tar')
  await putBuiltImage(await parseImageName(`docker-archive:${input}:localhost/app:1`).newDestination({}), built)
  await podman('load', '-q', '-i', input)
  await podman('tag', 'localhost/app:1', 'localhost/app:2')

  const docker = path.join(dir, 'docker.tar')
  await podman('save', '-q', '--format', 'docker-archive', '-o', docker, 'localhost/app:1')
  const dockerSource = (await parseImageName(`docker-archive:${docker}:localhost/app:1`).newSource({})) as DockerArchiveSource
  t.teardown(() => dockerSource.close())
  const fromDocker = await readImage(dockerSource)
  t.deepEqual(fromDocker.layers, built.layers.map(layerTar))
  t.deepEqual(fromDocker.config, built.config)

  const multi = path.join(dir, 'multi.tar')
  await podman('save', '-q', '-m', '--format', 'docker-archive', '-o', multi, 'localhost/app:1', 'localhost/app:2')
  const multiSource = (await parseImageName(`docker-archive:${multi}:localhost/app:2`).newSource({})) as DockerArchiveSource
  t.teardown(() => multiSource.close())
  t.true(multiSource.repoTags.includes('localhost/app:2'))

  const oci = path.join(dir, 'oci.tar')
  await podman('save', '-q', '--format', 'oci-archive', '-o', oci, 'localhost/app:1')
  // podman names the entry with the full name, colon and all: the ref is everything after FILE:
  const ociSource = (await parseImageName(`oci-archive:${oci}:localhost/app:1`, {tmpDir: dir}).newSource({})) as OciLayoutSource
  t.teardown(() => ociSource.close())
  const fromOci = await readImage(ociSource)
  t.deepEqual(diffIds(fromOci.config), built.layers.map((l) => l.diffID))

  const ociDir = path.join(dir, 'oci-dir')
  await podman('save', '-q', '--format', 'oci-dir', '-o', ociDir, 'localhost/app:1')
  const dirSource = await parseImageName(`oci:${ociDir}`).newSource({})
  t.teardown(() => dirSource.close())
  t.deepEqual(diffIds((await readImage(dirSource)).config), built.layers.map((l) => l.diffID))
})
