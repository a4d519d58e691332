// The union view of layer dirs: top entries win, whiteouts hide, opaque dirs stop the merge.
import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {MergedTree} from '../../src/build/merged-tree'
import {native} from '../../src/native'

test('lookup and readdir over two layers', (t) => {
  if (process.getuid!() !== 0) return t.pass('needs root for mknod')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-merged-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  const [lower, upper] = ['lower', 'upper'].map((n) => path.join(dir, n))
  fs.mkdirSync(path.join(lower, 'etc'), {recursive: true})
  fs.mkdirSync(path.join(lower, 'opq'))
  fs.writeFileSync(path.join(lower, 'etc', 'a'), 'lower a')
  fs.writeFileSync(path.join(lower, 'etc', 'b'), 'b')
  fs.writeFileSync(path.join(lower, 'opq', 'hidden'), 'x')
  fs.mkdirSync(path.join(upper, 'etc'), {recursive: true})
  fs.mkdirSync(path.join(upper, 'opq'))
  fs.writeFileSync(path.join(upper, 'etc', 'a'), 'upper a')
  native().mknod(path.join(upper, 'etc', 'b'), fs.constants.S_IFCHR | 0o600, 0)
  native().setxattr(path.join(upper, 'opq'), 'trusted.overlay.opaque', 'y')
  const tree = new MergedTree([upper, lower])
  t.is(fs.readFileSync(tree.lookup('etc/a')!.file, 'utf8'), 'upper a')
  t.is(tree.lookup('etc/b'), undefined)
  t.is(tree.lookup('opq/hidden'), undefined)
  t.deepEqual(tree.readdir('etc'), ['a'])
  t.deepEqual(tree.readdir(''), ['etc', 'opq'])
  t.deepEqual(tree.readdir('opq'), [])
  t.true(tree.lookup('')!.stat.isDirectory())
})
