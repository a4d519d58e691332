// @userns
// Real root's containers have no user namespace of their own: one that joins another's network,
// or a pod's namespaces, enters them without entering a user namespace (joining one's own is
// EINVAL), with tspod's runtime and with crun.
import test from 'ava'
import * as path from 'node:path'

import {buildImage, busyboxRootfsEntries, writeOciArchive} from '../helpers/oci-image'
import {lookupUser, removeTree, sandbox, tspod, tspodOk} from '../helpers/rootless'

test('as real root: --network container:X and a pod member share the donor\'s network and hostname', async (t) => {
  const box = sandbox(lookupUser('root'))
  t.teardown(() => removeTree(box.dir))
  const store = ['--root', path.join(box.dir, 'graph'), '--runroot', path.join(box.dir, 'run')]
  const run = (args: string[]) => tspod(box, [...store, ...args])
  const ok = (args: string[]) => tspodOk(box, [...store, ...args])
  t.teardown(async () => {
    await run(['pod', 'rm', '-a', '-f', '-t', '0'])
    await run(['rm', '-a', '-f', '-t', '0'])
  })
  const archive = path.join(box.dir, 'busybox.tar')
  await writeOciArchive(archive, [{image: await buildImage({layers: [await busyboxRootfsEntries()]}), ref: 'localhost/busybox:latest'}])
  await ok(['load', '-i', archive])
  await ok(['run', '-d', '--name', 'donor', '--hostname', 'donorhost', 'busybox', 'sleep', '60'])
  const donorLinks = await ok(['exec', 'donor', 'cat', '/proc/net/dev'])
  for (const runtime of ['tspod', 'crun']) {
    const joined = await ok(['--runtime', runtime, 'run', '--rm', '--network', 'container:donor', 'busybox', 'cat', '/proc/net/dev'])
    t.is(joined.split('\n').map((l) => l.split(':')[0]).join(','), donorLinks.split('\n').map((l) => l.split(':')[0]).join(','), runtime)
  }
  await ok(['pod', 'create', '--name', 'p', '--hostname', 'podhost'])
  t.is(await ok(['run', '--rm', '--pod', 'p', 'busybox', 'hostname']), 'podhost\n')
})
