import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {copyTree} from '../../../src/storage/store/copy-tree'

test('copyTree copies into an existing dir, keeping modes, owners, symlinks and hard links', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-copy-'))
  t.teardown(() => fs.rmSync(root, {recursive: true, force: true}))
  const src = path.join(root, 'src')
  fs.mkdirSync(path.join(src, 'd'), {recursive: true})
  fs.writeFileSync(path.join(src, 'd', 'f'), 'x')
  fs.lchownSync(path.join(src, 'd', 'f'), 1234, 5678)
  fs.chmodSync(path.join(src, 'd', 'f'), 0o4750) // after the chown, which clears setuid
  fs.linkSync(path.join(src, 'd', 'f'), path.join(src, 'hard'))
  fs.symlinkSync('d/f', path.join(src, 'link'))
  const dest = path.join(root, 'dest')
  fs.mkdirSync(dest)
  copyTree(src, dest)
  const st = fs.statSync(path.join(dest, 'd', 'f'))
  t.is(st.mode & 0o7777, 0o4750)
  t.deepEqual([st.uid, st.gid], [1234, 5678])
  t.is(fs.statSync(path.join(dest, 'hard')).ino, st.ino)
  t.is(fs.readlinkSync(path.join(dest, 'link')), 'd/f')
  t.throws(() => copyTree(path.join(root, 'missing'), dest), {message: /^copying .*missing to .*dest: /})
})
