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

test('volume export archives a symlink the volume holds to the user\'s files as a symlink, never what it points at', async (t) => {
  const box = sandbox(lookupUser(TEST_USER))
  t.teardown(() => removeTree(box.dir))
  const hostDir = path.join(box.dir, 'private')
  fs.mkdirSync(hostDir)
  fs.writeFileSync(path.join(hostDir, 'key'), 'the user\'s secret')
  fs.chownSync(hostDir, box.user.uid, box.user.gid)
  t.is((await tspod(box, ['volume', 'create', 'v'])).code, 0)
  // what a container leaves in its volume: links to the user's files, absolute and relative
  const mountpoint = (await tspod(box, ['volume', 'inspect', '--format', '{{.Mountpoint}}', 'v'])).stdout.trim()
  fs.symlinkSync(hostDir, path.join(mountpoint, 'dir-link'))
  fs.symlinkSync(path.join(hostDir, 'key'), path.join(mountpoint, 'file-link'))
  fs.symlinkSync(`../../../../../../../../..${hostDir}/key`, path.join(mountpoint, 'rel-link'))

  const archive = path.join(box.dir, 'v.tar')
  const exported = await tspod(box, ['volume', 'export', '-o', archive, 'v'])
  t.is(exported.code, 0, exported.stderr)
  const bytes = fs.readFileSync(archive)
  const entries: {name: string; type: string; linkname?: string | null}[] = []
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    entries.push({name: header.name, type: header.type ?? '', linkname: header.linkname})
    stream.resume()
    stream.on('end', next)
  })
  await new Promise<void>((resolve, reject) => extract.on('finish', resolve).on('error', reject).end(bytes))
  const links = entries.filter((e) => /link$/.test(e.name)).sort((a, b) => a.name.localeCompare(b.name))
  t.deepEqual(links.map((e) => [e.name.replace(/^\.\//, ''), e.type]), [['dir-link', 'symlink'], ['file-link', 'symlink'], ['rel-link', 'symlink']])
  t.false(entries.some((e) => e.name.includes('key')), 'nothing below the linked dir is archived')
  t.false(bytes.includes('the user\'s secret'))
})
