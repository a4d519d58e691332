// The exit file a detached container's monitor writes: the code in decimal, its time the end.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {readExitFile} from '../../../src/runtime/container/exit-file'

test('a decimal code, with the file\'s mtime as the end; anything else reads as no exit yet', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-exit-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const file = path.join(dir, 'exit')
  fs.writeFileSync(file, '137\n')
  const when = new Date('2026-01-02T03:04:05.678Z')
  fs.utimesSync(file, when, when)
  t.deepEqual(readExitFile(file), {exitCode: 137, finishedAt: '2026-01-02T03:04:05.678Z'})
  fs.writeFileSync(file, '-1')
  t.is(readExitFile(file)?.exitCode, -1)
  for (const junk of ['', 'x', '1 2', '1.5']) {
    fs.writeFileSync(file, junk)
    t.is(readExitFile(file), undefined, JSON.stringify(junk))
  }
  t.is(readExitFile(path.join(dir, 'absent')), undefined)
})
