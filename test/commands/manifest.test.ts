// The manifest verbs with the real CLI as the rootless test user: a list is an image of the store
// (listed by images, removed by rmi or manifest rm), edited by add/annotate/remove, read from the
// store or from a registry.
import test from 'ava'

import {registrySandbox, sandboxWithImages} from '../helpers/image-sandbox'
import {busyboxImage, multiPlatformIndex} from '../helpers/oci-image'
import {startRegistry} from '../helpers/registry'
import {removeTree, tspod} from '../helpers/rootless'

interface ListDoc {
  mediaType: string
  manifests: {digest: string; mediaType: string; size: number; platform: Record<string, unknown>; annotations?: Record<string, string>}[]
}

test('manifest create, add from the store, annotate, remove, exists, inspect; images and rmi see the list', async (t) => {
  const box = await sandboxWithImages(t)
  const run = async (args: string[]) => tspod(box, args)

  const created = await run(['manifest', 'create', 'mylist:1.0'])
  t.is(created.code, 0, created.stderr)
  const id = created.stdout.trim()
  t.regex(id, /^[0-9a-f]{64}$/)
  const again = await run(['manifest', 'create', 'mylist:1.0'])
  t.is(again.code, 125)
  t.is(again.stderr, `Error: creating image to hold manifest list: image name "localhost/mylist:1.0" is already associated with image "${id}": that name is already in use\n`)

  const empty = JSON.parse((await run(['manifest', 'inspect', 'mylist:1.0'])).stdout) as ListDoc
  t.is(empty.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json')
  t.deepEqual(empty.manifests, [])

  // where one image is wanted, a list stands for its instance for this platform: none yet
  const inspected = await run(['image', 'inspect', 'mylist:1.0'])
  t.is(inspected.code, 125)
  t.regex(inspected.stderr, /^Error: no image found in manifest list for architecture "[^"]+", variant "[^"]*", OS "linux": image not known\n$/)

  const images = await run(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}} {{.History}}', '--no-trunc'])
  t.true(images.stdout.split('\n').includes(`localhost/mylist:1.0 sha256:${id} `), images.stdout)

  const added = await run(['manifest', 'add', '--arch', 'arm64', '--variant', 'v8', '--os-version', '10', '--features', 'sse4', 'mylist:1.0', 'containers-storage:localhost/busybox:latest'])
  t.is(added.code, 0, added.stderr)
  t.is(added.stdout.trim(), id)
  const one = JSON.parse((await run(['manifest', 'inspect', 'mylist:1.0'])).stdout) as ListDoc
  t.is(one.manifests.length, 1)
  const digest = one.manifests[0].digest
  t.is(digest, (await run(['image', 'inspect', '--format', '{{.Digest}}', 'localhost/busybox'])).stdout.trim())
  t.deepEqual(one.manifests[0].platform, {architecture: 'arm64', os: 'linux', 'os.version': '10', variant: 'v8', features: ['sse4']})

  // an annotation makes the list an OCI index, the only format that holds one
  const annotated = await run(['manifest', 'annotate', '--annotation', 'team=infra', '--os-features', 'win32k', 'mylist:1.0', digest])
  t.is(annotated.code, 0, annotated.stderr)
  const index = JSON.parse((await run(['manifest', 'inspect', 'mylist:1.0'])).stdout) as ListDoc
  t.is(index.mediaType, 'application/vnd.oci.image.index.v1+json')
  t.deepEqual(index.manifests[0].annotations, {team: 'infra'})
  t.deepEqual(index.manifests[0].platform['os.features'], ['win32k'])

  const unknown = await run(['manifest', 'annotate', 'mylist:1.0', 'sha256:0000'])
  t.is(unknown.code, 125)
  t.is(unknown.stderr, 'Error: annotating mylist:1.0: no instance matching digest "sha256:0000" found in manifest list\n')

  t.is((await run(['manifest', 'remove', 'mylist:1.0', digest])).stdout.trim(), id)
  t.deepEqual((JSON.parse((await run(['manifest', 'inspect', 'mylist:1.0'])).stdout) as ListDoc).manifests, [])
  t.is((await run(['manifest', 'remove', 'mylist:1.0', digest])).code, 125)

  t.is((await run(['manifest', 'exists', 'mylist:1.0'])).code, 0)
  t.is((await run(['manifest', 'exists', 'nolist'])).code, 1)
  const notList = await run(['manifest', 'exists', 'localhost/busybox'])
  t.is(notList.code, 125)
  t.is(notList.stderr, 'Error: localhost/busybox: image is not a manifest list\n')
  t.is((await run(['manifest', 'rm', 'localhost/busybox'])).code, 125)
  t.is((await run(['image', 'exists', 'localhost/busybox'])).code, 0)

  const rm = await run(['manifest', 'rm', 'mylist:1.0'])
  t.is(rm.stdout, `Untagged: localhost/mylist:1.0\nDeleted: ${id}\n`)
  t.is((await run(['manifest', 'exists', 'mylist:1.0'])).code, 1)

  const other = (await run(['manifest', 'create', 'other'])).stdout.trim()
  const rmi = await run(['rmi', 'other'])
  t.is(rmi.stdout, `Untagged: localhost/other:latest\nDeleted: ${other}\n`)
})

test('manifest add and inspect read a registry: the host platform instance of a list, or with --all every one', async (t) => {
  const registry = await startRegistry()
  t.teardown(() => registry.stop())
  const index = await multiPlatformIndex('docker')
  await registry.pushIndex('multi', 'latest', index)
  await registry.push('single', '1', await busyboxImage())
  const box = registrySandbox(registry.host)
  t.teardown(() => removeTree(box.dir))

  const remote = await tspod(box, ['manifest', 'inspect', `${registry.host}/multi:latest`])
  t.is(remote.code, 0, remote.stderr)
  t.is(JSON.stringify(JSON.parse(remote.stdout)), JSON.stringify(JSON.parse(index.manifest.toString())))

  t.is((await tspod(box, ['manifest', 'create', 'fromreg', `${registry.host}/single:1`])).code, 0)
  t.is((await tspod(box, ['manifest', 'add', '--all', 'fromreg', `docker://${registry.host}/multi:latest`])).code, 0)
  const list = JSON.parse((await tspod(box, ['manifest', 'inspect', 'fromreg'])).stdout) as ListDoc
  t.deepEqual(
    list.manifests.map((m) => m.digest),
    [(await busyboxImage()).manifestDigest, ...index.images.map((i) => i.manifestDigest)],
  )

  // push: every instance under its digest, then the list under the tag; --rm drops the list after
  const pushed = await tspod(box, ['manifest', 'push', '-q', '--rm', '--format', 'oci', '--digestfile', `${box.dir}/digest`, 'fromreg', `docker://${registry.host}/pushed:v1`])
  t.is(pushed.code, 0, pushed.stderr)
  t.is((await tspod(box, ['manifest', 'exists', 'fromreg'])).code, 1)
  const served = await tspod(box, ['manifest', 'inspect', `${registry.host}/pushed:v1`])
  const pushedList = JSON.parse(served.stdout) as ListDoc
  t.is(pushedList.mediaType, 'application/vnd.oci.image.index.v1+json')
  t.is(pushedList.manifests.length, 1 + index.images.length)
  for (const m of pushedList.manifests) {
    const instance = JSON.parse((await tspod(box, ['manifest', 'inspect', `${registry.host}/pushed@${m.digest}`])).stdout) as {mediaType: string}
    t.is(instance.mediaType, 'application/vnd.oci.image.manifest.v1+json')
  }
  const pulled = await tspod(box, ['pull', '-q', `${registry.host}/pushed:v1`])
  t.is(pulled.code, 0, pulled.stderr)

  const missing = await tspod(box, ['manifest', 'inspect', `${registry.host}/nothere:latest`])
  t.is(missing.code, 125)
  t.regex(missing.stderr, new RegExp(`^Error: reading image "docker://${registry.host}/nothere:latest": .*manifest unknown`))
})
