// @userns
// A volume's data out to a tar and back in, by the host's tar as root (here real root: the
// store's user namespace is tested through test/commands/volume.test.ts): owners, modes and
// contents survive, and a compressed file is detected.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {exportVolumeData, importVolumeData} from '../../../src/runtime/volume/archive'

test('export then import keeps contents, owners and modes', async (t) => {
  if (process.getuid?.() !== 0) return t.pass('needs root to own files by other ids')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-volume-archive-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const src = path.join(dir, 'src')
  const dst = path.join(dir, 'dst')
  fs.mkdirSync(path.join(src, 'sub'), {recursive: true})
  fs.mkdirSync(dst)
  fs.writeFileSync(path.join(src, 'sub', 'f'), 'data\n', {mode: 0o640})
  fs.chownSync(path.join(src, 'sub', 'f'), 1042, 1043)
  const tarFile = path.join(dir, 'v.tar')
  const fd = fs.openSync(tarFile, 'w')
  await exportVolumeData(undefined, 'v', src, fd)
  fs.closeSync(fd)
  const input = fs.openSync(tarFile, 'r')
  await importVolumeData(undefined, 'v2', dst, input)
  fs.closeSync(input)
  const st = fs.statSync(path.join(dst, 'sub', 'f'))
  t.deepEqual([fs.readFileSync(path.join(dst, 'sub', 'f'), 'utf8'), st.uid, st.gid, st.mode & 0o777], ['data\n', 1042, 1043, 0o640])

  execFileSync('gzip', ['-k', tarFile])
  const again = path.join(dir, 'again')
  fs.mkdirSync(again)
  await importVolumeData(undefined, 'v3', again, `${tarFile}.gz`)
  t.is(fs.readFileSync(path.join(again, 'sub', 'f'), 'utf8'), 'data\n')
  await t.throwsAsync(importVolumeData(undefined, 'v4', again, path.join(dir, 'missing.tar')), {message: /^importing into volume v4: /})
})
