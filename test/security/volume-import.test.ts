// `volume import` unpacks an archive into a volume that containers write to. A container (or an
// earlier archive) may have left a symlink there pointing at the user's own files on the host;
// an archive entry below that symlink must not land on the host. Before the fix the host's tar
// ran as mapped root with the host's root and followed `d -> /home/...`. Now tar runs pivoted
// into a root holding only the read-only program dirs and the volume.
import test from 'ava'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tar from 'tar-stream'

import {lookupUser, removeTree, sandbox, tspod, TEST_USER} from '../helpers/rootless'

type Entry = {name: string; body?: string; type?: 'file' | 'symlink'; linkname?: string}

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  pack.on('data', (c) => void chunks.push(c as Buffer))
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()))
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({name: e.name, type: 'symlink', linkname: e.linkname})
    else pack.entry({name: e.name, type: 'file', mode: 0o644}, e.body ?? '')
  }
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

test('volume import never writes through a symlink the volume holds to a host dir', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const hostDir = path.join(box.dir, 'host')
  fs.mkdirSync(hostDir)
  fs.chownSync(hostDir, box.user.uid, box.user.gid)
  t.is((await tspod(box, ['volume', 'create', 'v'])).code, 0)

  const links = await tspod(box, ['volume', 'import', 'v', '-'], {
    input: await tarOf([
      {name: 'abs', type: 'symlink', linkname: hostDir},
      {name: 'rel', type: 'symlink', linkname: `../../../../../../../../..${hostDir}`},
    ]),
  })
  t.is(links.code, 0, links.stderr)
  const attack = await tspod(box, ['volume', 'import', 'v', '-'], {
    input: await tarOf([
      {name: 'abs/planted-abs', body: 'x'},
      {name: 'rel/planted-rel', body: 'x'},
    ]),
  })
  t.deepEqual(fs.readdirSync(hostDir), [], `${attack.code}: ${attack.stderr}`)

  // an ordinary archive still lands in the volume, owners and all
  const plain = await tspod(box, ['volume', 'import', 'v', '-'], {input: await tarOf([{name: 'dir/file', body: 'hello'}])})
  t.is(plain.code, 0, plain.stderr)
  const mountpoint = (await tspod(box, ['volume', 'inspect', '--format', '{{.Mountpoint}}', 'v'])).stdout.trim()
  t.is(fs.readFileSync(path.join(mountpoint, 'dir', 'file'), 'utf8'), 'hello')
})
