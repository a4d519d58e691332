// The blob location hints: recorded per digest, most recent repository first, bounded, and empty
// (never an error) when the file is missing or damaged.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {BlobLocations} from '../../../src/storage/image/blob-locations'

function tempFile(t: {teardown(fn: () => void): void}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-blobloc-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  return path.join(dir, 'blob-locations.json')
}

test('repositories recorded for blobs are found again, most recent first, without duplicates', (t) => {
  const locations = new BlobLocations(tempFile(t))
  t.deepEqual(locations.repositoriesFor(['sha256:a']), [])
  locations.record(['sha256:a', 'sha256:b'], 'r.example/one')
  locations.record(['sha256:a'], 'r.example/two')
  locations.record(['sha256:a'], 'r.example/one')
  t.deepEqual(locations.repositoriesFor(['sha256:a']), ['r.example/one', 'r.example/two'])
  t.deepEqual(locations.repositoriesFor(['sha256:b', 'sha256:c']), ['r.example/one'])
  t.is(fs.statSync(locations.file).mode & 0o777, 0o600)
})

test('a damaged or unwritable file is only an empty hint', (t) => {
  const file = tempFile(t)
  fs.writeFileSync(file, '{not json')
  const locations = new BlobLocations(file)
  t.deepEqual(locations.repositoriesFor(['sha256:a']), [])
  locations.record(['sha256:a'], 'r.example/x')
  t.deepEqual(locations.repositoriesFor(['sha256:a']), ['r.example/x'])
  const nowhere = new BlobLocations(path.join(file, 'no', 'such', 'dir.json'))
  t.notThrows(() => nowhere.record(['sha256:a'], 'r.example/x'))
  t.deepEqual(nowhere.repositoriesFor(['sha256:a']), [])
})
