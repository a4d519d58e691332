// @userns
// What `diff` reports for a read-write layer over lower ones (in this root process, which can
// make the char 0/0 whiteouts overlay writes): additions, changes, deletions, parents.
import test from 'ava'
import {execFileSync} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

import {layerChanges} from '../../../src/storage/store/changes'

function tree(t: {teardown(fn: () => void): void}, files: Record<string, string | null>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-changes-'))
  t.teardown(() => fs.rmSync(dir, {recursive: true, force: true}))
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name)
    if (name.endsWith('/')) {
      fs.mkdirSync(p, {recursive: true})
      continue
    }
    fs.mkdirSync(path.dirname(p), {recursive: true})
    if (content === null) execFileSync('mknod', [p, 'c', '0', '0'])
    else fs.writeFileSync(p, content)
  }
  return dir
}

test('added files and dirs, a changed file, a whiteout; the parent of an addition or deletion is changed', (t) => {
  const lower = tree(t, {'etc/services': 'x', 'etc/passwd': 'root', 'bin/sh': 'sh', 'usr/lib/': ''})
  const upper = tree(t, {'etc/services': null, 'etc/passwd': 'root2', 'newf': '', 'a/b/c': '', 'usr/lib/x': ''})
  t.deepEqual(layerChanges(upper, [lower]), [
    {kind: 'A', path: '/a'},
    {kind: 'A', path: '/a/b'},
    {kind: 'A', path: '/a/b/c'},
    {kind: 'C', path: '/etc'},
    {kind: 'C', path: '/etc/passwd'},
    {kind: 'D', path: '/etc/services'},
    {kind: 'A', path: '/newf'},
    // made anew here, so its mtime differs from the lower one's (overlay's copy-up keeps it)
    {kind: 'C', path: '/usr'},
    {kind: 'C', path: '/usr/lib'},
    {kind: 'A', path: '/usr/lib/x'},
  ])
})

test('a dir copied up unchanged (same mode and mtime; its size may differ, as in containers/storage) is not reported', (t) => {
  const lower = tree(t, {'usr/share/doc': 'x'})
  const upper = tree(t, {'usr/': ''})
  // whole seconds: a Date or a float cannot carry nanoseconds through utimes exactly
  const when = Math.floor(Date.now() / 1000) - 60
  fs.utimesSync(path.join(lower, 'usr'), when, when)
  fs.chmodSync(path.join(upper, 'usr'), fs.statSync(path.join(lower, 'usr')).mode)
  fs.utimesSync(path.join(upper, 'usr'), when, when)
  t.deepEqual(layerChanges(upper, [lower]), [])
})

test('with no lower layers every entry is an addition', (t) => {
  const upper = tree(t, {'bin/sh': 'sh'})
  t.deepEqual(layerChanges(upper, []), [{kind: 'A', path: '/bin'}, {kind: 'A', path: '/bin/sh'}])
})

test('AUFS-style whiteouts: .wh.NAME deletes NAME, .wh..wh..opq makes its dir opaque (a deletion of what it hid)', (t) => {
  const lower = tree(t, {'etc/services': 'x', 'etc/hosts': 'h', 'opt/tool/bin': 'x'})
  const upper = tree(t, {'etc/.wh.services': '', 'opt/tool/.wh..wh..opq': '', 'opt/tool/new': ''})
  t.deepEqual(layerChanges(upper, [lower]), [
    {kind: 'C', path: '/etc'},
    {kind: 'D', path: '/etc/services'},
    {kind: 'C', path: '/opt'},
    {kind: 'D', path: '/opt/tool'},
    {kind: 'A', path: '/opt/tool/new'},
  ])
})
