// An Engine on a store in a temp dir, with the busybox test image loaded (named
// localhost/busybox:latest) and, when asked, a second image of its own; the store and container
// records for calling the Engine's modules directly.
import type {ExecutionContext} from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {Engine} from '../../src/engine'
import {parseContainerSpec} from '../../src/engine/container-spec'
import type {CreateInput} from '../../src/engine'
import type {ContainerOptions} from '../../src/specgen/options'
import {ContainerRecords} from '../../src/runtime/container/records'
import type {Store} from '../../src/storage/store/store'
import {busyboxImage, multiLayerImage, writeOciArchive} from '../helpers/oci-image'
import {removeTree} from '../helpers/rootless'

export interface EngineFixture {
  engine: Engine
  store: Store
  records: ContainerRecords
  dir: string
  busyboxId: string
  /** the ID of the second image (localhost/other:latest), when asked for */
  otherId?: string
}

async function loadNamed(engine: Engine, dir: string, image: Awaited<ReturnType<typeof busyboxImage>>, name: string): Promise<string> {
  const archive = path.join(dir, 'image.tar')
  await writeOciArchive(archive, [{image}])
  const [loaded] = await engine.load({input: archive, stdin: process.stdin})
  await engine.tag(loaded.image.id, [name])
  fs.rmSync(archive)
  return loaded.image.id
}

export async function engineFixture(t: ExecutionContext, options: {otherImage?: boolean} = {}): Promise<EngineFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-engine-fixture-'))
  const engine = new Engine({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')})
  t.teardown(async () => {
    // containers still running are stopped with their removal
    await engine.remove({names: [], all: true, force: true, timeout: 0})
    engine.close()
    // a monitor may still be finishing the clean-up of a container it ran
    removeTree(dir)
  })
  const busyboxId = await loadNamed(engine, dir, await busyboxImage(), 'localhost/busybox:latest')
  const otherId = options.otherImage ? await loadNamed(engine, dir, await multiLayerImage(), 'localhost/other:latest') : undefined
  const store = await engine.store()
  return {engine, store, records: ContainerRecords.open(store), dir, busyboxId, otherId}
}

/** create's input for `image` with Podman's flags in `options`; a pull fails the test's way (`pullContext` throws). */
export function createInput(image: string, options: ContainerOptions = {}, extra: Partial<CreateInput> = {}): CreateInput {
  return {
    image,
    spec: parseContainerSpec(options),
    pullContext: () => {
      throw new Error(`test: ${image} was to be pulled`)
    },
    ...extra,
  }
}
