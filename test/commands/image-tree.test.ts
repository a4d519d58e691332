// `image tree` as the rootless user: Podman's header and layer lines, the tags of the images a
// layer tops, --whatrequires, and its errors.
import test from 'ava'

import {sandboxWithImages} from '../helpers/image-sandbox'
import {tspod} from '../helpers/rootless'

test("image tree: the image's layers bottom first; --whatrequires from its top layer; unknown images", async (t) => {
  const box = await sandboxWithImages(t)
  t.is((await tspod(box, ['tag', 'multi', 'localhost/other:v2'])).code, 0)
  const id = (await tspod(box, ['image', 'inspect', '--format', '{{.ID}}', 'multi'])).stdout.trim()

  const tree = await tspod(box, ['image', 'tree', 'multi'])
  t.is(tree.code, 0, tree.stderr)
  t.true(tree.stdout.endsWith('\n\n'), 'a blank line ends it, as Podman prints it')
  const lines = tree.stdout.trimEnd().split('\n')
  t.is(lines[0], `Image ID: ${id.slice(0, 12)}`)
  t.is(lines[1], 'Tags:     [localhost/multi:latest localhost/other:v2]')
  t.regex(lines[2], /^Size: {5}[\d.]+[kM]?B$/)
  t.is(lines[3], 'Image Layers')
  const layers = lines.slice(4)
  t.true(layers.length > 1)
  for (const line of layers.slice(0, -1)) t.regex(line, /^├── ID: [0-9a-f]{12} Size: +[\d.]+[kM]?B( Top Layer of: \[.*\])?$/)
  t.regex(layers.at(-1)!, /^└── ID: [0-9a-f]{12} Size: +[\d.]+[kM]?B Top Layer of: \[localhost\/multi:latest localhost\/other:v2\]$/)

  const required = await tspod(box, ['image', 'tree', '--whatrequires', 'multi'])
  t.is(required.code, 0, required.stderr)
  t.deepEqual(required.stdout.trimEnd().split('\n').slice(0, 4), lines.slice(0, 4))
  t.is(required.stdout.trimEnd().split('\n').at(-1), layers.at(-1))

  const missing = await tspod(box, ['image', 'tree', 'nosuchimage'])
  t.is(missing.code, 125)
  t.is(missing.stderr.trim(), 'Error: nosuchimage: image not known')
  const noArg = await tspod(box, ['image', 'tree'])
  t.is(noArg.code, 125)
  t.is(noArg.stderr.trim(), 'Error: accepts 1 arg(s), received 0')
})
