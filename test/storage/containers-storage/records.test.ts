// containers/storage's record files: a missing file is no records, a damaged one an error
// naming the file, and a written file keeps every field, mode 0600.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {readRecordFile, writeRecordFile} from '../../../src/storage/containers-storage/records'

function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-csrec-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return dir
}

test('a missing or empty record file has no records', (t) => {
  const dir = tempDir(t)
  t.deepEqual(readRecordFile(path.join(dir, 'containers.json')), [])
  fs.writeFileSync(path.join(dir, 'empty.json'), '')
  t.deepEqual(readRecordFile(path.join(dir, 'empty.json')), [])
  fs.writeFileSync(path.join(dir, 'null.json'), 'null')
  t.deepEqual(readRecordFile(path.join(dir, 'null.json')), [])
})

test('a damaged record file is a one-line error naming it', (t) => {
  const dir = tempDir(t)
  for (const [name, text] of [
    ['cut.json', '[{"id": "a", '],
    ['object.json', '{"id": "a"}'],
    ['noid.json', '[{"names": ["x"]}]'],
  ]) {
    const file = path.join(dir, name)
    fs.writeFileSync(file, text)
    const err = t.throws(() => readRecordFile(file))
    t.true(err!.message.startsWith(`${file} is damaged: `), err!.message)
    t.false(err!.message.includes('\n'))
  }
})

test('a record file is replaced whole, with the fields tspod does not know kept, mode 0600', (t) => {
  const dir = tempDir(t)
  const file = path.join(dir, 'layers.json')
  const records = [{id: 'a', parent: 'b', 'uidset': [0], flags: {Volatile: true}}, {id: 'b'}]
  writeRecordFile(file, records)
  t.deepEqual(readRecordFile(file), records)
  t.is(fs.statSync(file).mode & 0o777, 0o600)
  t.deepEqual(fs.readdirSync(dir), ['layers.json'])
})
