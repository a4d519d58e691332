// Paths in an image or container completed as Podman's getPathCompletion does.
import test from 'ava'

import {DIRECTIVE} from '../../../src/cli/completion/directive'
import {RootfsEntry, completePath} from '../../../src/cli/completion/path-candidates'

const tree: Record<string, RootfsEntry[]> = {
  '/': [
    {name: 'etc', type: 'directory'},
    {name: 'emptydir', type: 'directory'},
    {name: 'home', type: 'directory'},
    {name: 'init', type: 'file'},
  ],
  '/etc': [
    {name: 'os-release', type: 'file'},
    {name: 'os-extra', type: 'file'},
    {name: 'passwd', type: 'file'},
  ],
  '/emptydir': [],
}
// the lister resolves `..` at the root and a trailing slash, as the rootfs does
const list = async (dir: string) => tree[dir.replace(/(\.\.\/)+/, '/').replace(/(.)\/$/, '$1')]

test('the root when nothing is typed: dirs with a slash, and no space after the completion', async (t) => {
  t.deepEqual(await completePath(list, ''), {
    candidates: [{name: '/etc/'}, {name: '/emptydir/'}, {name: '/home/'}, {name: '/init'}],
    directive: DIRECTIVE.noSpace,
  })
})

test('a dir typed without its slash lists its entries; a partial name lists its parent\'s matching ones', async (t) => {
  t.deepEqual((await completePath(list, '/etc')).candidates.map((c) => c.name), ['/etc/os-release', '/etc/os-extra', '/etc/passwd'])
  t.deepEqual((await completePath(list, '/etc/os-')).candidates.map((c) => c.name), ['/etc/os-release', '/etc/os-extra'])
  t.deepEqual(await completePath(list, '/etc/pa'), {candidates: [{name: '/etc/passwd'}], directive: DIRECTIVE.default}, 'one file: a space may follow')
  t.deepEqual(await completePath(list, '/h'), {candidates: [{name: '/home/'}], directive: DIRECTIVE.noSpace}, 'one dir: the walk goes on')
})

test('relative components are kept as typed', async (t) => {
  t.deepEqual((await completePath(list, '../../')).candidates.map((c) => c.name), ['../../etc/', '../../emptydir/', '../../home/', '../../init'])
})

test('an empty dir completes to itself with a slash and no space; a missing one is left to the shell', async (t) => {
  t.deepEqual(await completePath(list, '/emptydir'), {candidates: [{name: '/emptydir/'}], directive: DIRECTIVE.default | DIRECTIVE.noSpace})
  t.deepEqual(await completePath(list, '/proc/sel'), {candidates: [], directive: DIRECTIVE.default})
})
