// @userns
// `import` as a library, on a real store in this root process: a gzip tarball becomes a
// one-layer image whose layer is the tar, with the changes and message in its config.
import test from 'ava'
import {createHash} from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'

import {loadStorageConfig} from '../../../src/storage/config/storage-conf'
import {loadRegistriesConf} from '../../../src/storage/image/config/registries-conf'
import {importTarball} from '../../../src/storage/image/import'
import {Store} from '../../../src/storage/store/store'

async function tarball(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack()
  for (const [name, content] of Object.entries(files)) pack.entry({name, mode: 0o644}, content)
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of pack) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

test('a gzip tarball becomes a named one-layer image: the layer is its tar, the config has the changes and the message', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-import-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const store = await Store.open(loadStorageConfig({root: path.join(dir, 'graph'), runRoot: path.join(dir, 'run')}), undefined)
  t.teardown(() => store.close())
  const plain = await tarball({'random.txt': 'hello\n'})
  const file = path.join(dir, 'rootfs.tar.gz')
  fs.writeFileSync(file, zlib.gzipSync(plain))
  const image = await importTarball(store, file, {
    name: 'localhost/imported:1',
    changes: ['CMD=/bin/true', 'ENV A=b'],
    message: 'from a tarball',
    ctx: {registries: loadRegistriesConf({})},
    isTerminal: false,
  })
  t.deepEqual(image.names, ['localhost/imported:1'])
  t.is(image.layers.length, 1)
  const config = JSON.parse(image.config.toString())
  t.deepEqual(config.rootfs.diff_ids, [`sha256:${createHash('sha256').update(plain).digest('hex')}`])
  t.deepEqual(config.config, {Cmd: ['/bin/sh', '-c', '/bin/true'], Env: ['A=b']})
  t.is(config.history[0].comment, 'from a tarball')
  t.is(fs.readFileSync(path.join(store.layout.diffDir(image.layers[0]), 'random.txt'), 'utf8'), 'hello\n')
  await t.throwsAsync(importTarball(store, file, {changes: ['RUN x'], ctx: {registries: loadRegistriesConf({})}, isTerminal: false}), {message: /invalid instruction RUN/})
})
