// A hostile directory header with a nonzero size must not hang the unpack: tar-stream never
// gives a directory data, so its entry stream must not be waited on.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {Readable} from 'node:stream'

import {applyLayer} from '../../../../src/storage/store/archive/apply-layer'
import {tarEntryBlocks} from './layer-tar'

function withSize(header: Buffer, size: number): Buffer {
  const block = Buffer.from(header.subarray(0, 512))
  block.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii')
  block.fill(' ', 148, 156)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii')
  return block
}

test('a directory header with a size field does not hang the unpack', async (t) => {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-dirsize-'))
  t.teardown(() => fs.rmSync(dest, {recursive: true, force: true}))
  const tar = Buffer.concat([
    withSize(tarEntryBlocks({name: 'd', type: 'dir', mode: 0o755}), 512),
    tarEntryBlocks({name: 'd/f', data: 'after\n', mode: 0o644}),
    Buffer.alloc(1024),
  ])
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('unpack hung')), 10_000).unref())
  await Promise.race([applyLayer(Readable.from([tar]), dest, {ignoreChownErrors: true}), timeout])
  t.is(fs.readFileSync(path.join(dest, 'd/f'), 'utf8'), 'after\n')
})
