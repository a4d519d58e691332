// Layers collapsed into one: later entries replace earlier ones, whiteouts and opaque dirs drop
// what is below them, and are kept only when there is a base below the squashed layers.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'

import {squashLayers} from '../../src/build/squash'
import {tarEntries} from '../helpers/tar-entries'

async function layer(file: string, entries: {name: string; type?: tar.Header['type']; body?: string; uid?: number; mode?: number}[], gzip = false): Promise<string> {
  const pack = tar.pack()
  for (const e of entries) pack.entry({name: e.name, type: e.type ?? 'file', uid: e.uid ?? 0, gid: e.uid ?? 0, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644)}, e.body ?? '')
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const c of pack) chunks.push(c as Buffer)
  fs.writeFileSync(file, gzip ? zlib.gzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks))
  return file
}

test('later layers win; whiteouts and opaque dirs drop what is below; kept only over a base', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-squash-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const blobs = [
    await layer(path.join(dir, 'l1'), [{name: 'a/', type: 'directory'}, {name: 'a/gone', body: 'g'}, {name: 'a/kept', body: 'k1'}, {name: 'o/', type: 'directory'}, {name: 'o/lower', body: 'l'}, {name: 'f', body: 'file'}], true),
    await layer(path.join(dir, 'l2'), [{name: 'a/.wh.gone'}, {name: 'a/kept', body: 'k2', uid: 1234, mode: 0o4755}, {name: 'o/.wh..wh..opq'}, {name: 'o/upper', body: 'u'}, {name: 'f/', type: 'directory'}, {name: 'f/inside', body: 'i'}]),
  ]
  const summary = async (keep: boolean) => {
    const out = path.join(dir, `out-${keep}`)
    const result = await squashLayers(blobs, out, dir, keep)
    t.regex(result.diffID, /^sha256:[0-9a-f]{64}$/)
    t.is(result.size, fs.statSync(out).size)
    return (await tarEntries(out)).map((e) => `${e.name} ${e.type} ${e.uid} ${(e.mode & 0o7777).toString(8)} ${e.body}`)
  }
  t.deepEqual(await summary(false), ['a/ directory 0 755 ', 'a/kept file 1234 4755 k2', 'f/ directory 0 755 ', 'f/inside file 0 644 i', 'o/ directory 0 755 ', 'o/upper file 0 644 u'])
  t.deepEqual(await summary(true), [
    'a/ directory 0 755 ',
    'a/.wh.gone file 0 644 ',
    'a/kept file 1234 4755 k2',
    'f/ directory 0 755 ',
    'f/inside file 0 644 i',
    'o/ directory 0 755 ',
    'o/.wh..wh..opq file 0 644 ',
    'o/upper file 0 644 u',
  ])
})
