import test from 'ava'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {makeSearchable} from '../../../src/runtime/oci-runtime/reachable-dirs'

function tree(): {top: string; a: string; b: string; c: string} {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-reachable-'))
  const a = path.join(top, 'a')
  const b = path.join(a, 'b')
  const c = path.join(b, 'c')
  fs.mkdirSync(c, {recursive: true})
  return {top, a, b, c}
}

const mode = (dir: string) => fs.statSync(dir).mode & 0o7777

test('--x--x--x added to the dir and each dir above it, the other bits kept', (t) => {
  const {top, a, b, c} = tree()
  t.teardown(() => fs.rmSync(top, {recursive: true, force: true}))
  fs.chmodSync(c, 0o700)
  fs.chmodSync(b, 0o1750)
  fs.chmodSync(a, 0o711)
  makeSearchable(c, 100000, 100000)
  t.deepEqual([mode(c), mode(b), mode(a)], [0o711, 0o1751, 0o711])
})

test('a dir owned by the container\'s root is left as it is; a missing dir ends the walk', (t) => {
  const {top, a, b, c} = tree()
  t.teardown(() => fs.rmSync(top, {recursive: true, force: true}))
  for (const dir of [a, b, c]) fs.chmodSync(dir, 0o700)
  // as root (this test's user) every dir is chmod'able: b stands for one the container's root owns
  fs.chownSync(b, 4242, 4243)
  makeSearchable(b, 4242, 4243)
  t.deepEqual([mode(c), mode(b), mode(a)], [0o700, 0o700, 0o711])
  makeSearchable(path.join(c, 'missing'), 100000, 100000)
  t.is(mode(c), 0o700)
})
