// Layer entry names made relative to the destination, refusing any that climb out.
import test from 'ava'

import {LayerBreakoutError, relativeEntryName, safeEntryName, symlinkTargetInside} from '../../../../src/storage/store/archive/tar-entry-name'

test('leading slashes and ./ are dropped, names cleaned, the root is "."', (t) => {
  t.is(relativeEntryName('/etc/passwd'), 'etc/passwd')
  t.is(relativeEntryName('./etc/'), 'etc')
  t.is(relativeEntryName('a//b/./c/'), 'a/b/c')
  t.is(relativeEntryName('a/b/../c'), 'a/c')
  t.is(relativeEntryName('/'), '.')
  t.is(relativeEntryName('./'), '.')
  t.is(relativeEntryName(''), '.')
  t.is(relativeEntryName('..foo'), '..foo', 'a name starting with dots is not a climb')
})

test('a name that climbs out is refused with containers-storage\'s message', (t) => {
  for (const out of ['..', '../x', 'a/../../x', '/../x']) t.is(relativeEntryName(out), undefined, out)
  t.throws(() => safeEntryName('a/../../etc', '/dest'), {instanceOf: LayerBreakoutError, message: '"a/../../etc" is outside of "/dest"'})
  t.is(safeEntryName('./ok', '/dest'), 'ok')
})

test('symlink targets are joined to the link\'s dir lexically, as Go\'s filepath.Join in containers-storage\'s check', (t) => {
  t.is(symlinkTargetInside('usr/bin/sh', 'busybox'), 'usr/bin/busybox')
  t.is(symlinkTargetInside('usr/bin/sh', '../lib/x'), 'usr/lib/x')
  t.is(symlinkTargetInside('usr/bin/sh', '/bin/busybox'), 'usr/bin/bin/busybox', 'an absolute target cannot leave: it is joined, not followed')
  t.is(symlinkTargetInside('a', '/'), '.')
  t.is(symlinkTargetInside('a/link', '../../../etc'), undefined)
})
