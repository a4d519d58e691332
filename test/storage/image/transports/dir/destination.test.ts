// The dir: destination takes over only an empty directory or one of its own.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {dirTransport} from '../../../../../src/storage/image/transports/dir/transport'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-dir-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('a non-empty directory that is not a dir: image is refused and left alone', async (t) => {
  const dir = tempDir(t)
  fs.writeFileSync(path.join(dir, 'precious.txt'), 'keep')
  await t.throwsAsync(dirTransport.parseReference(dir).newDestination({}), {message: `non-empty directory "${dir}" that doesn't look like a dir: destination`})
  t.deepEqual(fs.readdirSync(dir), ['precious.txt'])
})

test('a previous dir: image is replaced; a blob is reused when present; a wrong digest is refused', async (t) => {
  const dir = path.join(tempDir(t), 'img')
  const first = await dirTransport.parseReference(dir).newDestination({})
  const old = await first.putBlob(Readable.from([Buffer.from('old blob')]), {digest: '', size: -1}, {isConfig: false})
  t.like(await first.tryReusingBlob({digest: old.digest, size: -1}), {digest: old.digest, size: 8})

  const second = await dirTransport.parseReference(dir).newDestination({})
  t.is(await second.tryReusingBlob({digest: old.digest, size: -1}), undefined)
  t.deepEqual(fs.readdirSync(dir), ['version'])
  await t.throwsAsync(second.putBlob(Readable.from([Buffer.from('x')]), {digest: old.digest, size: 1}, {isConfig: false}), {message: /digest mismatch/})
  t.deepEqual(fs.readdirSync(dir), ['version'])
})
